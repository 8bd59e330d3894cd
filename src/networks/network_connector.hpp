#pragma once
// The common face of the two directory connectors (shared/spec/networks.md §1, §2), so the
// engine can drive either network the same way. Every call is a coroutine awaited on the
// caller's executor: no thread is held while a directory answers.
//
// Every call returns a CallResult: an Outcome, or a Failure classified as retryable (try
// again later, with the same external ids and a lookup first when `maybe_applied`) or final,
// with the operation failure code of shared/spec/api.md §5.8 it maps to (docs/networks.md).
// Messages name fields and codes, never personal or card data.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <tl/expected.hpp>

#include "domain/billing_address.hpp"
#include "domain/card_data.hpp"
#include "domain/consumer_info.hpp"

namespace c2p::networks {

enum class Network { kVisa, kMastercard };
std::string_view NetworkName(Network network);  // "visa", "mastercard"

// Why a call failed, finer than the §5.8 code (the engine decides on these).
enum class FailureReason {
  kDataIncomplete,        // c2p's own data cannot be normalised (nothing was sent)
  kRejected,              // the directory refused the request (validation, 401, other 4xx)
  kAlreadyEnrolled,       // VIDC-2000: the consumer exists
  kNotEnrolled,           // VIDC-2001/2005, 404 NOT_FOUND: consumer or card unknown
  kCardAlreadyExists,     // VIDC-2004, 409 ALREADY_EXISTS: look the card up, never re-enrol
  kCardExpired,           // VIDC-2003
  kCardNotEligible,       // VIDC-2006, 422 CARD_NOT_ELIGIBLE
  kTokenizationDeclined,  // VIDC-7000, 422 TOKENIZATION_DECLINED
  kInProgress,            // VIDC-3000: another request for the consumer is running
  kRateLimited,           // 429
  kUnavailable,           // 5xx, VIDC-5000, SERVICE_UNAVAILABLE
  kTimeout,               // no answer within the timeout: the call may have been applied
  kConnection,            // connect failed, connection lost, TLS
  kMalformedAnswer,       // an answer that does not have the documented shape
  kLeaseEnding,           // not sent: the job's lease could end before the call settles
};
std::string_view FailureReasonName(FailureReason reason);

struct Failure {
  FailureReason reason = FailureReason::kRejected;
  bool retryable = false;
  // The call may have been applied by the directory (timeout, lost connection, unreadable
  // 2xx): before retrying an enrolment, look the card up (GetProfile).
  bool maybe_applied = false;
  // The §5.8 failure code: for a retryable failure, the code once retries are exhausted
  // (NETWORK_UNAVAILABLE).
  std::string failure_code;
  unsigned http_status = 0;  // 0: no HTTP answer
  std::string network_code;  // "VIDC-2004", "ALREADY_EXISTS", … when the network gave one
  // No repeat sooner than this: a 429's (or 503's) Retry-After; for a call in doubt
  // (`maybe_applied` without an answer), how long it may still be running at the directory,
  // so that the lookup before a repeat sees what it did (docs/networks.md "Calls in doubt").
  std::optional<std::chrono::milliseconds> retry_after;
  bool consumer_created = false;    // Mastercard 422/503 Details, Visa partial outcome
  std::vector<std::string> fields;  // kDataIncomplete: c2p fields; kRejected: the network's
  std::string message;              // safe to log
};

struct Outcome {
  // Visa-like writes are accepted (202) and finish later: poll `trace_id` with
  // PollRequest. Mastercard-like calls and completed polls are final (`pending` false).
  bool pending = false;
  std::string trace_id;
  std::string digital_card_id;  // Visa tokenId / Mastercard srcDigitalCardId, when one
  bool consumer_created = false;
};

template <typename T>
using Result = tl::expected<T, Failure>;
using CallResult = Result<Outcome>;

struct ProfileCard {
  std::string external_card_id;
  std::string digital_card_id;  // empty when not tokenised
  std::string last4;
  std::string status;  // "ACTIVE", "SUSPENDED", …
  // Converted back to c2p's shapes (profile_fields.hpp), for the profiles getter; empty
  // when the directory holds none or it cannot be read. Personal and card data: never logged.
  std::string exp;                      // "MM/YY"
  std::string name;                     // the cardholder name (Visa-like only)
  boost::json::object billing_address;  // c2p's billingAddress
};

struct Profile {
  boost::json::object consumer;  // as the directory holds it (personal data: never logged)
  // The same in c2p's consumerInfo shape (firstName, lastName, email, mobilePhoneNumber,
  // language, …), as far as it converts.
  boost::json::object consumer_info;
  std::vector<ProfileCard> cards;
  const ProfileCard* FindCard(std::string_view external_card_id) const;
};

struct ConsumerRef {
  std::string external_consumer_id;
  domain::ConsumerInfo info;
  std::optional<domain::BillingAddress> billing;  // its country is the consumer's country
};

struct CardRef {
  std::string external_card_id;
  const domain::CardData* card = nullptr;  // PAN, expiry, cardholder name; not owned
  domain::BillingAddress billing;
};

enum class CardStatus { kActive, kSuspended };

// What every directory call made for one job (or one API request) carries besides its
// data: the originating x-correlation-id (shared/spec/outbound.md: every outbound call
// carries it), so a trace joins c2p's logs with the directory's.
struct CallContext {
  std::string correlation_id;  // empty: no header
  // Unix ms; 0: none. The job's lease ends then and another node may take the job over and
  // look the card up: a write that could still be unanswered, or in doubt at the
  // directory, by then is not sent (docs/networks.md "Calls in doubt").
  std::int64_t settled_by_ms = 0;
};

struct CardUpdate {
  std::string external_card_id;
  std::optional<domain::BillingAddress> billing;
  std::optional<std::string> name_on_card;  // Visa only; Mastercard ignores names
  std::optional<CardStatus> status;         // suspend / resume (docs/simulator.md)
};

class NetworkConnector {
 public:
  virtual ~NetworkConnector() = default;
  virtual Network network() const = 0;

  // A connector for one job's (or request's) calls: the same directory, client and
  // configuration, every call carrying `context`. The engine takes one per attempt from
  // the shared connector; it must not outlive this one's client.
  virtual std::unique_ptr<NetworkConnector> ForCall(CallContext context) const = 0;

  // A new consumer with its first card (Visa enrollData; Mastercard POST /enrollments).
  virtual boost::asio::awaitable<CallResult> EnrolConsumer(const ConsumerRef& consumer,
                                                           const CardRef& card) = 0;
  // A card for an enrolled consumer (Visa enrollPaymentInstruments; Mastercard
  // POST /enrollments, which adds the card to the existing consumer).
  virtual boost::asio::awaitable<CallResult> AddCard(const ConsumerRef& consumer,
                                                     const CardRef& card) = 0;
  virtual boost::asio::awaitable<CallResult> UpdateConsumer(const ConsumerRef& consumer) = 0;
  virtual boost::asio::awaitable<CallResult> UpdateCard(const std::string& external_consumer_id,
                                                        const CardUpdate& update) = 0;
  virtual boost::asio::awaitable<CallResult> DeleteCard(const std::string& external_consumer_id,
                                                        const std::string& external_card_id) = 0;
  virtual boost::asio::awaitable<CallResult> DeleteConsumer(
      const std::string& external_consumer_id) = 0;
  virtual boost::asio::awaitable<Result<Profile>> GetProfile(
      const std::string& external_consumer_id) = 0;
  // The outcome of an accepted Visa-like write for `external_card_id` (empty: any card, for
  // writes without cards). Still running: an Outcome with `pending` true. Mastercard-like
  // connectors have nothing to poll and fail with kRejected.
  virtual boost::asio::awaitable<CallResult> PollRequest(const std::string& trace_id,
                                                         const std::string& external_card_id) = 0;
};

}  // namespace c2p::networks
