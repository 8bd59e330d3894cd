#pragma once
// The PostgreSQL store (postgresql://…): one writer thread group-committing the writes on
// its own connection (group_writer.hpp) and a small pool of connections for reads
// (reader_pool.hpp). Several c2pd nodes may share one database.
//
// Reads are synchronous, as the Store interface is: each is one loopback round trip on the
// caller's thread (a request handler's reactor thread). The writer never blocks a caller.
// See src/store/README.md for that limit and the next step (pipelined, asynchronous reads).

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/metrics.hpp"
#include "store/postgres/connection.hpp"
#include "store/postgres/group_writer.hpp"
#include "store/postgres/operation_listener.hpp"
#include "store/postgres/reader_pool.hpp"
#include "store/store.hpp"

namespace c2p::store::postgres {

class PgStore final : public Store {
 public:
  // Connects to `url`, applies pending migrations (once across nodes) and starts the
  // writer. kUnavailable when PostgreSQL cannot be reached.
  static core::Result<std::unique_ptr<PgStore>> Open(const std::string& url,
                                                     const StoreOptions& options,
                                                     core::metrics::Registry& registry);

  ~PgStore() override;

  using Store::Write;
  boost::asio::awaitable<core::Result<void>> Write(WriteWork work, WritePriority priority) override;
  core::Result<std::optional<std::string>> GetSetting(std::string_view key) override;
  core::Result<std::optional<ConsumerRecord>> GetConsumer(std::string_view issuer,
                                                          std::string_view consumer) override;
  core::Result<std::optional<CardRecord>> GetCard(std::string_view issuer,
                                                  std::string_view card_id) override;
  core::Result<std::vector<CardRecord>> GetConsumerCards(std::string_view issuer,
                                                         std::string_view consumer) override;
  core::Result<std::optional<CardRecord>> GetLiveCardByPan(std::string_view issuer,
                                                           std::string_view pan_index) override;
  core::Result<std::optional<OperationRecord>> GetOperation(std::string_view issuer,
                                                            std::string_view operation_id) override;
  core::Result<std::vector<OperationRecord>> ListOperations(std::string_view issuer,
                                                            OperationOwner owner,
                                                            std::string_view owner_id, int offset,
                                                            int limit) override;
  core::Result<std::optional<IdempotencyRecord>> GetIdempotency(std::string_view issuer,
                                                                std::string_view key) override;
  core::Result<std::vector<SealedRow>> ListSealedRows(const SealedRow* after, int limit) override;
  core::Result<std::optional<CardRecord>> GetCardByRef(std::int64_t card_ref) override;
  core::Result<std::vector<std::string>> GetNetworkProfiles(std::string_view issuer,
                                                            std::string_view consumer) override;
  core::Result<std::int64_t> CountJobs() override;
  core::Result<std::optional<std::int64_t>> NextJobDue(std::int64_t now_ms, JobLane lane) override;
  core::Result<std::vector<NotificationMessage>> ListNotificationMessages(std::string_view issuer,
                                                                          std::string_view state,
                                                                          std::string_view card_id,
                                                                          int limit) override;
  core::Result<std::optional<NotificationMessage>> GetNotificationMessage(
      std::int64_t message_id) override;
  core::Result<std::optional<std::int64_t>> NextNotificationDue() override;
  core::Result<std::int64_t> CountQueuedNotifications() override;
  core::Result<std::vector<NotificationBacklog>> NotificationBacklogs() override;
  core::Result<std::vector<std::string>> SuspendedNotificationIssuers() override;
  core::Result<std::optional<BatchFileRecord>> GetBatchFile(std::string_view issuer,
                                                            std::string_view batch_id,
                                                            std::string_view seq_number) override;
  core::Result<std::vector<BatchFileRecord>> OpenBatchFiles() override;
  core::Result<std::vector<BatchRecordResult>> BatchResults(const BatchFileRecord& file,
                                                            std::int64_t after_row_id,
                                                            int limit) override;
  core::Result<void> Ping() override;
  int SchemaVersion() const override { return schema_version_; }
  void WatchOperationEnds(const std::function<void(const std::string& key)>& on_ended) override;
  void Close() override;

 private:
  // Runs `query` on a borrowed reader connection.
  template <typename Query>
  auto WithReader(Query query) -> decltype(query(std::declval<Connection&>()));

  PgStore(std::string url, int schema_version, Connection writer, std::vector<Connection> readers,
          std::size_t max_batch, WriterMetrics metrics);

  const std::string url_;
  const int schema_version_;
  GroupWriter writer_;
  ReaderPool readers_;
  std::mutex listener_mu_;
  std::unique_ptr<OperationListener> listener_;  // guarded by listener_mu_
};

}  // namespace c2p::store::postgres
