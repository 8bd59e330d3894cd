#include "store/sqlite/registry_queries.hpp"

#include <array>

#include "core/time_format.hpp"
#include "store/sqlite/binding.hpp"
#include "store/sqlite/registry_sql.hpp"
#include "store/sqlite/token_service_sql.hpp"

namespace c2p::store::sqlite {

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
                                                          std::string_view consumer) {
  return One<ConsumerRecord>(Prepared(conn, sql::kSelectConsumer, issuer, consumer), ReadConsumer);
}

core::Result<std::optional<ConsumerRecord>> QueryConsumerOfCard(Connection& conn,
                                                                std::string_view issuer,
                                                                std::string_view card_id) {
  return One<ConsumerRecord>(Prepared(conn, sql::kSelectConsumerOfCard, issuer, card_id),
                             ReadConsumer);
}

core::Result<void> InsertConsumer(Connection& conn, const ConsumerRecord& c) {
  return Run(Prepared(conn, sql::kInsertConsumer, c.issuer_id, c.consumer_id, c.state,
                      c.personal_information, c.created_ms, c.updated_ms));
}

core::Result<void> UpsertConsumer(Connection& conn, const ConsumerRecord& c) {
  return Run(Prepared(conn, sql::kUpsertConsumer, c.issuer_id, c.consumer_id, c.state,
                      c.personal_information, c.created_ms, c.updated_ms));
}

core::Result<std::optional<CardRecord>> QueryNewestCard(Connection& conn, std::string_view issuer,
                                                        std::string_view card_id) {
  return One<CardRecord>(Prepared(conn, sql::kSelectNewestCard, issuer, card_id), ReadCard);
}

core::Result<std::optional<CardRecord>> QueryCardByRef(Connection& conn, std::int64_t card_ref) {
  return One<CardRecord>(Prepared(conn, sql::kSelectCardByRef, card_ref), ReadCard);
}

core::Result<std::optional<CardRecord>> QueryLiveCardByPan(Connection& conn,
                                                           std::string_view issuer,
                                                           std::string_view pan_index) {
  return One<CardRecord>(Prepared(conn, sql::kSelectLiveCardByPan, issuer, pan_index), ReadCard);
}

core::Result<std::vector<CardRecord>> QueryConsumerCards(Connection& conn, std::string_view issuer,
                                                         std::string_view consumer) {
  return All<CardRecord>(Prepared(conn, sql::kSelectConsumerCards, issuer, consumer), ReadCard);
}

core::Result<std::optional<CardRecord>> QueryCardByDigitalCard(Connection& conn,
                                                               std::string_view network,
                                                               std::string_view digital_card_id) {
  return One<CardRecord>(Prepared(conn, sql::kSelectCardByDigitalCard, network, digital_card_id),
                         ReadCard);
}

core::Result<std::int64_t> InsertCardRow(Connection& conn, const CardRecord& c) {
  auto done =
      Run(Prepared(conn, sql::kInsertCard, c.issuer_id, c.card_id, c.consumer_id, c.card_product_id,
                   c.network, c.state, c.pan_index, c.pan, c.exp, c.name, c.pan_last4,
                   c.click_to_pay_status, c.created_ms, c.updated_ms, c.digital_card_id));
  if (!done) return tl::unexpected(std::move(done.error()));
  return conn.LastInsertRowId();
}

core::Result<void> UpdateCardRow(Connection& conn, const CardRecord& c) {
  return Run(Prepared(conn, sql::kUpdateCard, c.card_ref, c.state, c.exp, c.name,
                      c.click_to_pay_status, c.updated_ms, c.digital_card_id,
                      c.suspended_digital_card_id));
}

core::Result<bool> QueryPanRetired(Connection& conn, std::string_view issuer,
                                   std::string_view pan_index) {
  auto stmt = Prepared(conn, sql::kSelectRetiredPan, issuer, pan_index);
  if (!stmt) return tl::unexpected(std::move(stmt.error()));
  return stmt->Step();
}

core::Result<void> InsertRetiredPan(Connection& conn, std::string_view issuer,
                                    std::string_view pan_index) {
  return Run(Prepared(conn, sql::kInsertRetiredPan, issuer, pan_index, core::UnixMillisNow()));
}

core::Result<void> InsertOperationRow(Connection& conn, const OperationRecord& o) {
  return Run(Prepared(conn, sql::kInsertOperation, o.operation_id, o.issuer_id, o.operation,
                      o.status, o.requestor_type, o.requestor_id, o.card_ref, o.card_id,
                      o.consumer_id, o.network, o.reason, o.reason_code, o.error_code,
                      o.error_message, o.details_json, o.start_ms, o.end_ms));
}

core::Result<std::optional<OperationRecord>> QueryOperation(Connection& conn,
                                                            std::string_view issuer,
                                                            std::string_view operation_id) {
  return One<OperationRecord>(Prepared(conn, sql::kSelectOperation, issuer, operation_id),
                              ReadOperation);
}

core::Result<std::vector<OperationRecord>> QueryOperations(Connection& conn,
                                                           std::string_view issuer,
                                                           Store::OperationOwner owner,
                                                           std::string_view owner_id, int offset,
                                                           int limit) {
  const auto sql = owner == Store::OperationOwner::kCard ? sql::kSelectCardOperations
                                                         : sql::kSelectConsumerOperations;
  return All<OperationRecord>(
      Prepared(conn, sql, issuer, owner_id, std::int64_t{limit}, std::int64_t{offset}),
      ReadOperation);
}

core::Result<std::optional<IdempotencyRecord>> QueryIdempotency(Connection& conn,
                                                                std::string_view issuer,
                                                                std::string_view key) {
  return One<IdempotencyRecord>(Prepared(conn, sql::kSelectIdempotency, issuer, key),
                                ReadIdempotency);
}

core::Result<bool> ClaimIdempotencyKey(Connection& conn, const IdempotencyRecord& r,
                                       std::int64_t replaces_before_ms) {
  auto done = Run(Prepared(conn, sql::kClaimIdempotency, r.issuer_id, r.key, r.request_hash,
                           std::int64_t{r.status}, r.headers_json, r.body, r.created_ms,
                           replaces_before_ms));
  if (!done) return tl::unexpected(std::move(done.error()));
  return conn.Changes() > 0;
}

core::Result<bool> InsertTokenEventRow(Connection& conn, const TokenEventRecord& e) {
  auto done = Run(Prepared(conn, sql::kInsertTokenEvent, e.network, e.event_id, e.event, e.card_ref,
                           e.operation_id, e.received_ms));
  if (!done) return tl::unexpected(std::move(done.error()));
  return conn.Changes() > 0;
}

core::Result<std::vector<SealedRow>> QuerySealedRows(Connection& conn, const SealedRow* after,
                                                     int limit) {
  std::vector<SealedRow> out;
  if (after == nullptr || after->kind == SealedRow::Kind::kCard) {
    auto cards =
        All<SealedRow>(Prepared(conn, sql::kSelectSealedCards,
                                after ? after->card_ref : std::int64_t{0}, std::int64_t{limit}),
                       [](const Statement& s) {
                         SealedRow row{SealedRow::Kind::kCard,
                                       s.ColumnInt64(0),
                                       std::string(s.ColumnText(1)),
                                       std::string(s.ColumnText(2)),
                                       {}};
                         row.fields.emplace_back("pan", s.ColumnBlob(3));
                         row.fields.emplace_back("exp", s.ColumnBlob(4));
                         if (!s.ColumnIsNull(5)) row.fields.emplace_back("name", s.ColumnBlob(5));
                         return row;
                       });
    if (!cards) return cards;
    out = std::move(*cards);
    if (static_cast<int>(out.size()) == limit) return out;
  }
  const bool from_start = after == nullptr || after->kind == SealedRow::Kind::kCard;
  auto consumers =
      All<SealedRow>(Prepared(conn, sql::kSelectSealedConsumers,
                              from_start ? std::string_view() : std::string_view(after->issuer_id),
                              from_start ? std::string_view() : std::string_view(after->row_id),
                              std::int64_t{limit - static_cast<int>(out.size())}),
                     [](const Statement& s) {
                       SealedRow row{SealedRow::Kind::kConsumer,
                                     0,
                                     std::string(s.ColumnText(0)),
                                     std::string(s.ColumnText(1)),
                                     {}};
                       row.fields.emplace_back("personalInformation", s.ColumnBlob(2));
                       return row;
                     });
  if (!consumers) return consumers;
  for (auto& row : *consumers) out.push_back(std::move(row));
  return out;
}

core::Result<bool> ResealRowField(Connection& conn, const SealedRow& row, std::string_view field,
                                  const Blob& old_blob, const Blob& new_blob) {
  core::Result<void> done;
  if (row.kind == SealedRow::Kind::kConsumer) {
    if (field != "personalInformation") {
      return core::Fail(core::ErrorCode::kInternal, "unknown sealed consumer field");
    }
    done = Run(Prepared(conn, sql::kResealConsumer, row.issuer_id, row.row_id, old_blob, new_blob));
  } else {
    static constexpr std::array<std::string_view, 3> kFields{"pan", "exp", "name"};
    std::size_t i = 0;
    while (i < kFields.size() && kFields[i] != field) ++i;
    if (i == kFields.size()) return core::Fail(core::ErrorCode::kInternal, "unknown card field");
    done = Run(Prepared(conn, sql::kResealCardField[i], row.card_ref, old_blob, new_blob));
  }
  if (!done) return tl::unexpected(std::move(done.error()));
  return conn.Changes() > 0;
}

}  // namespace c2p::store::sqlite
