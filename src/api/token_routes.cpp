#include "api/token_routes.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>

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

// Prunes the shared record once in this many grants: one DELETE per batch of ids keeps the
// table near the ids still within their assertions' lifetime.
constexpr std::uint64_t kPruneEvery = 1024;

// Records the accepted assertion's id in the shared store. False: another node (or this
// one, before a restart) already accepted it.
asio::awaitable<core::Result<bool>> UseSharedId(store::Store& store, std::string_view issuer,
                                                const auth::AssertionId& id, core::SystemTime now,
                                                bool prune) {
  const auto millis = [](core::SystemTime t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  };
  const std::int64_t now_ms = millis(now);
  const std::int64_t forget_ms = millis(id.forget_after);
  bool first = false;
  auto written = co_await store.Write([&](store::WriteTx& tx) -> core::Result<void> {
    auto used = tx.UseAssertionId(issuer, id.jti, forget_ms, now_ms);
    if (!used) return tl::unexpected(std::move(used.error()));
    first = *used;
    return prune ? tx.PruneAssertionIds(now_ms) : core::Result<void>{};
  });
  if (!written) co_return tl::unexpected(std::move(written.error()));
  co_return first;
}

}  // namespace

void AddTokenRoutes(http::Router& router, AuthContext& auth, core::metrics::Registry& metrics) {
  auto counters = std::make_shared<TokenMetrics>(metrics);
  auto grants = std::make_shared<std::atomic<std::uint64_t>>(0);

  router.Add(
      Verb::post, "/authz/v1/oauth2/token",
      [&auth, counters, grants](Request& request) -> asio::awaitable<Reply> {
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
        auth::AssertionId id;
        auto issuer = auth.assertions.Verify(parsed->assertion, now, &id);
        if (issuer && auth.require_client_identity && request.client_identity() != *issuer) {
          issuer = tl::unexpected(auth::GrantFailure{
              auth::GrantError::kInvalidGrant, "the client certificate names another issuer"});
        }
        if (issuer && auth.shared_replay != nullptr && !id.jti.empty()) {
          const bool prune = grants->fetch_add(1, std::memory_order_relaxed) % kPruneEvery == 0;
          auto first = co_await UseSharedId(*auth.shared_replay, *issuer, id, now, prune);
          if (!first) {
            log::Error("auth.replay_record_failed", {{"correlation_id", request.correlation_id()},
                                                     {"error", first.error().message}});
            co_return NoStore(http::ErrorReply(first.error()));
          }
          if (!*first) {
            issuer = tl::unexpected(
                auth::GrantFailure{auth::GrantError::kInvalidGrant, "jti already used"});
          }
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
