#pragma once
// When to try a job again: exponential back-off with jitter, honouring a network's
// Retry-After. Pure, so the schedule is unit-tested without clocks.

#include <chrono>
#include <cstdint>
#include <optional>

namespace c2p::engine {

struct RetryPolicy {
  std::chrono::milliseconds base{200};  // the delay after the first failed attempt
  std::chrono::milliseconds max{60'000};
};

// The delay after failed attempt number `attempt` (1 for the first): base·2^(attempt-1)
// capped at max, then "equal jitter": a uniform pick in [d/2, d] from `jitter` (any 64-bit
// random value), so retries of many jobs failing together spread out instead of
// returning in one wave. A Retry-After longer than that wins.
std::chrono::milliseconds RetryDelay(const RetryPolicy& policy, std::int64_t attempt,
                                     std::optional<std::chrono::milliseconds> retry_after,
                                     std::uint64_t jitter);

}  // namespace c2p::engine
