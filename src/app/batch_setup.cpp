#include "app/batch_setup.hpp"

#include <system_error>

namespace c2p::app {

std::unique_ptr<batch::BatchProcessor> BuildBatchProcessor(
    const Config& config, registry::RegistryContext& registry, const auth::AssertionVerifier& keys,
    core::metrics::Registry& metrics, const core::InteractiveActivity* activity) {
  batch::BatchOptions options;
  for (const auto& issuer : config.issuers) {
    if (issuer.spool_dir.empty()) continue;
    options.issuers.push_back({issuer.id, issuer.spool_dir, issuer.batch_records_per_second});
  }
  options.poll_interval = config.batch.poll_interval;
  options.settle = config.batch.settle;
  options.max_file_bytes = config.batch.max_file_bytes;
  options.chunk_records = config.batch.chunk_records;
  options.chunk_records_when_interactive = config.batch.chunk_records_when_interactive;
  options.activity = activity;
  options.prepare_threads = config.batch.prepare_threads;
  return std::make_unique<batch::BatchProcessor>(
      registry,
      [&keys](std::string_view issuer, std::string_view kid) { return keys.FindKey(issuer, kid); },
      std::move(options), metrics);
}

core::Result<void> StartBatchProcessor(const Config& config, batch::BatchProcessor& batches) {
  if (!config.batch.upload_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(config.batch.upload_dir, ec);
    if (ec) {
      return core::Fail(
          core::ErrorCode::kIo,
          "batch.upload_dir " + config.batch.upload_dir.string() + ": " + ec.message());
    }
  }
  return batches.Start();
}

}  // namespace c2p::app
