#include "store/sqlite/registry_queries.hpp"

#include <array>

#include "store/sqlite/binding.hpp"
#include "store/sqlite/registry_sql.hpp"

namespace c2p::store::sqlite {

namespace {

ConsumerRecord ReadConsumer(const Statement& s) {
  return ConsumerRecord{std::string(s.ColumnText(0)),
                        std::string(s.ColumnText(1)),
                        std::string(s.ColumnText(2)),
                        OptBlob(s, 3),
                        s.ColumnInt64(4),
                        s.ColumnInt64(5)};
}

CardRecord ReadCard(const Statement& s) {
  CardRecord c;
  c.card_ref = s.ColumnInt64(0);
  c.issuer_id = s.ColumnText(1);
  c.card_id = s.ColumnText(2);
  c.consumer_id = s.ColumnText(3);
  c.card_product_id = s.ColumnText(4);
  c.network = s.ColumnText(5);
  c.state = s.ColumnText(6);
  c.pan_index = s.ColumnText(7);
  c.pan = s.ColumnBlob(8);
  c.exp = s.ColumnBlob(9);
  c.name = OptBlob(s, 10);
  c.pan_last4 = s.ColumnText(11);
  c.click_to_pay_status = s.ColumnText(12);
  c.created_ms = s.ColumnInt64(13);
  c.updated_ms = s.ColumnInt64(14);
  return c;
}

OperationRecord ReadOperation(const Statement& s) {
  OperationRecord o;
  o.operation_id = s.ColumnText(0);
  o.issuer_id = s.ColumnText(1);
  o.operation = s.ColumnText(2);
  o.status = s.ColumnText(3);
  o.requestor_type = s.ColumnText(4);
  o.requestor_id = s.ColumnText(5);
  o.card_ref = OptInt(s, 6);
  o.card_id = OptText(s, 7);
  o.consumer_id = OptText(s, 8);
  o.network = OptText(s, 9);
  o.reason = OptText(s, 10);
  o.reason_code = OptText(s, 11);
  o.error_code = OptText(s, 12);
  o.error_message = OptText(s, 13);
  o.details_json = OptText(s, 14);
  o.start_ms = s.ColumnInt64(15);
  o.end_ms = OptInt(s, 16);
  return o;
}

IdempotencyRecord ReadIdempotency(const Statement& s) {
  return IdempotencyRecord{std::string(s.ColumnText(0)),
                           std::string(s.ColumnText(1)),
                           std::string(s.ColumnText(2)),
                           static_cast<int>(s.ColumnInt64(3)),
                           std::string(s.ColumnText(4)),
                           std::string(s.ColumnText(5)),
                           s.ColumnInt64(6)};
}

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

core::Result<std::optional<ConsumerRecord>> QueryConsumer(Connection& conn, std::string_view issuer,
                                                          std::string_view consumer) {
  return One<ConsumerRecord>(Prepared(conn, sql::kSelectConsumer, issuer, consumer), ReadConsumer);
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

core::Result<std::int64_t> InsertCardRow(Connection& conn, const CardRecord& c) {
  auto done = Run(Prepared(conn, sql::kInsertCard, c.issuer_id, c.card_id, c.consumer_id,
                           c.card_product_id, c.network, c.state, c.pan_index, c.pan, c.exp, c.name,
                           c.pan_last4, c.click_to_pay_status, c.created_ms, c.updated_ms));
  if (!done) return tl::unexpected(std::move(done.error()));
  return conn.LastInsertRowId();
}

core::Result<void> UpdateCardRow(Connection& conn, const CardRecord& c) {
  return Run(Prepared(conn, sql::kUpdateCard, c.card_ref, c.state, c.exp, c.name,
                      c.click_to_pay_status, c.updated_ms));
}

core::Result<bool> QueryPanRetired(Connection& conn, std::string_view issuer,
                                   std::string_view pan_index) {
  auto stmt = Prepared(conn, sql::kSelectRetiredPan, issuer, pan_index);
  if (!stmt) return tl::unexpected(std::move(stmt.error()));
  return stmt->Step();
}

core::Result<void> InsertRetiredPan(Connection& conn, std::string_view issuer,
                                    std::string_view pan_index) {
  return Run(Prepared(conn, sql::kInsertRetiredPan, issuer, pan_index, NowMs()));
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

core::Result<void> UpsertIdempotency(Connection& conn, const IdempotencyRecord& r) {
  return Run(Prepared(conn, sql::kUpsertIdempotency, r.issuer_id, r.key, r.request_hash,
                      std::int64_t{r.status}, r.headers_json, r.body, r.created_ms));
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
