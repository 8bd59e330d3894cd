#pragma once
// Outbound OAuth to one issuer backend (shared/spec/outbound.md §1): the client-credentials
// token c2p sends as `Authorization: Bearer …` on its calls to the issuer.
//
//   OutboundOAuth oauth(http_client, std::move(config));
//   auto token = co_await oauth.Token(correlation_id);   // cached, or fetched once
//   if (!token) { token.error().retryable … }
//   … the issuer answers 401 → oauth.Invalidate(*token); then ask for a token again.
//
// Contract:
// - The token is cached until RefreshMargin() before it expires (its expires_in, counted
//   from when c2p asked for it; expires_at is not trusted: the issuer's clock may differ).
// - Concurrent callers with no valid cached token share ONE token request: the first one
//   sends it, the others wait for its result (success or failure). Callers may await from
//   any executor, on any thread; each resumes on its own executor.
// - Invalidate(token) drops the cached token only if it is still that token, so N callers
//   that all got a 401 with the same old token cause one refresh, not N.
// - A failed request is not cached: the next Token() asks again. Back-off belongs to the
//   caller (the engine), which owns deadlines.
// - The client secret is held in wiped memory and never reaches a log, an error or a metric.
//   Failure messages are fixed texts plus an HTTP status: no body, no URL, no credential.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <tl/expected.hpp>

#include "core/secret_bytes.hpp"
#include "http/client.hpp"

namespace c2p::notify {

struct OAuthConfig {
  std::string token_url;  // http(s), e.g. {base_url}/authz/d1/v1/oauth2/token
  std::string client_id;
  core::SecretBytes client_secret;  // from the oauth_client_secret_file
  std::string scope;                // empty: no scope parameter
  std::chrono::milliseconds timeout{10'000};
};

struct IssuerToken {
  std::string access_token;  // a bearer credential: never log it
  std::chrono::seconds expires_in{0};
};

struct OAuthFailure {
  // Timeouts, connection errors, 408, 429 and 5xx: asking again later may work. 400, 401,
  // 403 (bad client credentials or grant), other 4xx and malformed answers: it will not.
  bool retryable = false;
  unsigned http_status = 0;  // 0: no HTTP answer
  std::string message;       // safe to log
};

template <typename T>
using OAuthResult = tl::expected<T, OAuthFailure>;

// The token endpoint's answer read strictly: 200 with a JSON object holding a non-empty
// access_token (visible ASCII, it goes into a header), token_type "Bearer" (any case),
// expires_in as a non-negative integer number or a string of digits (at most 1 year), and
// an optional expires_at (string or number, accepted and not used). Any other status is a
// failure classified as above. Pure: unit-tested and fuzzed (fuzz/issuer_answers_fuzz.cpp).
OAuthResult<IssuerToken> ReadTokenAnswer(unsigned status, std::string_view body);
OAuthFailure OAuthTransportFailure(const http::TransportError& error);

// How long before its expiry a cached token is replaced: 10% of its lifetime, at most 30 s
// (a 900 s token is used for 870 s, a 60 s one for 54 s).
std::chrono::seconds RefreshMargin(std::chrono::seconds lifetime);

// `Authorization: Basic base64(client_id ":" client_secret)` (RFC 7617), in wiped memory.
core::SecretBytes BasicAuthorization(std::string_view client_id,
                                     const core::SecretBytes& client_secret);

class OutboundOAuth {
 public:
  using Clock = std::chrono::steady_clock;

  // `client` must outlive this object. `now` is for tests that move time.
  OutboundOAuth(http::Client& client, OAuthConfig config,
                std::function<Clock::time_point()> now = &Clock::now);
  OutboundOAuth(const OutboundOAuth&) = delete;
  OutboundOAuth& operator=(const OutboundOAuth&) = delete;
  ~OutboundOAuth();

  // A valid access token: the cached one, or the result of the (shared) token request.
  boost::asio::awaitable<OAuthResult<std::string>> Token(std::string correlation_id);

  // The issuer refused `token` (401): forget it if it is still the cached one.
  void Invalidate(std::string_view token);

  // Token requests sent so far (for tests and metrics).
  std::uint64_t requests_sent() const;

  struct Flight;  // one token request in progress and who waits for it

 private:
  boost::asio::awaitable<OAuthResult<IssuerToken>> Request(std::string correlation_id);
  void Finish(const std::shared_ptr<Flight>& flight, const OAuthResult<IssuerToken>& result,
              Clock::time_point asked_at);

  http::Client& client_;
  OAuthConfig config_;
  core::SecretBytes authorization_;
  std::function<Clock::time_point()> now_;

  mutable std::mutex mutex_;  // guards everything below
  struct Cached {
    std::string token;
    Clock::time_point refresh_at;
  };
  std::optional<Cached> cached_;
  std::shared_ptr<Flight> flight_;  // null: no request in flight
  std::uint64_t requests_sent_ = 0;
};

}  // namespace c2p::notify
