#pragma once
// The store interface the rest of c2p talks to. Backends (sqlite/, later postgres/) live
// below it; nothing above this file knows SQL.
//
// Writes are group-committed: each caller hands a unit of work to Write(); a single
// writer runs many queued units inside one transaction (each unit under its own
// savepoint, so one failing unit never spoils the others) and makes the batch durable
// with one fsync. Write() completes only after the batch holding its unit is durable:
// "acknowledged" always means "on disk".

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "core/error.hpp"
#include "core/metrics.hpp"

namespace c2p::store {

// Typed mutations available to a unit of work. Later features add their own methods here
// (consumers, cards, operations, jobs...), implemented by every backend.
class WriteTx {
 public:
  virtual ~WriteTx() = default;
  // Small key/value facts about this deployment (store identity, sandbox bookkeeping).
  virtual core::Result<void> PutSetting(std::string_view key, std::string_view value) = 0;
};

using WriteWork = std::function<core::Result<void>(WriteTx&)>;

struct StoreOptions {
  // Most units one group transaction takes; more wait for the next one.
  std::size_t max_batch = 512;
  // Readers kept open for concurrent reads.
  std::size_t read_connections = 4;
};

class Store {
 public:
  virtual ~Store() = default;

  // Queues `work` for the next group commit and resumes the caller on its own executor
  // once that commit is durable. Returns the unit's own error if it failed (its changes
  // are rolled back), or kUnavailable if the store cannot commit.
  virtual boost::asio::awaitable<core::Result<void>> Write(WriteWork work) = 0;

  // Reads see every acknowledged write.
  virtual core::Result<std::optional<std::string>> GetSetting(std::string_view key) = 0;

  // Cheap liveness probe used by /readyz: store reachable and migrations applied.
  virtual core::Result<void> Ping() = 0;

  // Version of the newest migration applied.
  virtual int SchemaVersion() const = 0;

  // Stops the writer after the queued units are committed. Idempotent.
  virtual void Close() = 0;
};

// Opens the store named by `url`: "sqlite:PATH" (created if missing, migrations applied).
// Records commit batch sizes and latencies into `registry`.
core::Result<std::unique_ptr<Store>> OpenStore(std::string_view url, const StoreOptions& options,
                                               core::metrics::Registry& registry);

}  // namespace c2p::store
