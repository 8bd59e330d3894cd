#pragma once
// The group writer's instruments, shared by every backend's writer and labelled with the
// backend's name (store="sqlite" | "postgresql").

#include <string_view>

#include "core/metrics.hpp"

namespace c2p::store {

struct WriterMetrics {
  core::metrics::Histogram& batch_size;      // units per committed transaction
  core::metrics::Histogram& commit_seconds;  // BEGIN to COMMIT returned
  core::metrics::Counter& commits;
  core::metrics::Counter& commit_failures;  // batches whose transaction failed as a whole
  core::metrics::Gauge& queue_depth;        // units waiting for the writer

  // The instruments, labelled store="<backend>".
  static WriterMetrics Register(core::metrics::Registry& registry, std::string_view backend);
};

}  // namespace c2p::store
