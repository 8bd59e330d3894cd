#include "api/token_routes.hpp"

#include <chrono>

#include "api/bearer_auth.hpp"
#include "api/token_request.hpp"
#include "core/ids.hpp"
#include "core/time_format.hpp"
#include "log/log.hpp"

namespace c2p::api {

namespace asio = boost::asio;
using http::Reply;
using http::Request;
using http::Status;
using http::Verb;

namespace {

// The token endpoint's largest honest body is a form with one assertion.
constexpr std::size_t kTokenBodyLimit = std::size_t{16} * 1024;
constexpr std::string_view kScope = "banking";

// RFC 6749 §5.1: token responses, good or bad, must not be cached.
Reply NoStore(Reply r) {
  r.WithHeader("Cache-Control", "no-store");
  r.WithHeader("Pragma", "no-cache");
  return r;
}

Reply GrantError(const auth::GrantFailure& failure) {
  return NoStore(http::Json(Status::bad_request, {{"error", auth::GrantErrorName(failure.error)},
                                                  {"error_description", failure.description}}));
}

bool IsJson(const Request& request) {
  const std::string_view type = request.header(http::beast_http::field::content_type);
  return type.size() >= 16 && type.substr(0, 16) == "application/json";
}

struct TokenMetrics {
  explicit TokenMetrics(core::metrics::Registry& m)
      : granted(m.GetCounter("c2p_token_requests_total", "Token endpoint requests by outcome",
                             {{"outcome", "granted"}})),
        refused(m.GetCounter("c2p_token_requests_total", "Token endpoint requests by outcome",
                             {{"outcome", "refused"}})),
        limited(m.GetCounter("c2p_token_requests_total", "Token endpoint requests by outcome",
                             {{"outcome", "rate_limited"}})) {}
  core::metrics::Counter& granted;
  core::metrics::Counter& refused;
  core::metrics::Counter& limited;
};

// The tokeninfo body, {"issuerId":…,"scope":"banking","expiresAt":…}, written directly:
// building and serialising a JSON object per call cost more than a remembered bearer
// check (P6, docs/performance.md). The principal is a configured issuerId (^[A-Za-z0-9_-]{10}$), so
// nothing in it needs escaping; anything else would take the general path.
Reply TokenInfo(const Request& request) {
  const std::string expires_at =
      core::FormatIsoMillis(core::SystemTime(std::chrono::seconds(request.principal_expires_at())));
  if (!core::IsIssuerId(request.principal())) {
    return http::Json(
        Status::ok,
        {{"issuerId", request.principal()}, {"scope", kScope}, {"expiresAt", expires_at}});
  }
  Reply r;
  r.status = Status::ok;
  r.body.reserve(96);
  r.body += R"({"issuerId":")";
  r.body += request.principal();
  r.body += R"(","scope":")";
  r.body += kScope;
  r.body += R"(","expiresAt":")";
  r.body += expires_at;
  r.body += R"("})";
  return r;
}

}  // namespace

void AddTokenRoutes(http::Router& router, AuthContext& auth, core::metrics::Registry& metrics) {
  auto counters = std::make_shared<TokenMetrics>(metrics);

  router.Add(
      Verb::post, "/authz/v1/oauth2/token",
      [&auth, counters](Request& request) -> asio::awaitable<Reply> {
        auto parsed = ParseTokenRequest(
            IsJson(request) ? TokenBodyType::kJson : TokenBodyType::kForm, request.body());
        if (!parsed) {
          counters->refused.Add();
          co_return GrantError(parsed.error());
        }
        // The limit is charged to the issuer the assertion claims, before the signature
        // is checked, so a flood costs c2p no more than a hash lookup per request.
        const std::string_view claimed = auth.assertions.ClaimedIssuer(parsed->assertion);
        if (!claimed.empty()) {
          if (auto wait = auth.token_limits.TryTake(claimed, auth::RateLimiter::Clock::now())) {
            counters->limited.Add();
            co_return NoStore(RateLimited(*wait));
          }
        }
        const auto now = std::chrono::system_clock::now();
        auto issuer = auth.assertions.Verify(parsed->assertion, now);
        if (issuer && auth.require_client_identity && request.client_identity() != *issuer) {
          issuer = tl::unexpected(auth::GrantFailure{
              auth::GrantError::kInvalidGrant, "the client certificate names another issuer"});
        }
        if (!issuer) {
          counters->refused.Add();
          log::Info("auth.token_refused", {{"correlation_id", request.correlation_id()},
                                           {"claimed_issuer", claimed},
                                           {"reason", issuer.error().description}});
          co_return GrantError(issuer.error());
        }
        counters->granted.Add();
        log::Info("auth.token_issued",
                  {{"correlation_id", request.correlation_id()}, {"issuer", *issuer}});
        co_return NoStore(http::Json(Status::ok, {{"access_token", auth.tokens.Issue(*issuer, now)},
                                                  {"token_type", "Bearer"},
                                                  {"expires_in", auth.tokens.lifetime().count()},
                                                  {"scope", kScope}}));
      },
      {.body = http::BodyKind::kForm, .body_limit = kTokenBodyLimit});

  router.Add(Verb::get, "/authz/v1/tokeninfo",
             [](Request& request) -> asio::awaitable<Reply> { co_return TokenInfo(request); },
             {.bearer = true});
}

}  // namespace c2p::api
