#include "auth/replay_cache.hpp"

#include <functional>

namespace c2p::auth {

void ReplayCache::Sweep(Shard& shard, core::SystemTime now) {
  std::erase_if(shard.expiry, [now](const auto& entry) { return entry.second <= now; });
  // Sweeping is linear in the shard: once a second at most keeps it off the hot path.
  shard.next_sweep = now + std::chrono::seconds(1);
}

ReplayCache::Outcome ReplayCache::Use(std::string_view id, core::SystemTime forget_after,
                                      core::SystemTime now) {
  Shard& shard = (*shards_)[std::hash<std::string_view>{}(id) % kShards];
  std::lock_guard lock(shard.mutex);
  if (now >= shard.next_sweep) Sweep(shard, now);
  auto it = shard.expiry.find(std::string(id));
  if (it != shard.expiry.end()) {
    if (it->second > now) return Outcome::kReplay;
    it->second = forget_after;
    return Outcome::kFirstUse;
  }
  if (shard.expiry.size() >= shard_capacity_) return Outcome::kFull;
  shard.expiry.emplace(id, forget_after);
  return Outcome::kFirstUse;
}

std::size_t ReplayCache::size() const {
  std::size_t n = 0;
  for (const auto& shard : *shards_) {
    std::lock_guard lock(shard.mutex);
    n += shard.expiry.size();
  }
  return n;
}

}  // namespace c2p::auth
