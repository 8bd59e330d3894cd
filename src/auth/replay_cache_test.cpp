#include "auth/replay_cache.hpp"

#include <gtest/gtest.h>

namespace c2p::auth {
namespace {

using namespace std::chrono_literals;
const core::SystemTime kNow = core::FromUnixMillis(1'768'631'282'000);

TEST(ReplayCache, SecondUseBeforeExpiryIsAReplay) {
  ReplayCache cache;
  EXPECT_EQ(cache.Use("a", kNow + 60s, kNow), ReplayCache::Outcome::kFirstUse);
  EXPECT_EQ(cache.Use("a", kNow + 60s, kNow + 59s), ReplayCache::Outcome::kReplay);
  EXPECT_EQ(cache.Use("b", kNow + 60s, kNow), ReplayCache::Outcome::kFirstUse);
}

TEST(ReplayCache, ForgottenAfterExpiryAndSwept) {
  ReplayCache cache;
  EXPECT_EQ(cache.Use("a", kNow + 60s, kNow), ReplayCache::Outcome::kFirstUse);
  EXPECT_EQ(cache.Use("a", kNow + 120s, kNow + 60s), ReplayCache::Outcome::kFirstUse);
  EXPECT_EQ(cache.size(), 1u);
  for (int i = 0; i < 64; ++i) {
    cache.Use("x" + std::to_string(i), kNow + 200s, kNow + 100s);
  }
  // A call sweeps what expired in its shard; a thousand ids touch all 16 shards, so at
  // 300 s only they are left.
  for (int i = 0; i < 1000; ++i) cache.Use("y" + std::to_string(i), kNow + 400s, kNow + 300s);
  EXPECT_EQ(cache.size(), 1000u);
}

TEST(ReplayCache, RefusesNewIdsWhenFull) {
  ReplayCache cache(16);  // one entry per shard, plus one
  int full = 0;
  for (int i = 0; i < 200; ++i) {
    if (cache.Use("id" + std::to_string(i), kNow + 60s, kNow) == ReplayCache::Outcome::kFull) {
      ++full;
    }
  }
  EXPECT_GT(full, 0);
  EXPECT_LE(cache.size(), 32u);
}

}  // namespace
}  // namespace c2p::auth
