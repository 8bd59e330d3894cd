#pragma once
// The operator commands that work on c2pd's own store while c2pd runs (keys rotate,
// notifications): one way to open it and to commit a unit of work from a plain thread.

#include <memory>
#include <string>

#include "core/error.hpp"
#include "core/metrics.hpp"
#include "store/store.hpp"

namespace c2p::ctl {

// The store c2pd's configuration at `store_url` names, with one reader.
core::Result<std::unique_ptr<store::Store>> OpenStoreAt(const std::string& store_url,
                                                        core::metrics::Registry& metrics);

// Runs one unit of work and waits for its commit.
core::Result<void> WriteNow(store::Store& store, store::WriteWork work);

}  // namespace c2p::ctl
