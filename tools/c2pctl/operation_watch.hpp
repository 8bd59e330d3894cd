#pragma once
// Following an operation until it is terminal (`c2pctl op watch`, `enrol --watch`…).
//
// The first poll shows the operation's current state (wait=0); each later one is the
// getter with `wait=W` (spec/api.md §5.8: c2p answers as soon as the operation ends, or
// after W seconds), W at most 10 s and never past the deadline. An
// answer that comes back before its wait without a change (c2p restarting, a 5xx, an
// unreachable c2p, a server that does not hold the call) is followed by a pause that
// doubles from 250 ms to 4 s, so a watch never spins; a state change resets it. Each
// state change is printed once (a line, or with --json the body as received); c2p
// unreachable or failing is shown on stderr once per kind and retried until the deadline.
//
// Exit: SUCCESSFUL 0; FAILED 1; a 4xx (unknown operation…) 3; the deadline 1, saying how
// to follow it again. A 401 gets a new access token once per answer.

#include <chrono>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "http/client.hpp"

namespace c2p::ctl {

struct WatchOptions {
  std::chrono::milliseconds timeout{std::chrono::minutes(5)};
  std::chrono::seconds max_wait{10};
  std::chrono::milliseconds first_pause{250};
  std::chrono::milliseconds max_pause{4000};
  bool json = false;
  std::string again;  // the command that follows the operation again, for the timeout
};

// One poll: the operation getter with wait=`wait`.
using PollOperation = std::function<http::ClientResult(std::chrono::seconds wait)>;
// A new access token.
using RenewToken = std::function<core::Result<void>()>;

int WatchOperation(const PollOperation& poll, const RenewToken& renew, const WatchOptions& options,
                   std::string_view command, const std::string& url, std::ostream& out,
                   std::ostream& err);

}  // namespace c2p::ctl
