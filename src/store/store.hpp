#pragma once
// The store interface the rest of c2p talks to. Backends (sqlite/, postgres/) live
// below it; nothing above this file knows SQL.
//
// Writes are group-committed: each caller hands a unit of work to Write(); a single
// writer runs many queued units inside one transaction (each unit under its own
// savepoint, so one failing unit never spoils the others; a lone unit's failure rolls
// the transaction back) and makes the batch durable
// with one fsync. Write() completes only after the batch holding its unit is durable:
// "acknowledged" always means "on disk".
//
// Reads are awaitable (`Reading<T>`): on PostgreSQL a read is sent without blocking and
// its caller's coroutine waits for the answer on its own reactor, so one slow answer does
// not stall the other requests of that thread; on SQLite (a local file) the read runs at
// once and the coroutine resumes without suspending. Callers outside any reactor (the
// tools, start-up, tests) use core::BlockOn.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/error.hpp"
#include "core/metrics.hpp"
#include "store/batch_records.hpp"
#include "store/engine_records.hpp"
#include "store/notification_records.hpp"
#include "store/registry_records.hpp"

namespace c2p::store {

template <typename T>
using Reading = boost::asio::awaitable<core::Result<T>>;

// Typed mutations available to a unit of work. Later features add their own methods here
// (consumers, cards, operations, jobs...), implemented by every backend.
class WriteTx {
 public:
  virtual ~WriteTx() = default;
  // Small key/value facts about this deployment (store identity, sandbox bookkeeping).
  virtual core::Result<void> PutSetting(std::string_view key, std::string_view value) = 0;

  // --- The registry (registry_records.hpp). Reads inside a unit see the unit's own
  // writes. On SQLite nothing else writes meanwhile. On PostgreSQL other writers (nodes,
  // connections) commit concurrently: the consumer and card reads below lock the rows they find
  // until the group commits, and a row they did not find may still be created by another writer
  // (AddConsumer, unique keys: the loser fails kUnavailable).
  //
  // The lock order: a unit locks a consumer before any of its cards, and never a second
  // consumer. Two units on one consumer then queue up behind each other instead of each
  // holding what the other waits for (a deadlock, which PostgreSQL breaks after
  // deadlock_timeout by failing one of them). A unit that starts from a card id uses
  // LockCard below.
  virtual core::Result<std::optional<ConsumerRecord>> FindConsumer(std::string_view issuer,
                                                                   std::string_view consumer) = 0;
  // Inserts a consumer FindConsumer did not find. If another writer created it meanwhile
  // (PostgreSQL), fails kUnavailable: a race lost, whose retry sees the winner's row.
  virtual core::Result<void> AddConsumer(const ConsumerRecord& consumer) = 0;
  // Inserts or replaces (by issuer and consumerId); created_ms is kept on replace.
  virtual core::Result<void> PutConsumer(const ConsumerRecord& consumer) = 0;
  // The newest incarnation of a cardId (live, or else the last deleted one).
  virtual core::Result<std::optional<CardRecord>> FindCard(std::string_view issuer,
                                                           std::string_view card_id) = 0;
  // The consumer of FindCard's card, locked as FindCard locks (the card's row is not
  // locked): LockCard's first step, in one statement.
  virtual core::Result<std::optional<ConsumerRecord>> FindConsumerOfCard(
      std::string_view issuer, std::string_view card_id) = 0;
  virtual core::Result<std::optional<CardRecord>> FindLiveCardByPan(std::string_view issuer,
                                                                    std::string_view pan_index) = 0;
  virtual core::Result<std::vector<CardRecord>> ConsumerCards(std::string_view issuer,
                                                              std::string_view consumer) = 0;
  // Inserts a new incarnation; returns its card_ref.
  virtual core::Result<std::int64_t> InsertCard(const CardRecord& card) = 0;
  // Writes state, exp, name, Click to Pay status and updated_ms of card.card_ref.
  virtual core::Result<void> UpdateCard(const CardRecord& card) = 0;
  virtual core::Result<bool> IsPanRetired(std::string_view issuer, std::string_view pan_index) = 0;
  virtual core::Result<void> RetirePan(std::string_view issuer, std::string_view pan_index) = 0;
  virtual core::Result<void> InsertOperation(const OperationRecord& operation) = 0;
  // Records the answer to (issuer, key) unless an answer recorded at or after
  // `replaces_before_ms` already holds the key: false, and nothing written, when one does
  // (another request, on this node or another, was answered first with that key). An
  // older record has outlived its key and is replaced.
  virtual core::Result<bool> ClaimIdempotency(const IdempotencyRecord& record,
                                              std::int64_t replaces_before_ms) = 0;
  // Token services (spec/outbound.md §4): the newest card holding `digital_card_id` in
  // `network` (VISA | MASTERCARD), whatever its state; and an event recorded once: false
  // (and nothing written) when (network, event_id) is already recorded.
  virtual core::Result<std::optional<CardRecord>> FindCardByDigitalCard(
      std::string_view network, std::string_view digital_card_id) = 0;
  virtual core::Result<bool> InsertTokenEvent(const TokenEventRecord& event) = 0;
  // Key rotation: replaces `old_blob` by `new_blob` in one sealed field of a row, only if
  // the row still holds `old_blob`. False when it no longer does.
  virtual core::Result<bool> ResealField(const SealedRow& row, std::string_view field,
                                         const Blob& old_blob, const Blob& new_blob) = 0;

  // --- The token endpoint's shared replay record (several nodes on one store).
  // Records the assertion id (issuer, jti) as used until `forget_ms`; false when it is
  // already recorded and not forgotten at `now_ms` (a replay).
  virtual core::Result<bool> UseAssertionId(std::string_view issuer, std::string_view jti,
                                            std::int64_t forget_ms, std::int64_t now_ms) = 0;
  // Deletes the ids forgotten at `now_ms`.
  virtual core::Result<void> PruneAssertionIds(std::int64_t now_ms) = 0;

  // --- The engine (engine_records.hpp).
  virtual core::Result<std::int64_t> InsertJob(const JobRecord& job) = 0;
  // Whether a job (a Click to Pay operation in progress) exists for the consumer.
  virtual core::Result<bool> ConsumerHasJob(std::string_view issuer, std::string_view consumer) = 0;
  // Leases up to `limit` due jobs of `lane` until `lease_until_ms` and counts the attempt.
  // Only a consumer's head job (its oldest, whatever its lane) is due.
  virtual core::Result<std::vector<JobRecord>> ClaimJobs(std::int64_t now_ms,
                                                         std::int64_t lease_until_ms, JobLane lane,
                                                         int limit) = 0;
  // `job` as its claim returned it: its attempt count is the lease's fencing token. Both
  // write nothing and return false when a later claim took the job over (our lease had
  // lapsed and another worker, maybe on another node, holds it now).
  // Releases the job's lease and makes it due again at `run_at_ms`.
  virtual core::Result<bool> RescheduleJob(const JobRecord& job, std::int64_t run_at_ms,
                                           std::string_view progress) = 0;
  virtual core::Result<bool> DeleteJob(const JobRecord& job) = 0;
  // Every lease lapses now (the embedded store has one process: at its start, any lease
  // was held by a process that is gone). On PostgreSQL this does nothing: several nodes
  // share the jobs, and a node starting up cannot tell a dead node's leases from a live
  // one's; releasing them would let two nodes run one job at once. There leases lapse by
  // time only (lease_until_ms), and another node takes the job over after that.
  virtual core::Result<void> ReleaseJobLeases() = 0;
  // False when the operation had already ended: it is left unchanged.
  virtual core::Result<bool> FinishOperation(const OperationOutcome& outcome) = 0;
  // `digital_card_id` nullopt keeps the recorded one; an empty string clears it.
  virtual core::Result<void> SetCardClickToPay(
      std::int64_t card_ref, std::string_view status, std::int64_t updated_ms,
      const std::optional<std::string>& digital_card_id) = 0;
  // Locks the card row `card_ref` (any incarnation) until the group commits, changing
  // nothing. On SQLite, whose one writer meets no other, there is nothing to lock.
  virtual core::Result<void> LockCardRow(std::int64_t card_ref) = 0;
  virtual core::Result<void> PutNetworkProfile(std::string_view issuer, std::string_view consumer,
                                               std::string_view network,
                                               std::int64_t created_ms) = 0;
  // The consumer's profile in `network` is gone (opted out).
  virtual core::Result<void> DeleteNetworkProfile(std::string_view issuer,
                                                  std::string_view consumer,
                                                  std::string_view network) = 0;
  // The networks where the consumer has a profile (Store::GetNetworkProfiles, in the unit).
  virtual core::Result<std::vector<std::string>> NetworkProfiles(std::string_view issuer,
                                                                 std::string_view consumer) = 0;

  // --- Notifications (notification_records.hpp, src/notify).
  virtual core::Result<std::optional<OperationRecord>> FindOperation(
      std::string_view issuer, std::string_view operation_id) = 0;
  virtual core::Result<void> QueueNotification(const NotificationRecord& notification) = 0;
  // The oldest open notification of each (issuer, order key), if it is still QUEUED and its
  // issuer is not suspended; oldest first.
  virtual core::Result<std::vector<NotificationRecord>> PackableNotifications(int limit) = 0;
  // Inserts `message` and moves the notifications into it (SENDING); returns its id.
  virtual core::Result<std::int64_t> InsertNotificationMessage(
      const NotificationMessage& message, const std::vector<std::int64_t>& notification_ids) = 0;
  // Due PENDING messages, at most `per_issuer` per issuer, none of a suspended issuer or of
  // `busy_issuers`; each leased until `lease_until_ms` with its attempt counted.
  virtual core::Result<std::vector<NotificationMessage>> ClaimNotificationMessages(
      std::int64_t now_ms, std::int64_t lease_until_ms, int per_issuer,
      const std::vector<std::string>& busy_issuers) = 0;
  // DELIVERED or DEAD, with the message's notifications; only over PENDING.
  virtual core::Result<void> EndNotificationMessage(
      std::int64_t message_id, std::string_view state, std::int64_t ended_ms,
      const std::optional<std::string>& last_error) = 0;
  virtual core::Result<void> RescheduleNotificationMessage(
      std::int64_t message_id, std::int64_t next_attempt_ms,
      const std::optional<std::string>& last_error) = 0;
  virtual core::Result<void> SuspendNotifications(std::string_view issuer, std::int64_t since_ms,
                                                  std::string_view reason) = 0;
  // Lifts a suspension and makes the issuer's pending messages due now.
  virtual core::Result<void> ResumeNotifications(std::string_view issuer, std::int64_t now_ms) = 0;
  // A DEAD message back to PENDING, due now, with a new retry horizon. False: not DEAD.
  virtual core::Result<bool> RedeliverNotificationMessage(std::int64_t message_id,
                                                          std::int64_t now_ms) = 0;

  // --- Batch files (batch_records.hpp, src/batch).
  // Runs `part` under its own savepoint: when it fails, what it wrote is undone and the
  // rest of the unit goes on (one record of a batch chunk, one card of a record).
  virtual core::Result<void> Atomically(const std::function<core::Result<void>()>& part) = 0;
  // Takes (issuer, batchId, seqNumber) for `file`; false when a file that was not REJECTED
  // holds it (DUPLICATE_FILE). A REJECTED one is replaced, its progress reset.
  virtual core::Result<bool> ClaimBatchFile(const BatchFileRecord& file) = 0;
  // Status, counts, progress and file name of the file's row.
  virtual core::Result<void> UpdateBatchFile(const BatchFileRecord& file) = 0;
  virtual core::Result<void> InsertBatchResult(const BatchFileRecord& file,
                                               const BatchRecordResult& result) = 0;
  // The file's results, once its _OUT document is written.
  virtual core::Result<void> DeleteBatchResults(const BatchFileRecord& file) = 0;
};

// A card (its newest incarnation) and its consumer, locked in the order above.
struct LockedCard {
  CardRecord card;
  ConsumerRecord consumer;
};
// Locks the card's consumer, then reads the card locked (as it is once that consumer's
// earlier writers have committed). Nullopt when there is no such card; kUnavailable
// when the card id moved to another consumer in between (a race lost: a retry sees the
// winner).
core::Result<std::optional<LockedCard>> LockCard(WriteTx& tx, std::string_view issuer,
                                                 std::string_view card_id);

using WriteWork = std::function<core::Result<void>(WriteTx&)>;

// Who waits for a unit. The single writer never puts the two kinds in one group, and when
// both are queued it alternates, so an interactive unit waits for at most the group being
// committed (perhaps a batch chunk of a thousand records) and then its own, never for a
// queued chunk as well; bulk units still get every other group (quality.md P8).
enum class WritePriority {
  kInteractive,  // an API caller waiting for its answer, the engine, the notifier
  kBulk,         // a batch file's chunks and its clean-up: large units nobody waits on
};

struct StoreOptions {
  // Most units one group transaction takes; more wait for the next one.
  std::size_t max_batch = 512;
  // Readers kept open for concurrent reads.
  std::size_t read_connections = 4;
  // PostgreSQL: writer connections, each committing its own groups concurrently with the
  // others (group_commit.hpp). SQLite has one writer whatever this says.
  std::size_t write_connections = 1;
  // PostgreSQL: how often to ANALYZE the tables that grew by half since their last ANALYZE
  // (postgres/statistics_keeper.hpp); 0: leave it to autovacuum. c2pd: every 5 s.
  std::chrono::milliseconds refresh_statistics{0};
  // Told, on the writer's thread, when group commits start failing (disk full, PostgreSQL
  // gone: `failing` true, with the first failure's text) and when one commits again. The
  // store has no logger; c2pd logs these.
  std::function<void(bool failing, std::string_view reason)> on_writer_state;
};

class Store {
 public:
  virtual ~Store() = default;

  // Queues `work` for the next group commit and resumes the caller on its own executor
  // once that commit is durable. Returns the unit's own error if it failed (its changes
  // are rolled back), or kUnavailable if the store cannot commit.
  virtual boost::asio::awaitable<core::Result<void>> Write(WriteWork work,
                                                           WritePriority priority) = 0;
  boost::asio::awaitable<core::Result<void>> Write(WriteWork work) {
    return Write(std::move(work), WritePriority::kInteractive);
  }

  // Reads see every acknowledged write.
  virtual Reading<std::optional<std::string>> GetSetting(std::string_view key) = 0;

  // --- Registry reads (see WriteTx for their meaning).
  virtual Reading<std::optional<ConsumerRecord>> GetConsumer(std::string_view issuer,
                                                             std::string_view consumer) = 0;
  virtual Reading<std::optional<CardRecord>> GetCard(std::string_view issuer,
                                                     std::string_view card_id) = 0;
  virtual Reading<std::vector<CardRecord>> GetConsumerCards(std::string_view issuer,
                                                            std::string_view consumer) = 0;
  // One incarnation of a card by its card_ref, live or deleted.
  virtual Reading<std::optional<CardRecord>> GetCardByRef(std::int64_t card_ref) = 0;
  virtual Reading<std::optional<CardRecord>> GetLiveCardByPan(std::string_view issuer,
                                                              std::string_view pan_index) = 0;
  virtual Reading<std::optional<OperationRecord>> GetOperation(std::string_view issuer,
                                                               std::string_view operation_id) = 0;
  // Most recent first. A consumer's list holds its own operations, not its cards'.
  enum class OperationOwner { kCard, kConsumer };
  virtual Reading<std::vector<OperationRecord>> ListOperations(std::string_view issuer,
                                                               OperationOwner owner,
                                                               std::string_view owner_id,
                                                               int offset, int limit) = 0;
  virtual Reading<std::optional<IdempotencyRecord>> GetIdempotency(std::string_view issuer,
                                                                   std::string_view key) = 0;
  // Rows holding sealed data, in a stable order, `limit` at a time: pass the last row of
  // a page as `after` for the next (nullptr for the first page).
  virtual Reading<std::vector<SealedRow>> ListSealedRows(const SealedRow* after, int limit) = 0;

  // --- Engine reads.
  // The networks ("VISA", "MASTERCARD") where the consumer has a Click to Pay profile.
  virtual Reading<std::vector<std::string>> GetNetworkProfiles(std::string_view issuer,
                                                               std::string_view consumer) = 0;
  virtual Reading<std::int64_t> CountJobs() = 0;
  // The earliest due time of a job of `lane` not leased at `now_ms`, nullopt when none.
  virtual Reading<std::optional<std::int64_t>> NextJobDue(std::int64_t now_ms, JobLane lane) = 0;

  // --- Notification reads. Lists are most recent first; empty filters match everything.
  virtual Reading<std::vector<NotificationMessage>> ListNotificationMessages(
      std::string_view issuer, std::string_view state, std::string_view card_id, int limit) = 0;
  virtual Reading<std::optional<NotificationMessage>> GetNotificationMessage(
      std::int64_t message_id) = 0;
  // The earliest next attempt of a PENDING message, nullopt when none.
  virtual Reading<std::optional<std::int64_t>> NextNotificationDue() = 0;
  virtual Reading<std::int64_t> CountQueuedNotifications() = 0;
  virtual Reading<std::vector<NotificationBacklog>> NotificationBacklogs() = 0;
  virtual Reading<std::vector<std::string>> SuspendedNotificationIssuers() = 0;

  // --- Batch file reads.
  virtual Reading<std::optional<BatchFileRecord>> GetBatchFile(std::string_view issuer,
                                                               std::string_view batch_id,
                                                               std::string_view seq_number) = 0;
  // RECEIVED or PROCESSING, oldest first: what a restart resumes.
  virtual Reading<std::vector<BatchFileRecord>> OpenBatchFiles() = 0;
  // Up to `limit` results after `after_row_id`, in rowId order.
  virtual Reading<std::vector<BatchRecordResult>> BatchResults(const BatchFileRecord& file,
                                                               std::int64_t after_row_id,
                                                               int limit) = 0;

  // Cheap liveness probe used by /readyz: store reachable and migrations applied.
  virtual Reading<void> Ping() = 0;

  // Version of the newest migration applied.
  virtual int SchemaVersion() const = 0;

  // Calls `on_ended` (on a thread of the store's) with "<issuer>/<operationId>"
  // (engine::OperationWatch::Key) when an operation ends on another node sharing this
  // store, so that getters waiting here (wait=) end at once; and with "" when ends may have
  // been missed (the store's listening connection was re-made): every waiter should read
  // its operation again. Call once, before Close(); not called after Close().
  // Single-node backends (SQLite) never call it: the engine that ended the operation wakes
  // its own process's waiters.
  virtual void WatchOperationEnds(const std::function<void(const std::string& key)>& /*on_ended*/) {
  }

  // Stops the writer after the queued units are committed. Idempotent.
  virtual void Close() = 0;
};

// Opens the store named by `url`: "sqlite:PATH" (created if missing, migrations applied)
// or "postgresql://…" (an existing database; migrations applied once across nodes;
// kUnavailable when it cannot be reached).
// Records commit batch sizes and latencies into `registry`.
core::Result<std::unique_ptr<Store>> OpenStore(std::string_view url, const StoreOptions& options,
                                               core::metrics::Registry& registry);

// Whether the store `url` names may be shared by several c2pd nodes (PostgreSQL), so that
// what one process keeps in memory is not the whole picture.
bool SharedByNodes(std::string_view url);

}  // namespace c2p::store
