#include "store/sqlite/sqlite_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <utility>

#include "store/sqlite/batch_queries.hpp"
#include "store/sqlite/engine_queries.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/notification_queries.hpp"
#include "store/sqlite/registry_queries.hpp"
#include "store/sqlite/sql.hpp"

namespace c2p::store::sqlite {

namespace {

// Longest wait for another process's lock on the file (a backup, the sqlite3 shell)
// before a statement gives up with SQLITE_BUSY.
constexpr std::chrono::milliseconds kBusyTimeout{5000};
constexpr std::chrono::milliseconds kBusyRetry{10};
// Longest wait for a free reader: past it the store is overloaded, and saying so beats
// piling up blocked request threads.
constexpr std::chrono::milliseconds kReaderWait{5000};
// How often the checkpointer copies the WAL into the database file: at a few thousand
// registrations per second, about the same number of pages per pass as SQLite's default
// auto-checkpoint (1,000 pages).
constexpr std::chrono::milliseconds kCheckpointInterval{500};

// Settings of the file and of the writer's connection. WAL is stored in the file, so
// readers opened afterwards use it too.
core::Result<void> ConfigureWriter(Connection& conn) {
  auto mode = conn.Prepare(sql::kPragmaJournalModeWal);
  if (!mode) return tl::unexpected(std::move(mode.error()));
  auto row = mode->Step();
  if (!row) return tl::unexpected(std::move(row.error()));
  // SQLite answers with the mode in force, which is not WAL for e.g. ":memory:" or some
  // network file systems: without WAL, readers would block the writer.
  if (!*row || mode->ColumnText(0) != "wal") {
    return core::Fail(core::ErrorCode::kConfigInvalid, "store file cannot use WAL journal mode");
  }
  if (auto sync = conn.Run(sql::kPragmaSynchronousFull); !sync) return sync;
  if (auto cache = conn.Run(sql::kPragmaWriterCacheSize); !cache) return cache;
  return conn.Run(sql::kPragmaWriterWalAutocheckpoint);
}

}  // namespace

core::Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                             const StoreOptions& options,
                                                             core::metrics::Registry& registry) {
  // The store holds encrypted card data and personal data: owner-only. Created here,
  // before SQLite, so the WAL and shared-memory files (which SQLite creates with the
  // database file's mode) are owner-only from their first byte too.
  const bool is_file = path != ":memory:" && !path.starts_with("file:");
  if (const int fd = is_file ? ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600) : -1;
      fd >= 0) {
    ::fchmod(fd, 0600);
    ::close(fd);
  }
  auto writer = Connection::Open(path, Connection::Access::kReadWrite, kBusyTimeout);
  if (!writer) return tl::unexpected(std::move(writer.error()));
  // Processes opening a fresh file at once race to switch it to WAL, and SQLite can answer
  // the loser "database is locked" at once instead of through the busy timeout (about one
  // run in a few hundred of StoreTest.SeveralStoresOpeningTogetherMigrateOnce): tried
  // again, for as long as that timeout.
  auto configured = ConfigureWriter(*writer);
  for (std::chrono::milliseconds waited{0};
       !configured && configured.error().code == core::ErrorCode::kUnavailable &&
       waited < kBusyTimeout;
       waited += kBusyRetry) {
    std::this_thread::sleep_for(kBusyRetry);
    configured = ConfigureWriter(*writer);
  }
  if (!configured) return tl::unexpected(std::move(configured.error()));
  auto version = ApplyMigrations(*writer);
  if (!version) return tl::unexpected(std::move(version.error()));

  auto checkpointer = Connection::Open(path, Connection::Access::kReadWrite, kBusyTimeout);
  if (!checkpointer) return tl::unexpected(std::move(checkpointer.error()));
  // A checkpoint syncs the WAL before copying it and the database file after.
  if (auto sync = checkpointer->Run(sql::kPragmaSynchronousFull); !sync) {
    return tl::unexpected(std::move(sync.error()));
  }

  // Opened after the migrations, so no reader ever sees a half-built schema.
  std::vector<Connection> readers;
  const std::size_t reader_count = std::max<std::size_t>(options.read_connections, 1);
  for (std::size_t i = 0; i < reader_count; ++i) {
    auto reader = Connection::Open(path, Connection::Access::kReadOnly, kBusyTimeout);
    if (!reader) return tl::unexpected(std::move(reader.error()));
    readers.push_back(std::move(*reader));
  }
  return std::unique_ptr<SqliteStore>(new SqliteStore(
      *version, std::move(*writer), std::move(*checkpointer), std::move(readers), options.max_batch,
      WriterMetrics::Register(registry, "sqlite", options.on_writer_state)));
}

SqliteStore::SqliteStore(int schema_version, Connection writer, Connection checkpointer,
                         std::vector<Connection> readers, std::size_t max_batch,
                         WriterMetrics metrics)
    : schema_version_(schema_version),
      writer_(std::move(writer), max_batch, std::move(metrics)),
      checkpointer_(std::move(checkpointer), kCheckpointInterval),
      readers_(std::move(readers)) {}

SqliteStore::~SqliteStore() { Close(); }

boost::asio::awaitable<core::Result<void>> SqliteStore::Write(WriteWork work,
                                                              WritePriority priority) {
  return writer_.Write(std::move(work), priority);
}

Reading<std::optional<std::string>> SqliteStore::GetSetting(std::string_view key) {
  co_return WithReader([&](Connection& c) -> core::Result<std::optional<std::string>> {
    auto stmt = c.Prepare(sql::kSelectSetting);
    if (!stmt) return tl::unexpected(std::move(stmt.error()));
    auto row = stmt->Bind(1, key).Step();
    if (!row) return tl::unexpected(std::move(row.error()));
    if (!*row) return std::optional<std::string>();
    return std::optional<std::string>(stmt->ColumnText(0));
  });
}

template <typename Query>
auto SqliteStore::WithReader(Query query) -> decltype(query(std::declval<Connection&>())) {
  auto reader = readers_.Acquire(kReaderWait);
  if (!reader) return tl::unexpected(std::move(reader.error()));
  return query(**reader);
}

Reading<std::optional<ConsumerRecord>> SqliteStore::GetConsumer(std::string_view issuer,
                                                                std::string_view consumer) {
  co_return WithReader([&](Connection& c) { return QueryConsumer(c, issuer, consumer); });
}

Reading<std::optional<CardRecord>> SqliteStore::GetCard(std::string_view issuer,
                                                        std::string_view card_id) {
  co_return WithReader([&](Connection& c) { return QueryNewestCard(c, issuer, card_id); });
}

Reading<std::vector<CardRecord>> SqliteStore::GetConsumerCards(std::string_view issuer,
                                                               std::string_view consumer) {
  co_return WithReader([&](Connection& c) { return QueryConsumerCards(c, issuer, consumer); });
}

Reading<std::optional<CardRecord>> SqliteStore::GetLiveCardByPan(std::string_view issuer,
                                                                 std::string_view pan_index) {
  co_return WithReader([&](Connection& c) { return QueryLiveCardByPan(c, issuer, pan_index); });
}

Reading<std::optional<OperationRecord>> SqliteStore::GetOperation(std::string_view issuer,
                                                                  std::string_view operation_id) {
  co_return WithReader([&](Connection& c) { return QueryOperation(c, issuer, operation_id); });
}

Reading<std::vector<OperationRecord>> SqliteStore::ListOperations(std::string_view issuer,
                                                                  OperationOwner owner,
                                                                  std::string_view owner_id,
                                                                  int offset, int limit) {
  co_return WithReader(
      [&](Connection& c) { return QueryOperations(c, issuer, owner, owner_id, offset, limit); });
}

Reading<std::optional<IdempotencyRecord>> SqliteStore::GetIdempotency(std::string_view issuer,
                                                                      std::string_view key) {
  co_return WithReader([&](Connection& c) { return QueryIdempotency(c, issuer, key); });
}

Reading<std::vector<SealedRow>> SqliteStore::ListSealedRows(const SealedRow* after, int limit) {
  co_return WithReader([&](Connection& c) { return QuerySealedRows(c, after, limit); });
}

Reading<void> SqliteStore::Ping() {
  co_return WithReader([](Connection& c) -> core::Result<void> {
    if (auto alive = c.Run(sql::kSelectOne); !alive) return alive;
    auto version = ReadSchemaVersion(c);
    if (!version) return tl::unexpected(std::move(version.error()));
    if (*version != NewestMigrationVersion()) {
      return core::Fail(core::ErrorCode::kUnavailable,
                        "store schema is at version " + std::to_string(*version) + ", expected " +
                            std::to_string(NewestMigrationVersion()));
    }
    return {};
  });
}

void SqliteStore::Close() {
  writer_.Close();
  checkpointer_.Close();
  readers_.Close();
}

Reading<std::optional<CardRecord>> SqliteStore::GetCardByRef(std::int64_t card_ref) {
  co_return WithReader([&](Connection& c) { return QueryCardByRef(c, card_ref); });
}

Reading<std::vector<std::string>> SqliteStore::GetNetworkProfiles(std::string_view issuer,
                                                                  std::string_view consumer) {
  co_return WithReader([&](Connection& c) { return QueryNetworkProfiles(c, issuer, consumer); });
}

Reading<std::int64_t> SqliteStore::CountJobs() {
  co_return WithReader([&](Connection& c) { return QueryJobCount(c); });
}

Reading<std::optional<std::int64_t>> SqliteStore::NextJobDue(std::int64_t now_ms, JobLane lane) {
  co_return WithReader([&](Connection& c) { return QueryNextDue(c, now_ms, lane); });
}

Reading<std::vector<NotificationMessage>> SqliteStore::ListNotificationMessages(
    std::string_view issuer, std::string_view state, std::string_view card_id, int limit) {
  co_return WithReader(
      [&](Connection& c) { return QueryMessages(c, issuer, state, card_id, limit); });
}

Reading<std::optional<NotificationMessage>> SqliteStore::GetNotificationMessage(
    std::int64_t message_id) {
  co_return WithReader([&](Connection& c) { return QueryMessage(c, message_id); });
}

Reading<std::optional<std::int64_t>> SqliteStore::NextNotificationDue() {
  co_return WithReader([&](Connection& c) { return QueryNextMessageDue(c); });
}

Reading<std::int64_t> SqliteStore::CountQueuedNotifications() {
  co_return WithReader([&](Connection& c) { return QueryQueuedCount(c); });
}

Reading<std::vector<NotificationBacklog>> SqliteStore::NotificationBacklogs() {
  co_return WithReader([&](Connection& c) { return QueryBacklog(c); });
}

Reading<std::vector<std::string>> SqliteStore::SuspendedNotificationIssuers() {
  co_return WithReader([&](Connection& c) { return QuerySuspendedIssuers(c); });
}

Reading<std::optional<BatchFileRecord>> SqliteStore::GetBatchFile(std::string_view issuer,
                                                                  std::string_view batch_id,
                                                                  std::string_view seq_number) {
  co_return WithReader(
      [&](Connection& c) { return QueryBatchFile(c, issuer, batch_id, seq_number); });
}

Reading<std::vector<BatchFileRecord>> SqliteStore::OpenBatchFiles() {
  co_return WithReader([&](Connection& c) { return QueryOpenBatchFiles(c); });
}

Reading<std::vector<BatchRecordResult>> SqliteStore::BatchResults(const BatchFileRecord& file,
                                                                  std::int64_t after_row_id,
                                                                  int limit) {
  co_return WithReader(
      [&](Connection& c) { return QueryBatchResults(c, file, after_row_id, limit); });
}

}  // namespace c2p::store::sqlite
