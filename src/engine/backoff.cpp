#include "engine/backoff.hpp"

#include <algorithm>

namespace c2p::engine {

std::chrono::milliseconds RetryDelay(const RetryPolicy& policy, std::int64_t attempt,
                                     std::optional<std::chrono::milliseconds> retry_after,
                                     std::uint64_t jitter) {
  const std::int64_t base = std::max<std::int64_t>(policy.base.count(), 1);
  const std::int64_t cap = std::max<std::int64_t>(policy.max.count(), base);
  // Doubling stops at the cap (and long before it could overflow).
  std::int64_t delay = base;
  for (std::int64_t i = 1; i < attempt && delay < cap; ++i) delay *= 2;
  delay = std::min(delay, cap);
  const std::int64_t half = delay / 2;
  const std::int64_t spread = delay - half + 1;
  delay = half + static_cast<std::int64_t>(jitter % static_cast<std::uint64_t>(spread));
  if (retry_after) {
    delay = std::max<std::int64_t>(delay, retry_after->count());
  }
  return std::chrono::milliseconds(delay);
}

}  // namespace c2p::engine
