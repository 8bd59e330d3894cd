#include "store/writer_metrics.hpp"

#include <string>
#include <utility>

namespace c2p::store {

void WriterMetrics::Committed() {
  commits.Add();
  if (!failing) return;
  failing = false;
  if (on_state) on_state(false, {});
}

void WriterMetrics::CommitFailed(std::string_view reason) {
  commit_failures.Add();
  if (failing) return;
  failing = true;
  if (on_state) on_state(true, reason);
}

WriterMetrics WriterMetrics::Register(
    core::metrics::Registry& registry, std::string_view backend,
    std::function<void(bool failing, std::string_view reason)> on_state) {
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
      std::move(on_state),
  };
}

}  // namespace c2p::store
