#include "store/sqlite/write_tx.hpp"

#include "core/time_format.hpp"
#include "store/sqlite/assertion_sql.hpp"
#include "store/sqlite/batch_queries.hpp"
#include "store/sqlite/batch_sql.hpp"
#include "store/sqlite/binding.hpp"
#include "store/sqlite/engine_queries.hpp"
#include "store/sqlite/notification_queries.hpp"
#include "store/sqlite/registry_queries.hpp"
#include "store/sqlite/sql.hpp"

namespace c2p::store::sqlite {

core::Result<void> SqliteWriteTx::PutSetting(std::string_view key, std::string_view value) {
  auto stmt = conn_.Prepare(sql::kUpsertSetting);
  if (!stmt) return tl::unexpected(std::move(stmt.error()));
  return stmt->Bind(1, key).Bind(2, value).Bind(3, core::UnixSecondsNow()).Run();
}

core::Result<std::optional<ConsumerRecord>> SqliteWriteTx::FindConsumer(std::string_view issuer,
                                                                        std::string_view consumer) {
  return QueryConsumer(conn_, issuer, consumer);
}
core::Result<void> SqliteWriteTx::AddConsumer(const ConsumerRecord& consumer) {
  return InsertConsumer(conn_, consumer);
}
core::Result<void> SqliteWriteTx::PutConsumer(const ConsumerRecord& consumer) {
  return UpsertConsumer(conn_, consumer);
}
core::Result<std::optional<CardRecord>> SqliteWriteTx::FindCard(std::string_view issuer,
                                                                std::string_view card_id) {
  return QueryNewestCard(conn_, issuer, card_id);
}
core::Result<std::optional<ConsumerRecord>> SqliteWriteTx::FindConsumerOfCard(
    std::string_view issuer, std::string_view card_id) {
  return QueryConsumerOfCard(conn_, issuer, card_id);
}
core::Result<std::optional<CardRecord>> SqliteWriteTx::FindLiveCardByPan(
    std::string_view issuer, std::string_view pan_index) {
  return QueryLiveCardByPan(conn_, issuer, pan_index);
}
core::Result<std::vector<CardRecord>> SqliteWriteTx::ConsumerCards(std::string_view issuer,
                                                                   std::string_view consumer) {
  return QueryConsumerCards(conn_, issuer, consumer);
}
core::Result<std::int64_t> SqliteWriteTx::InsertCard(const CardRecord& card) {
  return InsertCardRow(conn_, card);
}
core::Result<void> SqliteWriteTx::UpdateCard(const CardRecord& card) {
  return UpdateCardRow(conn_, card);
}
core::Result<bool> SqliteWriteTx::IsPanRetired(std::string_view issuer,
                                               std::string_view pan_index) {
  return QueryPanRetired(conn_, issuer, pan_index);
}
core::Result<void> SqliteWriteTx::RetirePan(std::string_view issuer, std::string_view pan_index) {
  return InsertRetiredPan(conn_, issuer, pan_index);
}
core::Result<void> SqliteWriteTx::InsertOperation(const OperationRecord& operation) {
  return InsertOperationRow(conn_, operation);
}
core::Result<bool> SqliteWriteTx::ClaimIdempotency(const IdempotencyRecord& record,
                                                   std::int64_t replaces_before_ms) {
  return ClaimIdempotencyKey(conn_, record, replaces_before_ms);
}
core::Result<std::optional<CardRecord>> SqliteWriteTx::FindCardByDigitalCard(
    std::string_view network, std::string_view digital_card_id) {
  return QueryCardByDigitalCard(conn_, network, digital_card_id);
}
core::Result<bool> SqliteWriteTx::InsertTokenEvent(const TokenEventRecord& event) {
  return InsertTokenEventRow(conn_, event);
}
core::Result<bool> SqliteWriteTx::ResealField(const SealedRow& row, std::string_view field,
                                              const Blob& old_blob, const Blob& new_blob) {
  return ResealRowField(conn_, row, field, old_blob, new_blob);
}

core::Result<bool> SqliteWriteTx::UseAssertionId(std::string_view issuer, std::string_view jti,
                                                 std::int64_t forget_ms, std::int64_t now_ms) {
  auto done = Run(Prepared(conn_, sql::kUseAssertionId, issuer, jti, forget_ms, now_ms));
  if (!done) return tl::unexpected(std::move(done.error()));
  return conn_.Changes() > 0;
}
core::Result<void> SqliteWriteTx::PruneAssertionIds(std::int64_t now_ms) {
  return Run(Prepared(conn_, sql::kPruneAssertionIds, now_ms));
}

core::Result<std::int64_t> SqliteWriteTx::InsertJob(const JobRecord& job) {
  return InsertJobRow(conn_, job);
}
core::Result<bool> SqliteWriteTx::ConsumerHasJob(std::string_view issuer,
                                                 std::string_view consumer) {
  return QueryConsumerHasJob(conn_, issuer, consumer);
}
core::Result<std::vector<std::string>> SqliteWriteTx::NetworkProfiles(std::string_view issuer,
                                                                      std::string_view consumer) {
  return QueryNetworkProfiles(conn_, issuer, consumer);
}
core::Result<std::vector<JobRecord>> SqliteWriteTx::ClaimJobs(std::int64_t now_ms,
                                                              std::int64_t lease_until_ms,
                                                              JobLane lane, int limit) {
  return ClaimJobRows(conn_, now_ms, lease_until_ms, lane, limit);
}
core::Result<bool> SqliteWriteTx::RescheduleJob(const JobRecord& job, std::int64_t run_at_ms,
                                                std::string_view progress) {
  return RescheduleJobRow(conn_, job, run_at_ms, progress);
}
core::Result<bool> SqliteWriteTx::DeleteJob(const JobRecord& job) {
  return DeleteJobRow(conn_, job);
}
core::Result<void> SqliteWriteTx::ReleaseJobLeases() { return sqlite::ReleaseJobLeases(conn_); }
core::Result<bool> SqliteWriteTx::FinishOperation(const OperationOutcome& outcome) {
  return FinishOperationRow(conn_, outcome);
}
core::Result<void> SqliteWriteTx::SetCardClickToPay(
    std::int64_t card_ref, std::string_view status, std::int64_t updated_ms,
    const std::optional<std::string>& digital_card_id) {
  return SetCardClickToPayRow(conn_, card_ref, status, updated_ms, digital_card_id);
}
core::Result<void> SqliteWriteTx::LockCardRow(std::int64_t /*card_ref*/) { return {}; }
core::Result<void> SqliteWriteTx::PutNetworkProfile(std::string_view issuer,
                                                    std::string_view consumer,
                                                    std::string_view network,
                                                    std::int64_t created_ms) {
  return InsertNetworkProfile(conn_, issuer, consumer, network, created_ms);
}

core::Result<void> SqliteWriteTx::DeleteNetworkProfile(std::string_view issuer,
                                                       std::string_view consumer,
                                                       std::string_view network) {
  return DeleteNetworkProfileRow(conn_, issuer, consumer, network);
}

core::Result<std::optional<OperationRecord>> SqliteWriteTx::FindOperation(
    std::string_view issuer, std::string_view operation_id) {
  return QueryOperation(conn_, issuer, operation_id);
}

core::Result<void> SqliteWriteTx::QueueNotification(const NotificationRecord& notification) {
  return InsertNotificationRow(conn_, notification);
}

core::Result<std::vector<NotificationRecord>> SqliteWriteTx::PackableNotifications(int limit) {
  return QueryPackable(conn_, limit);
}

core::Result<std::int64_t> SqliteWriteTx::InsertNotificationMessage(
    const NotificationMessage& message, const std::vector<std::int64_t>& notification_ids) {
  auto id = InsertMessageRow(conn_, message);
  if (!id) return id;
  for (const std::int64_t n : notification_ids) {
    if (auto p = PackNotificationRow(conn_, n, *id); !p) return tl::unexpected(p.error());
  }
  return id;
}

core::Result<std::vector<NotificationMessage>> SqliteWriteTx::ClaimNotificationMessages(
    std::int64_t now_ms, std::int64_t lease_until_ms, int per_issuer,
    const std::vector<std::string>& busy_issuers) {
  return ClaimMessageRows(conn_, now_ms, lease_until_ms, per_issuer, busy_issuers);
}

core::Result<void> SqliteWriteTx::EndNotificationMessage(
    std::int64_t message_id, std::string_view state, std::int64_t ended_ms,
    const std::optional<std::string>& last_error) {
  return EndMessageRow(conn_, message_id, state, ended_ms, last_error);
}

core::Result<void> SqliteWriteTx::RescheduleNotificationMessage(
    std::int64_t message_id, std::int64_t next_attempt_ms,
    const std::optional<std::string>& last_error) {
  return RescheduleMessageRow(conn_, message_id, next_attempt_ms, last_error);
}

core::Result<void> SqliteWriteTx::SuspendNotifications(std::string_view issuer,
                                                       std::int64_t since_ms,
                                                       std::string_view reason) {
  return SuspendIssuerRow(conn_, issuer, since_ms, reason);
}

core::Result<void> SqliteWriteTx::ResumeNotifications(std::string_view issuer,
                                                      std::int64_t now_ms) {
  return ResumeIssuerRow(conn_, issuer, now_ms);
}

core::Result<bool> SqliteWriteTx::RedeliverNotificationMessage(std::int64_t message_id,
                                                               std::int64_t now_ms) {
  return RedeliverMessageRow(conn_, message_id, now_ms);
}

core::Result<void> SqliteWriteTx::Atomically(const std::function<core::Result<void>()>& part) {
  if (auto begin = conn_.Run(sql::kSavepointPart); !begin) return begin;
  auto result = part();
  if (!result) {
    // Undo the part, then drop its savepoint; the unit's earlier writes stay.
    if (auto undo = conn_.Run(sql::kRollbackToPart); !undo) return undo;
  }
  if (auto release = conn_.Run(sql::kReleasePart); !release) return release;
  return result;
}

core::Result<bool> SqliteWriteTx::ClaimBatchFile(const BatchFileRecord& file) {
  return ClaimBatchFileRow(conn_, file);
}

core::Result<void> SqliteWriteTx::UpdateBatchFile(const BatchFileRecord& file) {
  return UpdateBatchFileRow(conn_, file);
}

core::Result<void> SqliteWriteTx::InsertBatchResult(const BatchFileRecord& file,
                                                    const BatchRecordResult& result) {
  return InsertBatchResultRow(conn_, file, result);
}

core::Result<void> SqliteWriteTx::DeleteBatchResults(const BatchFileRecord& file) {
  return DeleteBatchResultRows(conn_, file);
}

}  // namespace c2p::store::sqlite
