#include "auth/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace c2p::auth {

void RateLimiter::SetLimit(std::string key, unsigned per_second) {
  if (per_second == 0) {
    buckets_.erase(key);
    return;
  }
  auto bucket = std::make_unique<Bucket>();
  bucket->rate = per_second;
  bucket->capacity = std::max(1.0, static_cast<double>(per_second));
  bucket->tokens = bucket->capacity;
  buckets_[std::move(key)] = std::move(bucket);
}

std::optional<std::chrono::seconds> RateLimiter::TryTake(std::string_view key,
                                                         Clock::time_point now) {
  auto it = buckets_.find(key);
  if (it == buckets_.end()) return std::nullopt;
  Bucket& b = *it->second;
  std::lock_guard lock(b.mutex);
  if (b.last != Clock::time_point{} && now > b.last) {
    const double elapsed = std::chrono::duration<double>(now - b.last).count();
    b.tokens = std::min(b.capacity, b.tokens + elapsed * b.rate);
  }
  if (now > b.last) b.last = now;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return std::nullopt;
  }
  const double wait = (1.0 - b.tokens) / b.rate;
  return std::chrono::seconds(
      std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(wait))));
}

}  // namespace c2p::auth
