#include "tools/c2pctl/store_access.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

namespace c2p::ctl {

core::Result<std::unique_ptr<store::Store>> OpenStoreAt(const std::string& store_url,
                                                        core::metrics::Registry& metrics) {
  store::StoreOptions options;
  options.read_connections = 1;
  return store::OpenStore(store_url, options, metrics);
}

core::Result<void> WriteNow(store::Store& store, store::WriteWork work) {
  boost::asio::io_context io;
  auto done = boost::asio::co_spawn(io, store.Write(std::move(work)), boost::asio::use_future);
  io.run();
  return done.get();
}

}  // namespace c2p::ctl
