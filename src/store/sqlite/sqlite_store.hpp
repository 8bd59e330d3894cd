#pragma once
// The embedded SQLite store: one file in WAL mode, one writer thread group-committing the
// writes (group_writer.hpp), a checkpointer thread copying the WAL back into the file
// (checkpointer.hpp) and a small pool of read-only connections for reads
// (reader_pool.hpp). Suits a single c2pd; several c2pd share PostgreSQL instead.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/metrics.hpp"
#include "store/sqlite/checkpointer.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/group_writer.hpp"
#include "store/sqlite/reader_pool.hpp"
#include "store/store.hpp"

namespace c2p::store::sqlite {

class SqliteStore final : public Store {
 public:
  // Opens or creates the database file at `path`, sets it up (WAL, synchronous=FULL),
  // applies pending migrations and starts the writer.
  static core::Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                         const StoreOptions& options,
                                                         core::metrics::Registry& registry);

  ~SqliteStore() override;

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
  void Close() override;

 private:
  // Runs `query` on a borrowed reader connection.
  template <typename Query>
  auto WithReader(Query query) -> decltype(query(std::declval<Connection&>()));

  SqliteStore(int schema_version, Connection writer, Connection checkpointer,
              std::vector<Connection> readers, std::size_t max_batch, WriterMetrics metrics);

  const int schema_version_;
  GroupWriter writer_;
  Checkpointer checkpointer_;
  ReaderPool readers_;
};

}  // namespace c2p::store::sqlite
