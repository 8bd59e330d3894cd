#pragma once
// The PostgreSQL store (postgresql://…): writer threads group-committing the writes, each
// on its own connection (group_writer.hpp, StoreOptions::write_connections), and a small
// pool of connections for reads (reader_pool.hpp). Several c2pd nodes may share one
// database.
//
// Reads never block their caller's thread: each is sent on a leased reader in non-blocking
// mode and its coroutine waits for the answer on its own reactor (Connection::AwaitRead).
// The writer never blocks a caller either.

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
#include "store/postgres/statistics_keeper.hpp"
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
  Reading<std::optional<std::string>> GetSetting(std::string_view key) override;
  Reading<std::optional<ConsumerRecord>> GetConsumer(std::string_view issuer,
                                                     std::string_view consumer) override;
  Reading<std::optional<CardRecord>> GetCard(std::string_view issuer,
                                             std::string_view card_id) override;
  Reading<std::vector<CardRecord>> GetConsumerCards(std::string_view issuer,
                                                    std::string_view consumer) override;
  Reading<std::optional<CardRecord>> GetLiveCardByPan(std::string_view issuer,
                                                      std::string_view pan_index) override;
  Reading<std::optional<OperationRecord>> GetOperation(std::string_view issuer,
                                                       std::string_view operation_id) override;
  Reading<std::vector<OperationRecord>> ListOperations(std::string_view issuer,
                                                       OperationOwner owner,
                                                       std::string_view owner_id, int offset,
                                                       int limit) override;
  Reading<std::optional<IdempotencyRecord>> GetIdempotency(std::string_view issuer,
                                                           std::string_view key) override;
  Reading<std::vector<SealedRow>> ListSealedRows(const SealedRow* after, int limit) override;
  Reading<std::optional<CardRecord>> GetCardByRef(std::int64_t card_ref) override;
  Reading<std::vector<std::string>> GetNetworkProfiles(std::string_view issuer,
                                                       std::string_view consumer) override;
  Reading<std::int64_t> CountJobs() override;
  Reading<std::optional<std::int64_t>> NextJobDue(std::int64_t now_ms, JobLane lane) override;
  Reading<std::vector<NotificationMessage>> ListNotificationMessages(std::string_view issuer,
                                                                     std::string_view state,
                                                                     std::string_view card_id,
                                                                     int limit) override;
  Reading<std::optional<NotificationMessage>> GetNotificationMessage(
      std::int64_t message_id) override;
  Reading<std::optional<std::int64_t>> NextNotificationDue() override;
  Reading<std::int64_t> CountQueuedNotifications() override;
  Reading<std::vector<NotificationBacklog>> NotificationBacklogs() override;
  Reading<std::vector<std::string>> SuspendedNotificationIssuers() override;
  Reading<std::optional<BatchFileRecord>> GetBatchFile(std::string_view issuer,
                                                       std::string_view batch_id,
                                                       std::string_view seq_number) override;
  Reading<std::vector<BatchFileRecord>> OpenBatchFiles() override;
  Reading<std::vector<BatchRecordResult>> BatchResults(const BatchFileRecord& file,
                                                       std::int64_t after_row_id,
                                                       int limit) override;
  Reading<void> Ping() override;
  int SchemaVersion() const override { return schema_version_; }
  void WatchOperationEnds(const std::function<void(const std::string& key)>& on_ended) override;
  void Close() override;

 private:
  // Runs `query` on a borrowed reader connection.
  template <typename Query>
  auto WithReader(Query query)
      -> boost::asio::awaitable<decltype(query(std::declval<Connection&>()))>;

  PgStore(std::string url, int schema_version, std::vector<Connection> writers,
          std::vector<Connection> readers, std::size_t max_batch, WriterMetrics metrics);

  const std::string url_;
  const int schema_version_;
  GroupWriter writer_;
  ReaderPool readers_;
  std::mutex listener_mu_;
  std::unique_ptr<OperationListener> listener_;   // guarded by listener_mu_
  std::unique_ptr<StatisticsKeeper> statistics_;  // none unless refresh_statistics is set
};

}  // namespace c2p::store::postgres
