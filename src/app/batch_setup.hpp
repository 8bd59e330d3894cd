#pragma once
// Builds the batch file processor (src/batch) from the configuration: the issuers with a
// spool, their throttles, and the keys that sign their files (their assertion keys).

#include <memory>

#include "app/config.hpp"
#include "auth/assertion.hpp"
#include "batch/batch_processor.hpp"

namespace c2p::app {

std::unique_ptr<batch::BatchProcessor> BuildBatchProcessor(
    const Config& config, registry::RegistryContext& registry, const auth::AssertionVerifier& keys,
    core::metrics::Registry& metrics, const core::InteractiveActivity* activity);

// Creates the upload folder and the spools, and starts the processor's thread.
core::Result<void> StartBatchProcessor(const Config& config, batch::BatchProcessor& batches);

}  // namespace c2p::app
