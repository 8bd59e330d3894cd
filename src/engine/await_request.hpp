#pragma once
// Follows one directory call to its end. A Visa-like write is accepted (202) and finishes
// later: its request is polled with a doubling delay until it completes. A Mastercard-like
// answer is already final and comes back as it is. Every driver that writes to a directory
// goes through here, so they all poll alike.

#include <chrono>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "engine/driver.hpp"
#include "networks/network_connector.hpp"

namespace c2p::engine {

struct PollOptions {
  // Polled from `first_poll`, doubling to `max_poll`; an attempt polls for at most
  // `poll_for`, then the job is retried (and its next attempt looks before it repeats).
  std::chrono::milliseconds first_poll{20};
  std::chrono::milliseconds max_poll{1000};
  std::chrono::milliseconds poll_for{60'000};
};

// The call's final result, or nullopt when the request is still running after
// `options.poll_for`. A poll that fails retryably is polled again: the request still stands.
// `external_card_id`: the card whose outcome counts (empty for writes without cards).
boost::asio::awaitable<std::optional<networks::CallResult>> AwaitRequest(
    networks::NetworkConnector& connector, networks::CallResult call,
    const std::string& external_card_id, const PollOptions& options);

// How a directory's failure ends an attempt: retryable → try again later (after its
// Retry-After, if any), final → FAILED with its §5.8 code.
RunResult FromFailure(const networks::Failure& failure);

}  // namespace c2p::engine
