#pragma once
// When a notification that failed is sent again (shared/spec/outbound.md §3): about 5 s,
// 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, then every 8 h, each delay drawn within
// ±jitter of its step so that many failures at once do not come back at once; a Retry-After
// longer than the step wins. Past the horizon (72 h from the message's creation) the
// message is dead.

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

namespace c2p::notify {

struct RetrySchedule {
  std::vector<std::chrono::milliseconds> steps = DefaultSteps();  // the last repeats
  std::chrono::milliseconds horizon{std::chrono::hours(72)};
  double jitter = 0.2;  // each delay is within ±jitter of its step

  static std::vector<std::chrono::milliseconds> DefaultSteps();
};

// The next attempt's time after attempt number `attempts` (1 = the first) failed at
// `now_ms`, or nullopt when it would fall past `created_ms + horizon` (the message is dead).
// `draw` is uniform in [0, 1).
std::optional<std::int64_t> NextAttemptMs(const RetrySchedule& schedule, std::int64_t attempts,
                                          std::int64_t created_ms, std::int64_t now_ms,
                                          std::optional<std::chrono::seconds> retry_after,
                                          double draw);

}  // namespace c2p::notify
