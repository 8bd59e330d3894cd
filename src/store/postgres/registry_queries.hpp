#pragma once
// The registry's queries on one PostgreSQL connection: the writer's (inside a unit of
// work) or a reader's. The mirror of sqlite/registry_queries.hpp.

#include <optional>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "store/postgres/connection.hpp"
#include "store/registry_records.hpp"
#include "store/store.hpp"

namespace c2p::store::postgres {

// How a query that reads consumers or cards a unit may write back takes them. Writers run
// concurrently (nodes, connections), so a unit of work locks what it reads (kForUpdate,
// FOR NO KEY UPDATE): a concurrent unit's read of the same row then waits for this
// group's COMMIT and sees its result, instead of writing back a stale copy over it.
// Readers take no lock.
enum class RowLock { kNone, kForUpdate };

core::Result<std::optional<ConsumerRecord>> QueryConsumer(Connection& conn, std::string_view issuer,
                                                          std::string_view consumer,
                                                          RowLock lock = RowLock::kNone);
core::Result<void> InsertConsumer(Connection& conn, const ConsumerRecord& consumer);
core::Result<void> UpsertConsumer(Connection& conn, const ConsumerRecord& consumer);
core::Result<std::optional<ConsumerRecord>> QueryConsumerOfCardForUpdate(Connection& conn,
                                                                         std::string_view issuer,
                                                                         std::string_view card_id);
core::Result<std::optional<CardRecord>> QueryNewestCard(Connection& conn, std::string_view issuer,
                                                        std::string_view card_id,
                                                        RowLock lock = RowLock::kNone);
core::Result<std::optional<CardRecord>> QueryCardByRef(Connection& conn, std::int64_t card_ref);
core::Result<std::optional<CardRecord>> QueryLiveCardByPan(Connection& conn,
                                                           std::string_view issuer,
                                                           std::string_view pan_index,
                                                           RowLock lock = RowLock::kNone);
core::Result<std::vector<CardRecord>> QueryConsumerCards(Connection& conn, std::string_view issuer,
                                                         std::string_view consumer,
                                                         RowLock lock = RowLock::kNone);
core::Result<std::optional<CardRecord>> QueryCardByDigitalCard(Connection& conn,
                                                               std::string_view network,
                                                               std::string_view digital_card_id,
                                                               RowLock lock = RowLock::kNone);
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
// The two halves of Store::ListSealedRows, one statement each: cards after `after_ref`,
// then consumers after `after` (nullptr: from the first).
core::Result<std::vector<SealedRow>> QuerySealedCards(Connection& conn, std::int64_t after_ref,
                                                      int limit);
core::Result<std::vector<SealedRow>> QuerySealedConsumers(Connection& conn, const SealedRow* after,
                                                          int limit);
core::Result<bool> ResealRowField(Connection& conn, const SealedRow& row, std::string_view field,
                                  const Blob& old_blob, const Blob& new_blob);

}  // namespace c2p::store::postgres
