#pragma once
// Where an enrolment's consumer data comes from (spec/api.md §5.2): the request's body,
// else the consumer's stored personal information, else the issuer's Get Consumer
// Information (spec/outbound.md §2). consumerInfo and billingAddress are resolved each on
// its own, whole (never merged member by member): the issuer is asked only when one of
// them is still missing after the first two sources.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <tl/expected.hpp>

#include "domain/consumer_info.hpp"

namespace c2p::engine {

struct ConsumerData {
  std::optional<domain::ConsumerInfo> info;
  std::optional<domain::BillingAddress> billing;
};

struct FetchProblem {
  bool retryable = false;
  std::string failure_code = "CONSUMER_INFO_UNAVAILABLE";
  std::optional<std::chrono::seconds> retry_after;
  std::string message;  // safe to log
};

// The issuer's Get Consumer Information, seen from the engine (src/notify implements it).
class ConsumerInfoSource {
 public:
  virtual ~ConsumerInfoSource() = default;
  // Whether the issuer has a backend to ask at all (else the data is simply incomplete).
  virtual bool Serves(std::string_view issuer) const = 0;
  virtual boost::asio::awaitable<tl::expected<ConsumerData, FetchProblem>> Fetch(
      std::string issuer, std::string consumer_id, std::string card_id,
      std::string correlation_id) = 0;
};

// Body first, then stored.
ConsumerData FirstKnown(const ConsumerData& body, const ConsumerData& stored);
bool NeedsFetch(const ConsumerData& known);
// Fills what `known` lacks from `fetched`.
ConsumerData Complete(ConsumerData known, const ConsumerData& fetched);
// The mandatory Click to Pay fields still missing (names, never values).
std::vector<std::string> MissingFields(const ConsumerData& data);

}  // namespace c2p::engine
