#pragma once
// The HTTPS side of batch files (shared/spec/batch.md §1 [c2p]): upload, progress, result.

#include <filesystem>

#include "batch/batch_processor.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace c2p::api {

struct BatchRoutesOptions {
  std::filesystem::path upload_dir;  // where upload bodies are streamed to
  std::size_t max_file_bytes = 200U << 20;
  std::chrono::milliseconds upload_timeout{10 * 60'000};  // the whole body
};

void AddBatchRoutes(http::Router& router, store::Store& store, batch::BatchProcessor& batches,
                    const BatchRoutesOptions& options);

}  // namespace c2p::api
