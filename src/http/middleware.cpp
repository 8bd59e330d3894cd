#include "http/middleware.hpp"

#include "core/strict_json.hpp"

namespace c2p::http {

namespace asio = boost::asio;

Handler Compose(const std::vector<Middleware>& chain, Handler handler) {
  Handler composed = std::move(handler);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    composed = [layer = *it, next = std::move(composed)](Request& request) {
      return layer(request, next);
    };
  }
  return composed;
}

namespace {

// The media type without parameters, lower-cased: "Application/JSON; charset=utf-8" ->
// "application/json".
std::string MediaType(std::string_view content_type) {
  const auto semi = content_type.find(';');
  std::string_view type = content_type.substr(0, semi);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  std::string out(type);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

core::Result<boost::json::value> ParseJsonBody(const Request& request) {
  if (MediaType(request.header(beast_http::field::content_type)) != "application/json") {
    return core::Fail(core::ErrorCode::kUnsupportedMediaType,
                      "Content-Type must be application/json");
  }
  return core::ParseStrictJson(request.body());
}

Middleware BodyMiddleware() {
  return [](Request& request, const Next& next) -> asio::awaitable<Reply> {
    const Route* route = request.route();
    if (route != nullptr && route->options.body == BodyKind::kJson) {
      auto json = ParseJsonBody(request);
      if (!json) co_return ErrorReply(json.error());
      request.set_json(std::move(*json));
    } else if (route != nullptr && route->options.body == BodyKind::kForm) {
      const std::string type = MediaType(request.header(beast_http::field::content_type));
      if (type != "application/json" && type != "application/x-www-form-urlencoded") {
        co_return ErrorReply(core::Error::Make(
            core::ErrorCode::kUnsupportedMediaType,
            "Content-Type must be application/x-www-form-urlencoded or application/json"));
      }
    }
    co_return co_await next(request);
  };
}

}  // namespace c2p::http
