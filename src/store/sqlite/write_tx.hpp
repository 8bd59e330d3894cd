#pragma once
// The SQLite implementation of WriteTx: the typed mutations a unit of work may make,
// run on the writer's connection inside the unit's savepoint (or, for a unit alone in its
// group, directly in the transaction).

#include <string_view>

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace c2p::store::sqlite {

class SqliteWriteTx final : public WriteTx {
 public:
  // `conn` is the writer's connection, inside an open transaction.
  explicit SqliteWriteTx(Connection& conn) : conn_(conn) {}

  core::Result<void> PutSetting(std::string_view key, std::string_view value) override;

  core::Result<std::optional<ConsumerRecord>> FindConsumer(std::string_view issuer,
                                                           std::string_view consumer) override;
  core::Result<void> AddConsumer(const ConsumerRecord& consumer) override;
  core::Result<void> PutConsumer(const ConsumerRecord& consumer) override;
  core::Result<std::optional<CardRecord>> FindCard(std::string_view issuer,
                                                   std::string_view card_id) override;
  core::Result<std::optional<ConsumerRecord>> FindConsumerOfCard(std::string_view issuer,
                                                                 std::string_view card_id) override;
  core::Result<std::optional<CardRecord>> FindLiveCardByPan(std::string_view issuer,
                                                            std::string_view pan_index) override;
  core::Result<std::vector<CardRecord>> ConsumerCards(std::string_view issuer,
                                                      std::string_view consumer) override;
  core::Result<std::int64_t> InsertCard(const CardRecord& card) override;
  core::Result<void> UpdateCard(const CardRecord& card) override;
  core::Result<bool> IsPanRetired(std::string_view issuer, std::string_view pan_index) override;
  core::Result<void> RetirePan(std::string_view issuer, std::string_view pan_index) override;
  core::Result<void> InsertOperation(const OperationRecord& operation) override;
  core::Result<bool> ClaimIdempotency(const IdempotencyRecord& record,
                                      std::int64_t replaces_before_ms) override;
  core::Result<std::optional<CardRecord>> FindCardByDigitalCard(
      std::string_view network, std::string_view digital_card_id) override;
  core::Result<bool> InsertTokenEvent(const TokenEventRecord& event) override;
  core::Result<bool> ResealField(const SealedRow& row, std::string_view field, const Blob& old_blob,
                                 const Blob& new_blob) override;

  core::Result<bool> UseAssertionId(std::string_view issuer, std::string_view jti,
                                    std::int64_t forget_ms, std::int64_t now_ms) override;
  core::Result<void> PruneAssertionIds(std::int64_t now_ms) override;

  core::Result<std::int64_t> InsertJob(const JobRecord& job) override;
  core::Result<bool> ConsumerHasJob(std::string_view issuer, std::string_view consumer) override;
  core::Result<std::vector<JobRecord>> ClaimJobs(std::int64_t now_ms, std::int64_t lease_until_ms,
                                                 JobLane lane, int limit) override;
  core::Result<bool> RescheduleJob(const JobRecord& job, std::int64_t run_at_ms,
                                   std::string_view progress) override;
  core::Result<bool> DeleteJob(const JobRecord& job) override;
  core::Result<void> ReleaseJobLeases() override;
  core::Result<bool> FinishOperation(const OperationOutcome& outcome) override;
  core::Result<void> SetCardClickToPay(std::int64_t card_ref, std::string_view status,
                                       std::int64_t updated_ms,
                                       const std::optional<std::string>& digital_card_id) override;
  core::Result<void> DeleteNetworkProfile(std::string_view issuer, std::string_view consumer,
                                          std::string_view network) override;
  core::Result<std::vector<std::string>> NetworkProfiles(std::string_view issuer,
                                                         std::string_view consumer) override;

  core::Result<std::optional<OperationRecord>> FindOperation(
      std::string_view issuer, std::string_view operation_id) override;
  core::Result<void> QueueNotification(const NotificationRecord& notification) override;
  core::Result<std::vector<NotificationRecord>> PackableNotifications(int limit) override;
  core::Result<std::int64_t> InsertNotificationMessage(
      const NotificationMessage& message,
      const std::vector<std::int64_t>& notification_ids) override;
  core::Result<std::vector<NotificationMessage>> ClaimNotificationMessages(
      std::int64_t now_ms, std::int64_t lease_until_ms, int per_issuer,
      const std::vector<std::string>& busy_issuers) override;
  core::Result<void> EndNotificationMessage(std::int64_t message_id, std::string_view state,
                                            std::int64_t ended_ms,
                                            const std::optional<std::string>& last_error) override;
  core::Result<void> RescheduleNotificationMessage(
      std::int64_t message_id, std::int64_t next_attempt_ms,
      const std::optional<std::string>& last_error) override;
  core::Result<void> SuspendNotifications(std::string_view issuer, std::int64_t since_ms,
                                          std::string_view reason) override;
  core::Result<void> ResumeNotifications(std::string_view issuer, std::int64_t now_ms) override;
  core::Result<bool> RedeliverNotificationMessage(std::int64_t message_id,
                                                  std::int64_t now_ms) override;
  core::Result<void> LockCardRow(std::int64_t card_ref) override;
  core::Result<void> PutNetworkProfile(std::string_view issuer, std::string_view consumer,
                                       std::string_view network, std::int64_t created_ms) override;

  core::Result<void> Atomically(const std::function<core::Result<void>()>& part) override;
  core::Result<bool> ClaimBatchFile(const BatchFileRecord& file) override;
  core::Result<void> UpdateBatchFile(const BatchFileRecord& file) override;
  core::Result<void> InsertBatchResult(const BatchFileRecord& file,
                                       const BatchRecordResult& result) override;
  core::Result<void> DeleteBatchResults(const BatchFileRecord& file) override;

 private:
  Connection& conn_;
};

}  // namespace c2p::store::sqlite
