#include "api/bearer_auth.hpp"

#include <chrono>

#include <boost/beast/core/string.hpp>

#include "log/log.hpp"

namespace c2p::api {

using http::Reply;
using http::Request;

namespace {}  // namespace

std::string_view BearerToken(std::string_view authorization) {
  const auto space = authorization.find(' ');
  if (space == std::string_view::npos ||
      !boost::beast::iequals(authorization.substr(0, space), "Bearer")) {
    return {};
  }
  std::string_view token = authorization.substr(space + 1);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return token;
}

namespace {

Reply Unauthorized(bool token_given) {
  Reply r = http::ErrorReply(core::Error::Make(core::ErrorCode::kUnauthorized,
                                               "missing, invalid or expired access token"));
  // RFC 6750 §3: the challenge, with invalid_token when a token was presented.
  r.WithHeader("WWW-Authenticate", token_given ? R"(Bearer realm="c2p", error="invalid_token")"
                                               : R"(Bearer realm="c2p")");
  return r;
}

Reply Mismatch(std::string message) {
  return http::ErrorReply(core::Error::Make(core::ErrorCode::kIssuerMismatch, std::move(message)));
}

}  // namespace

http::Reply RateLimited(std::chrono::seconds retry_after) {
  Reply r = http::ErrorReply(
      core::Error::Make(core::ErrorCode::kRateLimited, "rate limit exceeded; retry later"));
  r.WithHeader("Retry-After", std::to_string(retry_after.count()));
  return r;
}

std::optional<Reply> CheckBearer(AuthContext& auth, Request& request) {
  if (request.route() == nullptr || !request.route()->options.bearer) return std::nullopt;
  const std::string_view token =
      BearerToken(request.header(http::beast_http::field::authorization));
  if (token.empty()) return Unauthorized(false);
  auto claims = auth.tokens.Verify(token, std::chrono::system_clock::now());
  if (!claims || !auth.issuers.contains(claims->issuer_id)) return Unauthorized(true);

  const std::string_view path_issuer = request.param("issuerId");
  if (!path_issuer.empty() && path_issuer != claims->issuer_id) {
    return Mismatch("the path names another issuer than the access token");
  }
  if (auth.require_client_identity && request.client_identity() != claims->issuer_id) {
    return Mismatch("the client certificate names another issuer than the access token");
  }
  if (auto wait = auth.api_limits.TryTake(claims->issuer_id, auth::RateLimiter::Clock::now())) {
    return RateLimited(*wait);
  }
  request.set_principal(std::move(claims->issuer_id), claims->expires_at);
  return std::nullopt;
}

http::Layer BearerAuthLayer(AuthContext& auth) {
  return {.middleware = {},
          .guard = [&auth](Request& request) { return CheckBearer(auth, request); },
          .applies = [](const http::Route& route) { return route.options.bearer; }};
}

}  // namespace c2p::api
