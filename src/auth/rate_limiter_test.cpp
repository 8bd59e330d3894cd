#include "auth/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace c2p::auth {
namespace {

using namespace std::chrono_literals;
using Clock = RateLimiter::Clock;

TEST(RateLimiter, AllowsABurstOfOneSecondThenTheRate) {
  RateLimiter limits;
  limits.SetLimit("A", 5);
  const Clock::time_point t0 = Clock::now();
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(limits.TryTake("A", t0)) << i;
  auto wait = limits.TryTake("A", t0);
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, 1s);
  // 200 ms later one token is back, and only one.
  EXPECT_FALSE(limits.TryTake("A", t0 + 200ms));
  EXPECT_TRUE(limits.TryTake("A", t0 + 200ms));
}

TEST(RateLimiter, RetryAfterIsRoundedUpToWholeSeconds) {
  RateLimiter limits;
  limits.SetLimit("slow", 1);
  const Clock::time_point t0 = Clock::now();
  EXPECT_FALSE(limits.TryTake("slow", t0));
  auto wait = limits.TryTake("slow", t0 + 100ms);
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, 1s);
}

TEST(RateLimiter, KeysAreIndependentAndUnknownOrZeroMeansUnlimited) {
  RateLimiter limits;
  limits.SetLimit("A", 1);
  limits.SetLimit("B", 1);
  limits.SetLimit("C", 0);
  const Clock::time_point t0 = Clock::now();
  EXPECT_FALSE(limits.TryTake("A", t0));
  EXPECT_TRUE(limits.TryTake("A", t0));
  EXPECT_FALSE(limits.TryTake("B", t0));
  for (int i = 0; i < 100; ++i) {
    EXPECT_FALSE(limits.TryTake("C", t0));
    EXPECT_FALSE(limits.TryTake("unknown", t0));
  }
}

TEST(RateLimiter, TimeGoingBackwardsNeverMintsTokens) {
  RateLimiter limits;
  limits.SetLimit("A", 2);
  const Clock::time_point t0 = Clock::now();
  EXPECT_FALSE(limits.TryTake("A", t0));
  EXPECT_FALSE(limits.TryTake("A", t0));
  EXPECT_TRUE(limits.TryTake("A", t0 - 5s));
  EXPECT_TRUE(limits.TryTake("A", t0));
}

}  // namespace
}  // namespace c2p::auth
