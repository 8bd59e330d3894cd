#include "store/postgres/registry_queries.hpp"

#include <array>
#include <chrono>

#include "core/time_format.hpp"
#include "store/postgres/binding.hpp"
#include "store/postgres/registry_sql.hpp"
#include "store/postgres/token_service_sql.hpp"

namespace c2p::store::postgres {

namespace {

// clang-format off
constexpr auto ReadConsumer = ReadRow<ConsumerRecord,
    &ConsumerRecord::issuer_id, &ConsumerRecord::consumer_id, &ConsumerRecord::state,
    &ConsumerRecord::personal_information, &ConsumerRecord::created_ms,
    &ConsumerRecord::updated_ms>;
constexpr auto ReadCard = ReadRow<CardRecord,
    &CardRecord::card_ref, &CardRecord::issuer_id, &CardRecord::card_id,
    &CardRecord::consumer_id, &CardRecord::card_product_id, &CardRecord::network,
    &CardRecord::state, &CardRecord::pan_index, &CardRecord::pan, &CardRecord::exp,
    &CardRecord::name, &CardRecord::pan_last4, &CardRecord::click_to_pay_status,
    &CardRecord::created_ms, &CardRecord::updated_ms, &CardRecord::digital_card_id,
    &CardRecord::suspended_digital_card_id>;
constexpr auto ReadOperation = ReadRow<OperationRecord,
    &OperationRecord::operation_id, &OperationRecord::issuer_id, &OperationRecord::operation,
    &OperationRecord::status, &OperationRecord::requestor_type, &OperationRecord::requestor_id,
    &OperationRecord::card_ref, &OperationRecord::card_id, &OperationRecord::consumer_id,
    &OperationRecord::network, &OperationRecord::reason, &OperationRecord::reason_code,
    &OperationRecord::error_code, &OperationRecord::error_message, &OperationRecord::details_json,
    &OperationRecord::start_ms, &OperationRecord::end_ms>;
constexpr auto ReadIdempotency = ReadRow<IdempotencyRecord,
    &IdempotencyRecord::issuer_id, &IdempotencyRecord::key, &IdempotencyRecord::request_hash,
    &IdempotencyRecord::status, &IdempotencyRecord::headers_json, &IdempotencyRecord::body,
    &IdempotencyRecord::created_ms>;
// clang-format on

}  // namespace

core::Result<std::optional<ConsumerRecord>> QueryConsumer(Connection& conn, std::string_view issuer,
                                                          std::string_view consumer, RowLock lock) {
  const Sql& select =
      lock == RowLock::kForUpdate ? sql::kSelectConsumerForUpdate : sql::kSelectConsumer;
  return One<ConsumerRecord>(Query(conn, select, issuer, consumer), ReadConsumer);
}

core::Result<std::optional<ConsumerRecord>> QueryConsumerOfCardForUpdate(Connection& conn,
                                                                         std::string_view issuer,
                                                                         std::string_view card_id) {
  return One<ConsumerRecord>(Query(conn, sql::kSelectConsumerOfCardForUpdate, issuer, card_id),
                             ReadConsumer);
}

core::Result<void> InsertConsumer(Connection& conn, const ConsumerRecord& c) {
  return Done(Query(conn, sql::kInsertConsumer, c.issuer_id, c.consumer_id, c.state,
                    c.personal_information, c.created_ms, c.updated_ms));
}

core::Result<void> UpsertConsumer(Connection& conn, const ConsumerRecord& c) {
  return Done(Query(conn, sql::kUpsertConsumer, c.issuer_id, c.consumer_id, c.state,
                    c.personal_information, c.created_ms, c.updated_ms));
}

core::Result<std::optional<CardRecord>> QueryNewestCard(Connection& conn, std::string_view issuer,
                                                        std::string_view card_id, RowLock lock) {
  const Sql& select =
      lock == RowLock::kForUpdate ? sql::kSelectNewestCardForUpdate : sql::kSelectNewestCard;
  return One<CardRecord>(Query(conn, select, issuer, card_id), ReadCard);
}

core::Result<std::optional<CardRecord>> QueryCardByRef(Connection& conn, std::int64_t card_ref) {
  return One<CardRecord>(Query(conn, sql::kSelectCardByRef, card_ref), ReadCard);
}

core::Result<std::optional<CardRecord>> QueryLiveCardByPan(Connection& conn,
                                                           std::string_view issuer,
                                                           std::string_view pan_index,
                                                           RowLock lock) {
  const Sql& select =
      lock == RowLock::kForUpdate ? sql::kSelectLiveCardByPanForUpdate : sql::kSelectLiveCardByPan;
  return One<CardRecord>(Query(conn, select, issuer, pan_index), ReadCard);
}

core::Result<std::vector<CardRecord>> QueryConsumerCards(Connection& conn, std::string_view issuer,
                                                         std::string_view consumer, RowLock lock) {
  const Sql& select =
      lock == RowLock::kForUpdate ? sql::kSelectConsumerCardsForUpdate : sql::kSelectConsumerCards;
  return All<CardRecord>(Query(conn, select, issuer, consumer), ReadCard);
}

core::Result<std::optional<CardRecord>> QueryCardByDigitalCard(Connection& conn,
                                                               std::string_view network,
                                                               std::string_view digital_card_id,
                                                               RowLock lock) {
  const Sql& select = lock == RowLock::kForUpdate ? sql::kSelectCardByDigitalCardForUpdate
                                                  : sql::kSelectCardByDigitalCard;
  return One<CardRecord>(Query(conn, select, network, digital_card_id), ReadCard);
}

core::Result<std::int64_t> InsertCardRow(Connection& conn, const CardRecord& c) {
  return FirstInt(Query(conn, sql::kInsertCard, c.issuer_id, c.card_id, c.consumer_id,
                        c.card_product_id, c.network, c.state, c.pan_index, c.pan, c.exp, c.name,
                        c.pan_last4, c.click_to_pay_status, c.created_ms, c.updated_ms,
                        c.digital_card_id));
}

core::Result<void> UpdateCardRow(Connection& conn, const CardRecord& c) {
  return Done(Query(conn, sql::kUpdateCard, c.card_ref, c.state, c.exp, c.name,
                    c.click_to_pay_status, c.updated_ms, c.digital_card_id,
                    c.suspended_digital_card_id));
}

core::Result<bool> QueryPanRetired(Connection& conn, std::string_view issuer,
                                   std::string_view pan_index) {
  return Any(Query(conn, sql::kSelectRetiredPan, issuer, pan_index));
}

core::Result<void> InsertRetiredPan(Connection& conn, std::string_view issuer,
                                    std::string_view pan_index) {
  return Done(Query(conn, sql::kInsertRetiredPan, issuer, pan_index, core::UnixMillisNow()));
}

core::Result<void> InsertOperationRow(Connection& conn, const OperationRecord& o) {
  return Done(Query(conn, sql::kInsertOperation, o.operation_id, o.issuer_id, o.operation, o.status,
                    o.requestor_type, o.requestor_id, o.card_ref, o.card_id, o.consumer_id,
                    o.network, o.reason, o.reason_code, o.error_code, o.error_message,
                    o.details_json, o.start_ms, o.end_ms));
}

core::Result<std::optional<OperationRecord>> QueryOperation(Connection& conn,
                                                            std::string_view issuer,
                                                            std::string_view operation_id) {
  return One<OperationRecord>(Query(conn, sql::kSelectOperation, issuer, operation_id),
                              ReadOperation);
}

core::Result<std::vector<OperationRecord>> QueryOperations(Connection& conn,
                                                           std::string_view issuer,
                                                           Store::OperationOwner owner,
                                                           std::string_view owner_id, int offset,
                                                           int limit) {
  const Sql& sql = owner == Store::OperationOwner::kCard ? sql::kSelectCardOperations
                                                         : sql::kSelectConsumerOperations;
  return All<OperationRecord>(Query(conn, sql, issuer, owner_id, limit, offset), ReadOperation);
}

core::Result<std::optional<IdempotencyRecord>> QueryIdempotency(Connection& conn,
                                                                std::string_view issuer,
                                                                std::string_view key) {
  return One<IdempotencyRecord>(Query(conn, sql::kSelectIdempotency, issuer, key), ReadIdempotency);
}

core::Result<bool> ClaimIdempotencyKey(Connection& conn, const IdempotencyRecord& r,
                                       std::int64_t replaces_before_ms) {
  return Any(Query(conn, sql::kClaimIdempotency, r.issuer_id, r.key, r.request_hash, r.status,
                   r.headers_json, r.body, r.created_ms, replaces_before_ms));
}

core::Result<bool> InsertTokenEventRow(Connection& conn, const TokenEventRecord& e) {
  return Any(Query(conn, sql::kInsertTokenEvent, e.network, e.event_id, e.event, e.card_ref,
                   e.operation_id, e.received_ms));
}

core::Result<std::vector<SealedRow>> QuerySealedCards(Connection& conn, std::int64_t after_ref,
                                                      int limit) {
  return All<SealedRow>(Query(conn, sql::kSelectSealedCards, after_ref, limit), [](const Row& r) {
    SealedRow row{
        SealedRow::Kind::kCard, r.Int(0), std::string(r.Text(1)), std::string(r.Text(2)), {}};
    row.fields.emplace_back("pan", r.Bytes(3));
    row.fields.emplace_back("exp", r.Bytes(4));
    if (!r.IsNull(5)) row.fields.emplace_back("name", r.Bytes(5));
    return row;
  });
}

core::Result<std::vector<SealedRow>> QuerySealedConsumers(Connection& conn, const SealedRow* after,
                                                          int limit) {
  return All<SealedRow>(
      Query(conn, sql::kSelectSealedConsumers,
            after ? std::string_view(after->issuer_id) : std::string_view(),
            after ? std::string_view(after->row_id) : std::string_view(), limit),
      [](const Row& r) {
        SealedRow row{
            SealedRow::Kind::kConsumer, 0, std::string(r.Text(0)), std::string(r.Text(1)), {}};
        row.fields.emplace_back("personalInformation", r.Bytes(2));
        return row;
      });
}

core::Result<bool> ResealRowField(Connection& conn, const SealedRow& row, std::string_view field,
                                  const Blob& old_blob, const Blob& new_blob) {
  if (row.kind == SealedRow::Kind::kConsumer) {
    if (field != "personalInformation") {
      return core::Fail(core::ErrorCode::kInternal, "unknown sealed consumer field");
    }
    return Any(Query(conn, sql::kResealConsumer, row.issuer_id, row.row_id, old_blob, new_blob));
  }
  static constexpr std::array<std::pair<std::string_view, const Sql*>, 3> kFields{{
      {"pan", &sql::kResealCardPan},
      {"exp", &sql::kResealCardExp},
      {"name", &sql::kResealCardName},
  }};
  for (const auto& [name, statement] : kFields) {
    if (name == field) return Any(Query(conn, *statement, row.card_ref, old_blob, new_blob));
  }
  return core::Fail(core::ErrorCode::kInternal, "unknown card field");
}

}  // namespace c2p::store::postgres
