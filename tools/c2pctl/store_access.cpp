#include "tools/c2pctl/store_access.hpp"

#include "core/block_on.hpp"

namespace c2p::ctl {

core::Result<std::unique_ptr<store::Store>> OpenStoreAt(const std::string& store_url,
                                                        core::metrics::Registry& metrics) {
  store::StoreOptions options;
  options.read_connections = 1;
  options.write_connections = 1;
  return store::OpenStore(store_url, options, metrics);
}

core::Result<void> WriteNow(store::Store& store, store::WriteWork work) {
  return core::BlockOn(store.Write(std::move(work)));
}

}  // namespace c2p::ctl
