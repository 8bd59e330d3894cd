#include "store/postgres/pg_store.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

#include "store/postgres/batch_queries.hpp"
#include "store/postgres/binding.hpp"
#include "store/postgres/engine_queries.hpp"
#include "store/postgres/migrations.hpp"
#include "store/postgres/notification_queries.hpp"
#include "store/postgres/registry_queries.hpp"
#include "store/postgres/sql.hpp"

namespace c2p::store::postgres {

namespace {

// Longest wait for PostgreSQL to accept a connection (at start, and when the writer or a
// reader reconnects): past it the store answers kUnavailable.
constexpr int kConnectTimeoutSeconds = 5;
// Longest wait for a free reader: past it the store is overloaded, and saying so beats
// piling up blocked request threads.
constexpr std::chrono::milliseconds kReaderWait{5000};

}  // namespace

core::Result<std::unique_ptr<PgStore>> PgStore::Open(const std::string& url,
                                                     const StoreOptions& options,
                                                     core::metrics::Registry& registry) {
  auto writer = Connection::Open(url, kConnectTimeoutSeconds);
  if (!writer) return tl::unexpected(std::move(writer.error()));
  auto version = ApplyMigrations(*writer);
  if (!version) return tl::unexpected(std::move(version.error()));
  // Opened after the migrations, so no reader ever sees a half-built schema.
  std::vector<Connection> readers;
  const std::size_t reader_count = std::max<std::size_t>(options.read_connections, 1);
  for (std::size_t i = 0; i < reader_count; ++i) {
    auto reader = Connection::Open(url, kConnectTimeoutSeconds);
    if (!reader) return tl::unexpected(std::move(reader.error()));
    readers.push_back(std::move(*reader));
  }
  return std::unique_ptr<PgStore>(
      new PgStore(url, *version, std::move(*writer), std::move(readers), options.max_batch,
                  WriterMetrics::Register(registry, "postgresql", options.on_writer_state)));
}

PgStore::PgStore(std::string url, int schema_version, Connection writer,
                 std::vector<Connection> readers, std::size_t max_batch, WriterMetrics metrics)
    : url_(std::move(url)),
      schema_version_(schema_version),
      writer_(std::move(writer), max_batch, std::move(metrics)),
      readers_(std::move(readers)) {}

PgStore::~PgStore() { Close(); }

boost::asio::awaitable<core::Result<void>> PgStore::Write(WriteWork work, WritePriority priority) {
  return writer_.Write(std::move(work), priority);
}

core::Result<std::optional<std::string>> PgStore::GetSetting(std::string_view key) {
  return WithReader([&](Connection& c) {
    return One<std::string>(Query(c, sql::kSelectSetting, key),
                            [](const Row& r) { return std::string(r.Text(0)); });
  });
}

template <typename Query>
auto PgStore::WithReader(Query query) -> decltype(query(std::declval<Connection&>())) {
  auto reader = readers_.Acquire(kReaderWait);
  if (!reader) return tl::unexpected(std::move(reader.error()));
  return query(**reader);
}

core::Result<std::optional<ConsumerRecord>> PgStore::GetConsumer(std::string_view issuer,
                                                                 std::string_view consumer) {
  return WithReader([&](Connection& c) { return QueryConsumer(c, issuer, consumer); });
}

core::Result<std::optional<CardRecord>> PgStore::GetCard(std::string_view issuer,
                                                         std::string_view card_id) {
  return WithReader([&](Connection& c) { return QueryNewestCard(c, issuer, card_id); });
}

core::Result<std::vector<CardRecord>> PgStore::GetConsumerCards(std::string_view issuer,
                                                                std::string_view consumer) {
  return WithReader([&](Connection& c) { return QueryConsumerCards(c, issuer, consumer); });
}

core::Result<std::optional<CardRecord>> PgStore::GetLiveCardByPan(std::string_view issuer,
                                                                  std::string_view pan_index) {
  return WithReader([&](Connection& c) { return QueryLiveCardByPan(c, issuer, pan_index); });
}

core::Result<std::optional<OperationRecord>> PgStore::GetOperation(std::string_view issuer,
                                                                   std::string_view operation_id) {
  return WithReader([&](Connection& c) { return QueryOperation(c, issuer, operation_id); });
}

core::Result<std::vector<OperationRecord>> PgStore::ListOperations(std::string_view issuer,
                                                                   OperationOwner owner,
                                                                   std::string_view owner_id,
                                                                   int offset, int limit) {
  return WithReader(
      [&](Connection& c) { return QueryOperations(c, issuer, owner, owner_id, offset, limit); });
}

core::Result<std::optional<IdempotencyRecord>> PgStore::GetIdempotency(std::string_view issuer,
                                                                       std::string_view key) {
  return WithReader([&](Connection& c) { return QueryIdempotency(c, issuer, key); });
}

core::Result<std::vector<SealedRow>> PgStore::ListSealedRows(const SealedRow* after, int limit) {
  return WithReader([&](Connection& c) { return QuerySealedRows(c, after, limit); });
}

core::Result<void> PgStore::Ping() {
  return WithReader([](Connection& c) -> core::Result<void> {
    if (auto alive = Done(Query(c, sql::kSelectOne)); !alive) return alive;
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

void PgStore::WatchOperationEnds(const std::function<void(const std::string& key)>& on_ended) {
  std::lock_guard lock(listener_mu_);
  listener_ = std::make_unique<OperationListener>(url_, on_ended);
}

void PgStore::Close() {
  {
    std::lock_guard lock(listener_mu_);
    listener_.reset();  // before the writer: no call after Close()
  }
  writer_.Close();
  readers_.Close();
}

core::Result<std::optional<CardRecord>> PgStore::GetCardByRef(std::int64_t card_ref) {
  return WithReader([&](Connection& c) { return QueryCardByRef(c, card_ref); });
}

core::Result<std::vector<std::string>> PgStore::GetNetworkProfiles(std::string_view issuer,
                                                                   std::string_view consumer) {
  return WithReader([&](Connection& c) { return QueryNetworkProfiles(c, issuer, consumer); });
}

core::Result<std::int64_t> PgStore::CountJobs() {
  return WithReader([&](Connection& c) { return QueryJobCount(c); });
}

core::Result<std::optional<std::int64_t>> PgStore::NextJobDue(std::int64_t now_ms, JobLane lane) {
  return WithReader([&](Connection& c) { return QueryNextDue(c, now_ms, lane); });
}

core::Result<std::vector<NotificationMessage>> PgStore::ListNotificationMessages(
    std::string_view issuer, std::string_view state, std::string_view card_id, int limit) {
  return WithReader([&](Connection& c) { return QueryMessages(c, issuer, state, card_id, limit); });
}

core::Result<std::optional<NotificationMessage>> PgStore::GetNotificationMessage(
    std::int64_t message_id) {
  return WithReader([&](Connection& c) { return QueryMessage(c, message_id); });
}

core::Result<std::optional<std::int64_t>> PgStore::NextNotificationDue() {
  return WithReader([&](Connection& c) { return QueryNextMessageDue(c); });
}

core::Result<std::int64_t> PgStore::CountQueuedNotifications() {
  return WithReader([&](Connection& c) { return QueryQueuedCount(c); });
}

core::Result<std::vector<NotificationBacklog>> PgStore::NotificationBacklogs() {
  return WithReader([&](Connection& c) { return QueryBacklog(c); });
}

core::Result<std::vector<std::string>> PgStore::SuspendedNotificationIssuers() {
  return WithReader([&](Connection& c) { return QuerySuspendedIssuers(c); });
}

core::Result<std::optional<BatchFileRecord>> PgStore::GetBatchFile(std::string_view issuer,
                                                                   std::string_view batch_id,
                                                                   std::string_view seq_number) {
  return WithReader([&](Connection& c) { return QueryBatchFile(c, issuer, batch_id, seq_number); });
}

core::Result<std::vector<BatchFileRecord>> PgStore::OpenBatchFiles() {
  return WithReader([&](Connection& c) { return QueryOpenBatchFiles(c); });
}

core::Result<std::vector<BatchRecordResult>> PgStore::BatchResults(const BatchFileRecord& file,
                                                                   std::int64_t after_row_id,
                                                                   int limit) {
  return WithReader([&](Connection& c) { return QueryBatchResults(c, file, after_row_id, limit); });
}

}  // namespace c2p::store::postgres
