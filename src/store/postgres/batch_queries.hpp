#pragma once
// Batch files' statements (batch_sql.hpp) on one PostgreSQL connection: the mirror of
// sqlite/batch_queries.hpp.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "store/batch_records.hpp"
#include "store/postgres/connection.hpp"

namespace c2p::store::postgres {

// False: the key is held by a file that was not REJECTED (a duplicate).
core::Result<bool> ClaimBatchFileRow(Connection& conn, const BatchFileRecord& file);
core::Result<void> UpdateBatchFileRow(Connection& conn, const BatchFileRecord& file);
core::Result<void> InsertBatchResultRow(Connection& conn, const BatchFileRecord& file,
                                        const BatchRecordResult& result);
core::Result<void> DeleteBatchResultRows(Connection& conn, const BatchFileRecord& file);
core::Result<std::optional<BatchFileRecord>> QueryBatchFile(Connection& conn,
                                                            std::string_view issuer,
                                                            std::string_view batch_id,
                                                            std::string_view seq_number);
core::Result<std::vector<BatchFileRecord>> QueryOpenBatchFiles(Connection& conn);
core::Result<std::vector<BatchRecordResult>> QueryBatchResults(Connection& conn,
                                                               const BatchFileRecord& file,
                                                               std::int64_t after_row_id,
                                                               int limit);

}  // namespace c2p::store::postgres
