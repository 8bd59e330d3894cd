#include "http/request.hpp"

#include "http/form.hpp"

namespace c2p::http {

std::string_view Request::header(std::string_view name) const {
  auto it = raw_.find(boost::beast::string_view(name.data(), name.size()));
  if (it == raw_.end()) return {};
  return {it->value().data(), it->value().size()};
}

std::string_view Request::header(beast_http::field name) const {
  auto it = raw_.find(name);
  if (it == raw_.end()) return {};
  return {it->value().data(), it->value().size()};
}

std::string_view Request::param(std::string_view name) const {
  for (const auto& [key, value] : params_) {
    if (key == name) return value;
  }
  return {};
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  std::string_view rest = query_;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) != name) continue;
    if (eq == std::string_view::npos) return std::string{};
    return FormDecode(pair.substr(eq + 1));
  }
  return std::nullopt;
}

}  // namespace c2p::http
