#include "engine/backoff.hpp"

#include <set>

#include <gtest/gtest.h>

namespace c2p::engine {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr RetryPolicy kPolicy{milliseconds(100), milliseconds(1600)};

TEST(RetryDelay, DoublesPerAttemptWithinEqualJitter) {
  for (std::int64_t attempt = 1; attempt <= 5; ++attempt) {
    const std::int64_t full = 100LL << (attempt - 1);
    EXPECT_EQ(RetryDelay(kPolicy, attempt, std::nullopt, 0).count(), full / 2) << attempt;
    // The largest jitter value of the range gives the full delay.
    const auto top = static_cast<std::uint64_t>(full - full / 2);
    EXPECT_EQ(RetryDelay(kPolicy, attempt, std::nullopt, top).count(), full) << attempt;
  }
}

TEST(RetryDelay, StopsAtTheCap) {
  for (std::int64_t attempt : {6, 7, 60, 1'000'000}) {
    const auto d = RetryDelay(kPolicy, attempt, std::nullopt, 12345).count();
    EXPECT_GE(d, 800) << attempt;
    EXPECT_LE(d, 1600) << attempt;
  }
}

TEST(RetryDelay, JitterSpreadsDelays) {
  std::set<std::int64_t> seen;
  for (std::uint64_t j = 0; j < 50; ++j)
    seen.insert(RetryDelay(kPolicy, 3, std::nullopt, j).count());
  EXPECT_GT(seen.size(), 40U);
}

TEST(RetryDelay, RetryAfterWinsWhenLonger) {
  EXPECT_EQ(RetryDelay(kPolicy, 1, seconds(3), 0), milliseconds(3000));
  // A shorter Retry-After does not shorten the back-off.
  EXPECT_EQ(RetryDelay(kPolicy, 5, seconds(0), 0), milliseconds(800));
}

TEST(RetryDelay, DegeneratePoliciesStayPositive) {
  EXPECT_GE(RetryDelay(RetryPolicy{milliseconds(0), milliseconds(0)}, 1, std::nullopt, 7).count(),
            0);
  EXPECT_EQ(RetryDelay(RetryPolicy{milliseconds(10), milliseconds(1)}, 3, std::nullopt, 0).count(),
            5);
}

}  // namespace
}  // namespace c2p::engine
