#include "engine/profile_reader.hpp"

#include <memory>
#include <optional>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "networks/answers.hpp"

namespace c2p::engine {
namespace asio = boost::asio;

namespace {

// What the reads of one call share, on the engine's executor only (no locks). Kept alive
// by every read still running, so a read that ends after the timeout writes nowhere.
struct Gather {
  Gather(const asio::any_io_executor& executor, std::size_t n) : results(n), timer(executor) {}
  std::vector<std::optional<networks::Result<networks::Profile>>> results;
  std::size_t remaining = 0;
  bool closed = false;  // the caller has its answer: later results are dropped
  asio::steady_timer timer;
};

// Owns its connector handle: the read may outlive the caller's wait (timeout).
asio::awaitable<void> ReadOne(std::shared_ptr<Gather> gather, std::size_t index,
                              std::unique_ptr<networks::NetworkConnector> connector,
                              std::string consumer_id) {
  auto result = co_await connector->GetProfile(consumer_id);
  if (gather->closed) co_return;
  gather->results[index] = std::move(result);
  if (--gather->remaining == 0) gather->timer.cancel();
}

}  // namespace

ProfileReader::ProfileReader(asio::any_io_executor executor, Connectors connectors,
                             std::chrono::milliseconds timeout)
    : executor_(std::move(executor)), connectors_(std::move(connectors)), timeout_(timeout) {}

asio::awaitable<std::vector<ProfileRead>> ProfileReader::Read(std::vector<std::string> networks,
                                                              std::string external_consumer_id,
                                                              std::string correlation_id) {
  co_return co_await asio::co_spawn(
      executor_,
      ReadHere(std::move(networks), std::move(external_consumer_id), std::move(correlation_id)),
      asio::use_awaitable);
}

asio::awaitable<std::vector<ProfileRead>> ProfileReader::ReadHere(std::vector<std::string> networks,
                                                                  std::string external_consumer_id,
                                                                  std::string correlation_id) {
  auto gather = std::make_shared<Gather>(executor_, networks.size());
  for (std::size_t i = 0; i < networks.size(); ++i) {
    const auto it = connectors_.find(networks[i]);
    if (it == connectors_.end()) {
      gather->results[i] = tl::unexpected(networks::MakeFailure(
          networks::FailureReason::kRejected, "no connector configured for the network"));
      continue;
    }
    ++gather->remaining;
    asio::co_spawn(executor_,
                   ReadOne(gather, i, it->second->ForCall({correlation_id}), external_consumer_id),
                   asio::detached);
  }
  if (gather->remaining > 0) {
    gather->timer.expires_after(timeout_);
    // Cancelled when the last read ends; otherwise the timeout passed.
    co_await gather->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  gather->closed = true;
  std::vector<ProfileRead> out;
  out.reserve(networks.size());
  for (std::size_t i = 0; i < networks.size(); ++i) {
    auto& r = gather->results[i];
    if (!r) {
      networks::Failure f = networks::MakeFailure(networks::FailureReason::kTimeout,
                                                  "no answer within the profile timeout");
      r = tl::unexpected(std::move(f));
    }
    out.push_back(ProfileRead{std::move(networks[i]), std::move(*r)});
  }
  co_return out;
}

}  // namespace c2p::engine
