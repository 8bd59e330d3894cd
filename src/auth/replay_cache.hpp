#pragma once
// Remembers the assertion ids (jti) already used, each until the moment its assertion
// could no longer be accepted anyway, so a replay inside the assertion's lifetime is
// refused (spec/api.md §3.1) while memory stays bounded by the accepted-assertion rate.
//
// Per process: on a multi-node deployment each node keeps its own memory (see
// docs/api-decisions.md). Thread-safe; sharded so reactor threads rarely meet on a lock.

#include <array>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/time_format.hpp"

namespace c2p::auth {

class ReplayCache {
 public:
  // At most `capacity` live entries in all; when full, new ids are refused (a caller that
  // floods us with valid assertions is throttled rather than let in twice).
  explicit ReplayCache(std::size_t capacity = 1'000'000)
      : shard_capacity_(capacity / kShards + 1), shards_(std::make_unique<Shards>()) {}

  enum class Outcome { kFirstUse, kReplay, kFull };

  // Records `id` as used until `forget_after`. kReplay if it is already recorded and not
  // yet forgotten.
  Outcome Use(std::string_view id, core::SystemTime forget_after, core::SystemTime now);

  std::size_t size() const;

 private:
  static constexpr std::size_t kShards = 16;
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, core::SystemTime> expiry;
    core::SystemTime next_sweep{};
  };
  static void Sweep(Shard& shard, core::SystemTime now);

  using Shards = std::array<Shard, kShards>;

  std::size_t shard_capacity_;
  std::unique_ptr<Shards> shards_;  // behind a pointer so the cache can move
};

}  // namespace c2p::auth
