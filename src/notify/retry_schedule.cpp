#include "notify/retry_schedule.hpp"

#include <algorithm>

namespace c2p::notify {

std::vector<std::chrono::milliseconds> RetrySchedule::DefaultSteps() {
  using std::chrono::hours;
  using std::chrono::minutes;
  using std::chrono::seconds;
  return {seconds(5), seconds(30), minutes(2), minutes(10), minutes(30),
          hours(1),   hours(2),    hours(4),   hours(8)};
}

std::optional<std::int64_t> NextAttemptMs(const RetrySchedule& schedule, std::int64_t attempts,
                                          std::int64_t created_ms, std::int64_t now_ms,
                                          std::optional<std::chrono::seconds> retry_after,
                                          double draw) {
  if (schedule.steps.empty()) return std::nullopt;
  const auto index = static_cast<std::size_t>(std::clamp<std::int64_t>(
      attempts - 1, 0, static_cast<std::int64_t>(schedule.steps.size()) - 1));
  const double step = static_cast<double>(schedule.steps[index].count());
  const double jitter = std::clamp(schedule.jitter, 0.0, 1.0);
  auto delay = static_cast<std::int64_t>(step * (1.0 - jitter + 2.0 * jitter * draw));
  if (retry_after) {
    delay = std::max<std::int64_t>(
        delay, std::chrono::duration_cast<std::chrono::milliseconds>(*retry_after).count());
  }
  const std::int64_t next = now_ms + std::max<std::int64_t>(delay, 1);
  if (next > created_ms + schedule.horizon.count()) return std::nullopt;
  return next;
}

}  // namespace c2p::notify
