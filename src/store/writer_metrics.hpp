#pragma once
// The group writer's instruments, shared by every backend's writer and labelled with the
// backend's name (store="sqlite" | "postgresql").

#include <functional>
#include <string_view>

#include "core/metrics.hpp"

namespace c2p::store {

struct WriterMetrics {
  core::metrics::Histogram& batch_size;      // units per committed transaction
  core::metrics::Histogram& commit_seconds;  // BEGIN to COMMIT returned
  core::metrics::Counter& commits;
  core::metrics::Counter& commit_failures;  // batches whose transaction failed as a whole
  core::metrics::Gauge& queue_depth;        // units waiting for the writer
  // StoreOptions::on_writer_state, and what it was last told (under the group committer's state
  // lock).
  std::function<void(bool failing, std::string_view reason)> on_state;
  bool failing = false;

  // A group committed / failed as a whole: counted, and the listener told of a change.
  void Committed();
  void CommitFailed(std::string_view reason);

  // The instruments, labelled store="<backend>".
  static WriterMetrics Register(
      core::metrics::Registry& registry, std::string_view backend,
      std::function<void(bool failing, std::string_view reason)> on_state = {});
};

}  // namespace c2p::store
