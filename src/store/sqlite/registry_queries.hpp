#pragma once
// The registry's queries on one SQLite connection: the writer's (inside a unit of work)
// or a reader's. SqliteWriteTx and SqliteStore delegate here, so each statement is read
// and bound in exactly one place.

#include <optional>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "store/registry_records.hpp"
#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace c2p::store::sqlite {

core::Result<std::optional<ConsumerRecord>> QueryConsumer(Connection& conn, std::string_view issuer,
                                                          std::string_view consumer);
core::Result<void> InsertConsumer(Connection& conn, const ConsumerRecord& consumer);
core::Result<void> UpsertConsumer(Connection& conn, const ConsumerRecord& consumer);

core::Result<std::optional<ConsumerRecord>> QueryConsumerOfCard(Connection& conn,
                                                                std::string_view issuer,
                                                                std::string_view card_id);
core::Result<std::optional<CardRecord>> QueryNewestCard(Connection& conn, std::string_view issuer,
                                                        std::string_view card_id);
// One incarnation by its card_ref (an operation's or a job's card), live or deleted.
core::Result<std::optional<CardRecord>> QueryCardByRef(Connection& conn, std::int64_t card_ref);
core::Result<std::optional<CardRecord>> QueryLiveCardByPan(Connection& conn,
                                                           std::string_view issuer,
                                                           std::string_view pan_index);
core::Result<std::vector<CardRecord>> QueryConsumerCards(Connection& conn, std::string_view issuer,
                                                         std::string_view consumer);
core::Result<std::optional<CardRecord>> QueryCardByDigitalCard(Connection& conn,
                                                               std::string_view network,
                                                               std::string_view digital_card_id);
core::Result<std::int64_t> InsertCardRow(Connection& conn, const CardRecord& card);
core::Result<void> UpdateCardRow(Connection& conn, const CardRecord& card);

core::Result<bool> QueryPanRetired(Connection& conn, std::string_view issuer,
                                   std::string_view pan_index);
core::Result<void> InsertRetiredPan(Connection& conn, std::string_view issuer,
                                    std::string_view pan_index);

core::Result<void> InsertOperationRow(Connection& conn, const OperationRecord& op);
core::Result<std::optional<OperationRecord>> QueryOperation(Connection& conn,
                                                            std::string_view issuer,
                                                            std::string_view operation_id);
core::Result<std::vector<OperationRecord>> QueryOperations(Connection& conn,
                                                           std::string_view issuer,
                                                           Store::OperationOwner owner,
                                                           std::string_view owner_id, int offset,
                                                           int limit);

core::Result<std::optional<IdempotencyRecord>> QueryIdempotency(Connection& conn,
                                                                std::string_view issuer,
                                                                std::string_view key);
core::Result<bool> ClaimIdempotencyKey(Connection& conn, const IdempotencyRecord& record,
                                       std::int64_t replaces_before_ms);

// True when the event was new and is now recorded.
core::Result<bool> InsertTokenEventRow(Connection& conn, const TokenEventRecord& event);

core::Result<std::vector<SealedRow>> QuerySealedRows(Connection& conn, const SealedRow* after,
                                                     int limit);
core::Result<bool> ResealRowField(Connection& conn, const SealedRow& row, std::string_view field,
                                  const Blob& old_blob, const Blob& new_blob);

}  // namespace c2p::store::sqlite
