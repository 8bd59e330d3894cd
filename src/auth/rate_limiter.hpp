#pragma once
// Token-bucket rate limits, one bucket per key (an issuerId), fixed at start-up so the hot
// path takes no lock but the bucket's own. A bucket holds at most one second of its rate
// (at least one request), so a quiet issuer may burst briefly and then runs at the rate.
//
// Per process: with several c2pd nodes each enforces the limit on its own share of the
// traffic (docs/api-decisions.md).

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace c2p::auth {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // A limit of 0 means "unlimited" for that key.
  void SetLimit(std::string key, unsigned per_second);

  // nullopt: allowed (a token was taken). Otherwise how long until one is available,
  // rounded up to whole seconds for a Retry-After header (at least 1). Unknown keys are
  // not limited.
  std::optional<std::chrono::seconds> TryTake(std::string_view key, Clock::time_point now);

 private:
  struct Bucket {
    std::mutex mutex;
    double rate = 0;      // tokens per second
    double capacity = 0;  // burst
    double tokens = 0;
    Clock::time_point last{};
  };
  std::map<std::string, std::unique_ptr<Bucket>, std::less<>> buckets_;
};

}  // namespace c2p::auth
