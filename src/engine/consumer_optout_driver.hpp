#pragma once
// The driver of a consumer's CLICK_TO_PAY_OPTOUT (spec/api.md §5.6) and of the opt-out a
// consumer delete cascades into (§4.6): deletes the consumer's profile, with its cards,
// in every network where it has one, then ends the consumer's operation, its cards' D1
// operations and their Click to Pay status together (consumer_optout_plan.hpp).
//
// Safe to repeat: each network's deletion is recorded in the job's progress once the
// directory confirms it, and a directory that no longer knows the consumer (a deletion
// applied whose answer was lost, or a profile deleted at the network) counts as done.

#include <map>
#include <string>

#include "engine/await_request.hpp"
#include "engine/driver.hpp"
#include "networks/network_connector.hpp"

namespace c2p::engine {

inline constexpr std::string_view kConsumerOptOutJob = "CONSUMER_OPTOUT";

class ConsumerOptOutDriver final : public Driver {
 public:
  explicit ConsumerOptOutDriver(
      std::map<std::string, networks::NetworkConnector*, std::less<>> connectors,
      PollOptions options = {});

  boost::asio::awaitable<RunResult> Run(const store::JobRecord& job) override;
  Finished GiveUp(const store::JobRecord& job, std::string code, std::string message) override;

 private:
  std::map<std::string, networks::NetworkConnector*, std::less<>> connectors_;
  PollOptions options_;
};

}  // namespace c2p::engine
