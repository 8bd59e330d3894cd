#include "notify/outbound_oauth.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/ids.hpp"
#include "http/percent_encode.hpp"

namespace c2p::notify {
namespace asio = boost::asio;

namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// What a waiter is handed: the access token, or the failure every waiter shares.
using TokenResult = OAuthResult<std::string>;

}  // namespace

// One token request in progress. `result` is set (under the OutboundOAuth's mutex) when it
// ends; a waiter that comes after that takes the result at once instead of queueing.
struct OutboundOAuth::Flight {
  std::optional<TokenResult> result;
  std::vector<std::function<void(TokenResult)>> waiters;
};

namespace {

// Suspends the calling coroutine until `flight` has a result, then resumes it on its own
// executor (never inline on the thread that finished the request).
asio::awaitable<TokenResult> AwaitFlight(std::shared_ptr<OutboundOAuth::Flight> flight,
                                         std::mutex& mutex) {
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(TokenResult)>(
      [flight = std::move(flight), &mutex](auto handler) {
        // std::function needs a copyable callable: the move-only handler is shared.
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        auto deliver = [shared](TokenResult result) {
          auto executor = asio::get_associated_executor(*shared);
          asio::post(executor, [shared, result = std::move(result)]() mutable {
            std::move (*shared)(std::move(result));
          });
        };
        std::unique_lock lock(mutex);
        if (flight->result) {
          TokenResult result = *flight->result;
          lock.unlock();
          deliver(std::move(result));
          return;
        }
        flight->waiters.emplace_back(std::move(deliver));
      },
      asio::use_awaitable);
}

}  // namespace

std::chrono::seconds RefreshMargin(std::chrono::seconds lifetime) {
  return std::min(std::chrono::seconds(30), lifetime / 10);
}

core::SecretBytes BasicAuthorization(std::string_view client_id,
                                     const core::SecretBytes& client_secret) {
  core::SecretBytes plain(client_id.size() + 1 + client_secret.size());
  std::copy(client_id.begin(), client_id.end(), plain.data());
  plain.data()[client_id.size()] = ':';
  std::copy(client_secret.data(), client_secret.data() + client_secret.size(),
            plain.data() + client_id.size() + 1);
  constexpr std::string_view kPrefix = "Basic ";
  core::SecretBytes out(kPrefix.size() + (plain.size() + 2) / 3 * 4);
  std::copy(kPrefix.begin(), kPrefix.end(), out.data());
  std::uint8_t* o = out.data() + kPrefix.size();
  const std::uint8_t* in = plain.data();
  std::size_t i = 0;
  for (; i + 2 < plain.size(); i += 3) {
    const std::uint32_t n =
        (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8) | std::uint32_t{in[i + 2]};
    *o++ = kBase64[(n >> 18) & 63];
    *o++ = kBase64[(n >> 12) & 63];
    *o++ = kBase64[(n >> 6) & 63];
    *o++ = kBase64[n & 63];
  }
  if (i + 1 == plain.size()) {
    const std::uint32_t n = std::uint32_t{in[i]} << 16;
    *o++ = kBase64[(n >> 18) & 63];
    *o++ = kBase64[(n >> 12) & 63];
    *o++ = '=';
    *o++ = '=';
  } else if (i + 2 == plain.size()) {
    const std::uint32_t n = (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8);
    *o++ = kBase64[(n >> 18) & 63];
    *o++ = kBase64[(n >> 12) & 63];
    *o++ = kBase64[(n >> 6) & 63];
    *o++ = '=';
  }
  return out;
}

OutboundOAuth::OutboundOAuth(http::Client& client, OAuthConfig config,
                             std::function<Clock::time_point()> now)
    : client_(client),
      config_(std::move(config)),
      authorization_(BasicAuthorization(config_.client_id, config_.client_secret)),
      now_(std::move(now)) {}

OutboundOAuth::~OutboundOAuth() = default;

std::uint64_t OutboundOAuth::requests_sent() const {
  std::lock_guard lock(mutex_);
  return requests_sent_;
}

void OutboundOAuth::Invalidate(std::string_view token) {
  std::lock_guard lock(mutex_);
  if (cached_ && cached_->token == token) cached_.reset();
}

asio::awaitable<OAuthResult<std::string>> OutboundOAuth::Token(std::string correlation_id) {
  std::shared_ptr<Flight> flight;
  bool leader = false;
  {
    std::lock_guard lock(mutex_);
    if (cached_ && now_() < cached_->refresh_at) {
      std::string token = cached_->token;
      co_return token;
    }
    if (!flight_) {
      flight_ = std::make_shared<Flight>();
      leader = true;
      ++requests_sent_;
    }
    flight = flight_;
  }
  if (!leader) co_return co_await AwaitFlight(std::move(flight), mutex_);

  const Clock::time_point asked_at = now_();
  OAuthResult<IssuerToken> result;
  try {
    result = co_await Request(std::move(correlation_id));
  } catch (...) {
    // Whoever waits on this request must not wait forever.
    Finish(flight, tl::unexpected(OAuthFailure{true, 0, "issuer token request did not end"}),
           asked_at);
    throw;
  }
  Finish(flight, result, asked_at);
  if (!result) co_return tl::unexpected(std::move(result.error()));
  co_return std::move(result->access_token);
}

void OutboundOAuth::Finish(const std::shared_ptr<Flight>& flight,
                           const OAuthResult<IssuerToken>& result, Clock::time_point asked_at) {
  TokenResult shared =
      result ? TokenResult(result->access_token) : TokenResult(tl::unexpected(result.error()));
  std::vector<std::function<void(TokenResult)>> waiters;
  {
    std::lock_guard lock(mutex_);
    if (result) {
      // Counted from when c2p asked: the token cannot have been issued earlier than that.
      const Clock::time_point refresh_at =
          asked_at + result->expires_in - RefreshMargin(result->expires_in);
      if (refresh_at > asked_at) {
        cached_ = Cached{result->access_token, refresh_at};
      } else {
        cached_.reset();  // too short-lived to cache: used by this round of callers only
      }
    }
    flight->result = shared;
    waiters = std::move(flight->waiters);
    if (flight_ == flight) flight_.reset();
  }
  for (auto& waiter : waiters) waiter(shared);
}

asio::awaitable<OAuthResult<IssuerToken>> OutboundOAuth::Request(std::string correlation_id) {
  http::ClientRequest request;
  request.method = "POST";
  request.url = config_.token_url;
  request.timeout = config_.timeout;
  // The header passes through libcurl's own buffers, which c2p cannot wipe; c2p's copies are
  // wiped (authorization_) or short-lived.
  request.headers.emplace_back("authorization", std::string(authorization_.as_text()));
  request.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
  request.headers.emplace_back("accept", "application/json");
  if (core::IsCorrelationId(correlation_id)) {
    request.headers.emplace_back("x-correlation-id", std::move(correlation_id));
  }
  request.body = "grant_type=client_credentials";
  if (!config_.scope.empty()) request.body += "&scope=" + http::PercentEncode(config_.scope);
  auto response = co_await client_.Send(std::move(request));
  if (!response) co_return tl::unexpected(OAuthTransportFailure(response.error()));
  co_return ReadTokenAnswer(response->status, response->body);
}

}  // namespace c2p::notify
