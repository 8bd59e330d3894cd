#pragma once
// Get Consumer Information (shared/spec/outbound.md §2, spec/api.md §5.2): the consumer data
// c2p fetches from the issuer's backend when an enrolment has none in its body and none
// stored. The data is for that one operation: nothing here stores it.
//
//   IssuerClients issuers(http_client, endpoints);      // built once from configuration
//   ConsumerInfoClient consumers(http_client, issuers);
//   auto got = co_await consumers.Fetch(issuer_id, consumer_id, card_id, correlation_id);
//   if (got) use got->info, got->billing
//   else if (got.error().retryable) retry later (honour retry_after) while the deadline allows;
//        when it has passed, fail the operation with got.error().failure_code
//   else fail the operation now with got.error().failure_code
//
// One Fetch is one exchange with the issuer (plus, on a 401 with OAuth configured, one token
// refresh and one retry): back-off and deadlines belong to the caller (the engine).
// Failure classes (docs/issuer-backend.md):
//   404, 403, 401 after a fresh token, other 4xx, 3xx, a malformed 200 body, an issuer with
//   no base_url, ids that are not ids  → final, CONSUMER_INFO_UNAVAILABLE
//   timeout, connection errors, 408, 429 (Retry-After), 5xx, a retryable token failure
//                                      → retryable; CONSUMER_INFO_UNAVAILABLE once the
//                                        caller's deadline has passed
// Messages name the HTTP status and the JSON member at fault, never a body, personal data,
// the URL's query or a credential.

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <tl/expected.hpp>

#include "domain/billing_address.hpp"
#include "domain/consumer_info.hpp"
#include "http/client.hpp"
#include "notify/outbound_oauth.hpp"

namespace c2p::notify {

inline constexpr std::string_view kConsumerInfoUnavailable = "CONSUMER_INFO_UNAVAILABLE";

// One issuer's backend as configuration describes it ([[issuers]] in docs/configuration.md).
struct IssuerEndpoint {
  std::string issuer_id;
  std::string base_url;  // no trailing slash; empty: the issuer serves no consumer data
  bool consumer_info_by_card = false;         // send ?cardId= with the request
  std::chrono::milliseconds timeout{10'000};  // per Get Consumer Information call
  std::optional<OAuthConfig> oauth;           // none: no Authorization header
};

// The consumer data the issuer answered, validated like a request body's.
struct FetchedConsumer {
  domain::ConsumerInfo info;
  std::optional<domain::BillingAddress> billing;
};

struct FetchFailure {
  bool retryable = false;
  // The spec/api.md §5.8 code the operation fails with: at once when final, when the
  // caller's deadline passes when retryable.
  std::string failure_code{kConsumerInfoUnavailable};
  std::optional<std::chrono::seconds> retry_after;  // a 429's (or 503's) Retry-After
  unsigned http_status = 0;                         // 0: no HTTP answer
  std::string message;                              // safe to log
};

using FetchResult = tl::expected<FetchedConsumer, FetchFailure>;

// Pure readers (unit-tested and fuzzed in fuzz/issuer_answers_fuzz.cpp): the answer to
// GET …/consumers/{consumerId} as the failure classes above say, `retry_after` being the
// Retry-After header's value (empty when absent).
FetchResult ReadConsumerInfoAnswer(unsigned status, std::string_view body,
                                   std::string_view retry_after);
FetchFailure FetchTransportFailure(const http::TransportError& error);
// Retry-After as delta-seconds 0..86400; nullopt when absent, an HTTP-date or garbage.
std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value);

// The per-issuer settings and OAuth token caches, built once at start from configuration
// and shared by everything that calls issuers (consumer information now, notifications
// later). Immutable after construction apart from each OutboundOAuth's own cache.
class IssuerClients {
 public:
  // `client` must outlive this object (and so must its executor while calls are in flight).
  IssuerClients(http::Client& client, std::vector<IssuerEndpoint> endpoints);

  struct Entry {
    IssuerEndpoint endpoint;  // endpoint.oauth moved into `oauth`
    std::unique_ptr<OutboundOAuth> oauth;
  };

  // Null when `issuer_id` is not configured.
  const Entry* Find(std::string_view issuer_id) const;
  // The issuer's token cache; null when it has no OAuth configured.
  OutboundOAuth* OAuthFor(std::string_view issuer_id) const;
  http::Client& client() const { return client_; }

 private:
  http::Client& client_;
  std::map<std::string, Entry, std::less<>> entries_;
};

class ConsumerInfoClient {
 public:
  explicit ConsumerInfoClient(const IssuerClients& issuers) : issuers_(issuers) {}

  // GET {base_url}/issuers/{issuerId}/consumers/{consumerId}[?cardId={cardId}] with
  // x-correlation-id and, when OAuth is configured, Authorization: Bearer. `card_id` is sent
  // only when the issuer's consumer_info_by_card is on (and it is not empty). May be awaited
  // from any executor; resumes on the caller's.
  boost::asio::awaitable<FetchResult> Fetch(std::string issuer_id, std::string consumer_id,
                                            std::string card_id, std::string correlation_id);

 private:
  const IssuerClients& issuers_;
};

}  // namespace c2p::notify
