#include "store/writer_metrics.hpp"

#include <string>

namespace c2p::store {

WriterMetrics WriterMetrics::Register(core::metrics::Registry& registry, std::string_view backend) {
  const core::metrics::Labels labels{{"store", std::string(backend)}};
  return WriterMetrics{
      registry.GetHistogram("c2p_store_commit_batch_size", "Units of work per group commit.",
                            labels, core::metrics::SizeBuckets()),
      registry.GetHistogram("c2p_store_commit_seconds",
                            "Time from BEGIN to a durable COMMIT of one group commit.", labels,
                            core::metrics::LatencyBuckets()),
      registry.GetCounter("c2p_store_commits_total", "Group commits made durable.", labels),
      registry.GetCounter("c2p_store_commit_failures_total",
                          "Group commits that failed as a whole.", labels),
      registry.GetGauge("c2p_store_write_queue_depth", "Units of work waiting for the writer.",
                        labels),
  };
}

}  // namespace c2p::store
