#include "store/postgres/batch_queries.hpp"

#include "store/postgres/batch_sql.hpp"
#include "store/postgres/binding.hpp"

namespace c2p::store::postgres {

namespace {

// clang-format off
constexpr auto ReadBatchFile = ReadRow<BatchFileRecord,
    &BatchFileRecord::issuer_id, &BatchFileRecord::batch_id, &BatchFileRecord::seq_number,
    &BatchFileRecord::file_name, &BatchFileRecord::operation, &BatchFileRecord::status,
    &BatchFileRecord::error_code, &BatchFileRecord::total_records,
    &BatchFileRecord::processed, &BatchFileRecord::ok, &BatchFileRecord::ko,
    &BatchFileRecord::last_row_id, &BatchFileRecord::correlation_id,
    &BatchFileRecord::received_ms, &BatchFileRecord::updated_ms>;
constexpr auto ReadResult = ReadRow<BatchRecordResult,
    &BatchRecordResult::row_id, &BatchRecordResult::result>;
// clang-format on

}  // namespace

core::Result<bool> ClaimBatchFileRow(Connection& conn, const BatchFileRecord& f) {
  return Any(Query(conn, sql::kClaimBatchFile, f.issuer_id, f.batch_id, f.seq_number, f.file_name,
                   f.operation, f.status, f.error_code, f.total_records, f.processed, f.ok, f.ko,
                   f.last_row_id, f.correlation_id, f.received_ms, f.updated_ms));
}

core::Result<void> UpdateBatchFileRow(Connection& conn, const BatchFileRecord& f) {
  return Done(Query(conn, sql::kUpdateBatchFile, f.issuer_id, f.batch_id, f.seq_number, f.file_name,
                    f.operation, f.status, f.error_code, f.total_records, f.processed, f.ok, f.ko,
                    f.last_row_id, f.updated_ms));
}

core::Result<void> InsertBatchResultRow(Connection& conn, const BatchFileRecord& f,
                                        const BatchRecordResult& r) {
  return Done(Query(conn, sql::kInsertBatchResult, f.issuer_id, f.batch_id, f.seq_number, r.row_id,
                    r.result));
}

core::Result<void> DeleteBatchResultRows(Connection& conn, const BatchFileRecord& f) {
  return Done(Query(conn, sql::kDeleteBatchResults, f.issuer_id, f.batch_id, f.seq_number));
}

core::Result<std::optional<BatchFileRecord>> QueryBatchFile(Connection& conn,
                                                            std::string_view issuer,
                                                            std::string_view batch_id,
                                                            std::string_view seq_number) {
  return One<BatchFileRecord>(Query(conn, sql::kSelectBatchFile, issuer, batch_id, seq_number),
                              ReadBatchFile);
}

core::Result<std::vector<BatchFileRecord>> QueryOpenBatchFiles(Connection& conn) {
  return All<BatchFileRecord>(Query(conn, sql::kSelectOpenBatchFiles), ReadBatchFile);
}

core::Result<std::vector<BatchRecordResult>> QueryBatchResults(Connection& conn,
                                                               const BatchFileRecord& f,
                                                               std::int64_t after_row_id,
                                                               int limit) {
  return All<BatchRecordResult>(Query(conn, sql::kSelectBatchResults, f.issuer_id, f.batch_id,
                                      f.seq_number, after_row_id, limit),
                                ReadResult);
}

}  // namespace c2p::store::postgres
