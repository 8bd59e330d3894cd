#pragma once
// What every card-level driver (opt-out, suspend / resume, update) starts an attempt from:
// the job's card, its network's connector and the card's stable external ids; and how a
// directory failure ends the attempt.

#include <map>
#include <string>

#include <tl/expected.hpp>

#include "engine/await_request.hpp"
#include "engine/driver.hpp"
#include "networks/network_connector.hpp"
#include "store/store.hpp"

namespace c2p::engine {

using ConnectorsByNetwork = std::map<std::string, networks::NetworkConnector*, std::less<>>;

struct CardJob {
  store::CardRecord card;
  // The card's directory, its calls carrying the job's correlation id.
  std::unique_ptr<networks::NetworkConnector> connector;
  std::string external_consumer_id;
  std::string external_card_id;
};

// The job's card (live or deleted) and its connector; otherwise how the attempt ends: a
// store problem is retried, a job without a card or a network without a connector fails.
boost::asio::awaitable<tl::expected<CardJob, RunResult>> LoadCardJob(
    store::Store& store, const ConnectorsByNetwork& connectors, const store::JobRecord& job);

// Sends `update` for the job's card and follows it to its end (suspend, resume, update):
// SUCCESSFUL, a retry, or FAILED (a card the network no longer holds is NETWORK_REJECTED).
boost::asio::awaitable<RunResult> UpdateCardAtNetwork(const CardJob& card,
                                                      const networks::CardUpdate& update,
                                                      const PollOptions& options);

}  // namespace c2p::engine
