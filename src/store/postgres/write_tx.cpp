#include "store/postgres/write_tx.hpp"

#include <chrono>

#include "store/postgres/assertion_sql.hpp"
#include "store/postgres/batch_queries.hpp"
#include "store/postgres/binding.hpp"
#include "store/postgres/engine_queries.hpp"
#include "store/postgres/notification_queries.hpp"
#include "store/postgres/registry_queries.hpp"
#include "store/postgres/sql.hpp"

namespace c2p::store::postgres {

core::Result<void> PgWriteTx::PutSetting(std::string_view key, std::string_view value) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return Done(Query(conn_, sql::kUpsertSetting, key, value, std::int64_t{now}));
}

core::Result<std::optional<ConsumerRecord>> PgWriteTx::FindConsumer(std::string_view issuer,
                                                                    std::string_view consumer) {
  return QueryConsumer(conn_, issuer, consumer, RowLock::kForUpdate);
}
core::Result<void> PgWriteTx::AddConsumer(const ConsumerRecord& consumer) {
  return InsertConsumer(conn_, consumer);
}
core::Result<void> PgWriteTx::PutConsumer(const ConsumerRecord& consumer) {
  return UpsertConsumer(conn_, consumer);
}
core::Result<std::optional<CardRecord>> PgWriteTx::FindCard(std::string_view issuer,
                                                            std::string_view card_id) {
  return QueryNewestCard(conn_, issuer, card_id, RowLock::kForUpdate);
}
core::Result<std::optional<ConsumerRecord>> PgWriteTx::FindConsumerOfCard(
    std::string_view issuer, std::string_view card_id) {
  return QueryConsumerOfCardForUpdate(conn_, issuer, card_id);
}
core::Result<std::optional<CardRecord>> PgWriteTx::FindLiveCardByPan(std::string_view issuer,
                                                                     std::string_view pan_index) {
  return QueryLiveCardByPan(conn_, issuer, pan_index, RowLock::kForUpdate);
}
core::Result<std::vector<CardRecord>> PgWriteTx::ConsumerCards(std::string_view issuer,
                                                               std::string_view consumer) {
  return QueryConsumerCards(conn_, issuer, consumer, RowLock::kForUpdate);
}
core::Result<std::int64_t> PgWriteTx::InsertCard(const CardRecord& card) {
  return InsertCardRow(conn_, card);
}
core::Result<void> PgWriteTx::UpdateCard(const CardRecord& card) {
  return UpdateCardRow(conn_, card);
}
core::Result<bool> PgWriteTx::IsPanRetired(std::string_view issuer, std::string_view pan_index) {
  return QueryPanRetired(conn_, issuer, pan_index);
}
core::Result<void> PgWriteTx::RetirePan(std::string_view issuer, std::string_view pan_index) {
  return InsertRetiredPan(conn_, issuer, pan_index);
}
core::Result<void> PgWriteTx::InsertOperation(const OperationRecord& operation) {
  return InsertOperationRow(conn_, operation);
}
core::Result<bool> PgWriteTx::ClaimIdempotency(const IdempotencyRecord& record,
                                               std::int64_t replaces_before_ms) {
  return ClaimIdempotencyKey(conn_, record, replaces_before_ms);
}
core::Result<std::optional<CardRecord>> PgWriteTx::FindCardByDigitalCard(
    std::string_view network, std::string_view digital_card_id) {
  return QueryCardByDigitalCard(conn_, network, digital_card_id, RowLock::kForUpdate);
}
core::Result<bool> PgWriteTx::InsertTokenEvent(const TokenEventRecord& event) {
  return InsertTokenEventRow(conn_, event);
}
core::Result<bool> PgWriteTx::ResealField(const SealedRow& row, std::string_view field,
                                          const Blob& old_blob, const Blob& new_blob) {
  return ResealRowField(conn_, row, field, old_blob, new_blob);
}

core::Result<bool> PgWriteTx::UseAssertionId(std::string_view issuer, std::string_view jti,
                                             std::int64_t forget_ms, std::int64_t now_ms) {
  return Any(Query(conn_, sql::kUseAssertionId, issuer, jti, forget_ms, now_ms));
}
core::Result<void> PgWriteTx::PruneAssertionIds(std::int64_t now_ms) {
  return Done(Query(conn_, sql::kPruneAssertionIds, now_ms));
}

core::Result<std::int64_t> PgWriteTx::InsertJob(const JobRecord& job) {
  return InsertJobRow(conn_, job);
}
core::Result<bool> PgWriteTx::ConsumerHasJob(std::string_view issuer, std::string_view consumer) {
  return QueryConsumerHasJob(conn_, issuer, consumer);
}
core::Result<std::vector<std::string>> PgWriteTx::NetworkProfiles(std::string_view issuer,
                                                                  std::string_view consumer) {
  return QueryNetworkProfiles(conn_, issuer, consumer);
}
core::Result<std::vector<JobRecord>> PgWriteTx::ClaimJobs(std::int64_t now_ms,
                                                          std::int64_t lease_until_ms, JobLane lane,
                                                          int limit) {
  return ClaimJobRows(conn_, now_ms, lease_until_ms, lane, limit);
}
core::Result<bool> PgWriteTx::RescheduleJob(const JobRecord& job, std::int64_t run_at_ms,
                                            std::string_view progress) {
  return RescheduleJobRow(conn_, job, run_at_ms, progress);
}
core::Result<bool> PgWriteTx::DeleteJob(const JobRecord& job) { return DeleteJobRow(conn_, job); }
// Several nodes share the jobs table: a node starting up cannot tell its own lapsed leases
// from a live node's, so it releases none. Leases lapse by time (store.hpp).
core::Result<void> PgWriteTx::ReleaseJobLeases() { return {}; }
core::Result<bool> PgWriteTx::FinishOperation(const OperationOutcome& outcome) {
  return FinishOperationRow(conn_, outcome);
}
core::Result<void> PgWriteTx::SetCardClickToPay(std::int64_t card_ref, std::string_view status,
                                                std::int64_t updated_ms,
                                                const std::optional<std::string>& digital_card_id) {
  return SetCardClickToPayRow(conn_, card_ref, status, updated_ms, digital_card_id);
}
core::Result<void> PgWriteTx::LockCardRow(std::int64_t card_ref) {
  return postgres::LockCardRow(conn_, card_ref);
}
core::Result<void> PgWriteTx::PutNetworkProfile(std::string_view issuer, std::string_view consumer,
                                                std::string_view network, std::int64_t created_ms) {
  return InsertNetworkProfile(conn_, issuer, consumer, network, created_ms);
}

core::Result<void> PgWriteTx::DeleteNetworkProfile(std::string_view issuer,
                                                   std::string_view consumer,
                                                   std::string_view network) {
  return DeleteNetworkProfileRow(conn_, issuer, consumer, network);
}

core::Result<std::optional<OperationRecord>> PgWriteTx::FindOperation(
    std::string_view issuer, std::string_view operation_id) {
  return QueryOperation(conn_, issuer, operation_id);
}

core::Result<void> PgWriteTx::QueueNotification(const NotificationRecord& notification) {
  return InsertNotificationRow(conn_, notification);
}

core::Result<std::vector<NotificationRecord>> PgWriteTx::PackableNotifications(int limit) {
  return QueryPackable(conn_, limit);
}

core::Result<std::int64_t> PgWriteTx::InsertNotificationMessage(
    const NotificationMessage& message, const std::vector<std::int64_t>& notification_ids) {
  auto id = InsertMessageRow(conn_, message);
  if (!id) return id;
  for (const std::int64_t n : notification_ids) {
    if (auto p = PackNotificationRow(conn_, n, *id); !p) return tl::unexpected(p.error());
  }
  return id;
}

core::Result<std::vector<NotificationMessage>> PgWriteTx::ClaimNotificationMessages(
    std::int64_t now_ms, std::int64_t lease_until_ms, int per_issuer,
    const std::vector<std::string>& busy_issuers) {
  return ClaimMessageRows(conn_, now_ms, lease_until_ms, per_issuer, busy_issuers);
}

core::Result<void> PgWriteTx::EndNotificationMessage(std::int64_t message_id,
                                                     std::string_view state, std::int64_t ended_ms,
                                                     const std::optional<std::string>& last_error) {
  return EndMessageRow(conn_, message_id, state, ended_ms, last_error);
}

core::Result<void> PgWriteTx::RescheduleNotificationMessage(
    std::int64_t message_id, std::int64_t next_attempt_ms,
    const std::optional<std::string>& last_error) {
  return RescheduleMessageRow(conn_, message_id, next_attempt_ms, last_error);
}

core::Result<void> PgWriteTx::SuspendNotifications(std::string_view issuer, std::int64_t since_ms,
                                                   std::string_view reason) {
  return SuspendIssuerRow(conn_, issuer, since_ms, reason);
}

core::Result<void> PgWriteTx::ResumeNotifications(std::string_view issuer, std::int64_t now_ms) {
  return ResumeIssuerRow(conn_, issuer, now_ms);
}

core::Result<bool> PgWriteTx::RedeliverNotificationMessage(std::int64_t message_id,
                                                           std::int64_t now_ms) {
  return RedeliverMessageRow(conn_, message_id, now_ms);
}

core::Result<void> PgWriteTx::Atomically(const std::function<core::Result<void>()>& part) {
  if (auto begin = conn_.Exec(sql::kSavepointPart); !begin) return begin;
  auto result = part();
  // A part that swallowed a failed statement left the transaction aborted: it failed too.
  if (result && conn_.TransactionFailed()) {
    result = core::Fail(core::ErrorCode::kInternal, "a statement of the part failed");
  }
  if (!result) {
    // Undo the part, then drop its savepoint; the unit's earlier writes stay.
    if (auto undo = conn_.Exec(sql::kRollbackToPart); !undo) return undo;
  }
  if (auto release = conn_.Exec(sql::kReleasePart); !release) return release;
  return result;
}

core::Result<bool> PgWriteTx::ClaimBatchFile(const BatchFileRecord& file) {
  return ClaimBatchFileRow(conn_, file);
}

core::Result<void> PgWriteTx::UpdateBatchFile(const BatchFileRecord& file) {
  return UpdateBatchFileRow(conn_, file);
}

core::Result<void> PgWriteTx::InsertBatchResult(const BatchFileRecord& file,
                                                const BatchRecordResult& result) {
  return InsertBatchResultRow(conn_, file, result);
}

core::Result<void> PgWriteTx::DeleteBatchResults(const BatchFileRecord& file) {
  return DeleteBatchResultRows(conn_, file);
}

}  // namespace c2p::store::postgres
