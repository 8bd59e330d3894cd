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

core::Result<std::vector<Connection>> OpenConnections(const std::string& url, std::size_t count) {
  std::vector<Connection> conns;
  conns.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    auto conn = Connection::Open(url, kConnectTimeoutSeconds);
    if (!conn) return tl::unexpected(std::move(conn.error()));
    conns.push_back(std::move(*conn));
  }
  return conns;
}

}  // namespace

core::Result<std::unique_ptr<PgStore>> PgStore::Open(const std::string& url,
                                                     const StoreOptions& options,
                                                     core::metrics::Registry& registry) {
  auto writer = Connection::Open(url, kConnectTimeoutSeconds);
  if (!writer) return tl::unexpected(std::move(writer.error()));
  auto version = ApplyMigrations(*writer);
  if (!version) return tl::unexpected(std::move(version.error()));
  std::vector<Connection> writers;
  writers.push_back(std::move(*writer));
  // Opened after the migrations, so no other connection ever sees a half-built schema.
  auto more = OpenConnections(url, std::max<std::size_t>(options.write_connections, 1) - 1);
  if (!more) return tl::unexpected(std::move(more.error()));
  for (auto& conn : *more) writers.push_back(std::move(conn));
  auto readers = OpenConnections(url, std::max<std::size_t>(options.read_connections, 1));
  if (!readers) return tl::unexpected(std::move(readers.error()));
  auto store = std::unique_ptr<PgStore>(
      new PgStore(url, *version, std::move(writers), std::move(*readers), options.max_batch,
                  WriterMetrics::Register(registry, "postgresql", options.on_writer_state)));
  if (options.refresh_statistics.count() > 0) {
    store->statistics_ = std::make_unique<StatisticsKeeper>(url, options.refresh_statistics);
  }
  return store;
}

PgStore::PgStore(std::string url, int schema_version, std::vector<Connection> writers,
                 std::vector<Connection> readers, std::size_t max_batch, WriterMetrics metrics)
    : url_(std::move(url)),
      schema_version_(schema_version),
      writer_(std::move(writers), max_batch, std::move(metrics)),
      readers_(std::move(readers), std::chrono::seconds(kConnectTimeoutSeconds)) {}

PgStore::~PgStore() { Close(); }

boost::asio::awaitable<core::Result<void>> PgStore::Write(WriteWork work, WritePriority priority) {
  return writer_.Write(std::move(work), priority);
}

Reading<std::optional<std::string>> PgStore::GetSetting(std::string_view key) {
  co_return co_await WithReader([&](Connection& c) {
    return One<std::string>(Query(c, sql::kSelectSetting, key),
                            [](const Row& r) { return std::string(r.Text(0)); });
  });
}

template <typename Query>
auto PgStore::WithReader(Query query)
    -> boost::asio::awaitable<decltype(query(std::declval<Connection&>()))> {
  // A session that was ended while idle (a restart, a failover, a cut) is found only by
  // the read that uses it. A read changes nothing: ask it once more, on a session made
  // again, rather than answer 503 once per pooled reader after every restart.
  for (int attempt = 1;; ++attempt) {
    auto reader = co_await readers_.Acquire(kReaderWait);
    if (!reader) co_return tl::unexpected(std::move(reader.error()));
    auto answer = co_await (*reader)->AwaitRead(query);
    if (answer || attempt == 2 || !(*reader)->Broken()) co_return answer;
  }
}

Reading<std::optional<ConsumerRecord>> PgStore::GetConsumer(std::string_view issuer,
                                                            std::string_view consumer) {
  co_return co_await WithReader([&](Connection& c) { return QueryConsumer(c, issuer, consumer); });
}

Reading<std::optional<CardRecord>> PgStore::GetCard(std::string_view issuer,
                                                    std::string_view card_id) {
  co_return co_await WithReader([&](Connection& c) { return QueryNewestCard(c, issuer, card_id); });
}

Reading<std::vector<CardRecord>> PgStore::GetConsumerCards(std::string_view issuer,
                                                           std::string_view consumer) {
  co_return co_await WithReader(
      [&](Connection& c) { return QueryConsumerCards(c, issuer, consumer); });
}

Reading<std::optional<CardRecord>> PgStore::GetLiveCardByPan(std::string_view issuer,
                                                             std::string_view pan_index) {
  co_return co_await WithReader(
      [&](Connection& c) { return QueryLiveCardByPan(c, issuer, pan_index); });
}

Reading<std::optional<OperationRecord>> PgStore::GetOperation(std::string_view issuer,
                                                              std::string_view operation_id) {
  co_return co_await WithReader(
      [&](Connection& c) { return QueryOperation(c, issuer, operation_id); });
}

Reading<std::vector<OperationRecord>> PgStore::ListOperations(std::string_view issuer,
                                                              OperationOwner owner,
                                                              std::string_view owner_id, int offset,
                                                              int limit) {
  co_return co_await WithReader(
      [&](Connection& c) { return QueryOperations(c, issuer, owner, owner_id, offset, limit); });
}

Reading<std::optional<IdempotencyRecord>> PgStore::GetIdempotency(std::string_view issuer,
                                                                  std::string_view key) {
  co_return co_await WithReader([&](Connection& c) { return QueryIdempotency(c, issuer, key); });
}

Reading<std::vector<SealedRow>> PgStore::ListSealedRows(const SealedRow* after, int limit) {
  // Cards first, then consumers: two reads, as a read on a reactor is one statement.
  std::vector<SealedRow> out;
  const bool in_cards = after == nullptr || after->kind == SealedRow::Kind::kCard;
  if (in_cards) {
    auto cards = co_await WithReader([&](Connection& c) {
      return QuerySealedCards(c, after ? after->card_ref : std::int64_t{0}, limit);
    });
    if (!cards) co_return cards;
    out = std::move(*cards);
    if (static_cast<int>(out.size()) == limit) co_return out;
  }
  auto consumers = co_await WithReader([&](Connection& c) {
    return QuerySealedConsumers(c, in_cards ? nullptr : after,
                                limit - static_cast<int>(out.size()));
  });
  if (!consumers) co_return consumers;
  for (auto& row : *consumers) out.push_back(std::move(row));
  co_return out;
}

Reading<void> PgStore::Ping() {
  auto alive = co_await WithReader([](Connection& c) { return Done(Query(c, sql::kSelectOne)); });
  if (!alive) co_return alive;
  auto version = co_await WithReader([](Connection& c) { return ReadSchemaVersion(c); });
  if (!version) co_return tl::unexpected(std::move(version.error()));
  if (*version != NewestMigrationVersion()) {
    co_return core::Fail(core::ErrorCode::kUnavailable,
                         "store schema is at version " + std::to_string(*version) + ", expected " +
                             std::to_string(NewestMigrationVersion()));
  }
  co_return core::Result<void>{};
}

void PgStore::WatchOperationEnds(const std::function<void(const std::string& key)>& on_ended) {
  std::lock_guard lock(listener_mu_);
  listener_ = std::make_unique<OperationListener>(url_, on_ended);
}

void PgStore::Close() {
  statistics_.reset();
  {
    std::lock_guard lock(listener_mu_);
    listener_.reset();  // before the writer: no call after Close()
  }
  writer_.Close();
  readers_.Close();
}

Reading<std::optional<CardRecord>> PgStore::GetCardByRef(std::int64_t card_ref) {
  co_return co_await WithReader([&](Connection& c) { return QueryCardByRef(c, card_ref); });
}

Reading<std::vector<std::string>> PgStore::GetNetworkProfiles(std::string_view issuer,
                                                              std::string_view consumer) {
  co_return co_await WithReader(
      [&](Connection& c) { return QueryNetworkProfiles(c, issuer, consumer); });
}

Reading<std::int64_t> PgStore::CountJobs() {
  co_return co_await WithReader([&](Connection& c) { return QueryJobCount(c); });
}

Reading<std::optional<std::int64_t>> PgStore::NextJobDue(std::int64_t now_ms, JobLane lane) {
  co_return co_await WithReader([&](Connection& c) { return QueryNextDue(c, now_ms, lane); });
}

Reading<std::vector<NotificationMessage>> PgStore::ListNotificationMessages(
    std::string_view issuer, std::string_view state, std::string_view card_id, int limit) {
  co_return co_await WithReader(
      [&](Connection& c) { return QueryMessages(c, issuer, state, card_id, limit); });
}

Reading<std::optional<NotificationMessage>> PgStore::GetNotificationMessage(
    std::int64_t message_id) {
  co_return co_await WithReader([&](Connection& c) { return QueryMessage(c, message_id); });
}

Reading<std::optional<std::int64_t>> PgStore::NextNotificationDue() {
  co_return co_await WithReader([&](Connection& c) { return QueryNextMessageDue(c); });
}

Reading<std::int64_t> PgStore::CountQueuedNotifications() {
  co_return co_await WithReader([&](Connection& c) { return QueryQueuedCount(c); });
}

Reading<std::vector<NotificationBacklog>> PgStore::NotificationBacklogs() {
  co_return co_await WithReader([&](Connection& c) { return QueryBacklog(c); });
}

Reading<std::vector<std::string>> PgStore::SuspendedNotificationIssuers() {
  co_return co_await WithReader([&](Connection& c) { return QuerySuspendedIssuers(c); });
}

Reading<std::optional<BatchFileRecord>> PgStore::GetBatchFile(std::string_view issuer,
                                                              std::string_view batch_id,
                                                              std::string_view seq_number) {
  co_return co_await WithReader(
      [&](Connection& c) { return QueryBatchFile(c, issuer, batch_id, seq_number); });
}

Reading<std::vector<BatchFileRecord>> PgStore::OpenBatchFiles() {
  co_return co_await WithReader([&](Connection& c) { return QueryOpenBatchFiles(c); });
}

Reading<std::vector<BatchRecordResult>> PgStore::BatchResults(const BatchFileRecord& file,
                                                              std::int64_t after_row_id,
                                                              int limit) {
  co_return co_await WithReader(
      [&](Connection& c) { return QueryBatchResults(c, file, after_row_id, limit); });
}

}  // namespace c2p::store::postgres
