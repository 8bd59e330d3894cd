#pragma once
// The driver of a consumer's CLICK_TO_PAY_UPDATE (spec/api.md §5.4), started by the issuer
// (the body's data, sealed with the job) or by propagation (§4.1, requestorType D1: the
// consumer's stored personal information, read when the job runs). Replaces the
// consumer's data in every network where it has a profile and, with a billing address,
// applies it to each of the consumer's ENROLLED cards in that network.
//
// Safe to repeat: every call is a full replacement of the same data, so an attempt after
// a lost answer sends the same calls again with the same effect. A network whose updates
// all ended is recorded in the job's progress ({"updated": [network, …]}), so a later
// attempt (after the next network failed, or its lease guard kept a call back) does not
// send that network's updates again.

#include <map>
#include <string>

#include "engine/await_request.hpp"
#include "engine/consumer_data.hpp"
#include "engine/consumer_resolution.hpp"
#include "engine/driver.hpp"
#include "networks/network_connector.hpp"
#include "store/store.hpp"
#include "vault/key_ring.hpp"

namespace c2p::engine {

inline constexpr std::string_view kConsumerUpdateJob = "CONSUMER_UPDATE";

class ConsumerUpdateDriver final : public Driver {
 public:
  // `consumer_info` may be null (no issuer backend).
  ConsumerUpdateDriver(store::Store& store, const vault::KeyRing& keys,
                       std::map<std::string, networks::NetworkConnector*, std::less<>> connectors,
                       ConsumerInfoSource* consumer_info, PollOptions options = {});

  boost::asio::awaitable<RunResult> Run(const store::JobRecord& job) override;

 private:
  struct Data {
    networks::ConsumerRef consumer;
    std::optional<domain::BillingAddress> card_billing;  // applied to the cards when set
  };
  boost::asio::awaitable<tl::expected<Data, RunResult>> Resolve(const store::JobRecord& job);
  boost::asio::awaitable<std::optional<RunResult>> Update(
      networks::NetworkConnector& connector, const Data& data,
      const std::vector<store::CardRecord>& cards, const std::string& network);

  store::Store& store_;
  const vault::KeyRing& keys_;
  std::map<std::string, networks::NetworkConnector*, std::less<>> connectors_;
  ConsumerInfoSource* consumer_info_;
  PollOptions options_;
};

}  // namespace c2p::engine
