#pragma once
// The SQL of batch files in PostgreSQL's dialect: migration 10 and the statements of
// batch_queries.cpp (the mirror of sqlite/batch_sql.hpp).

#include <string_view>

#include "store/postgres/connection.hpp"

namespace c2p::store::postgres::sql {

// Migration 10: batch files and their record results.
inline constexpr std::string_view kMigration0010CreateBatch = R"sql(
CREATE TABLE batch_files (
  issuer_id      TEXT   NOT NULL,
  batch_id       TEXT   NOT NULL,
  seq_number     TEXT   NOT NULL,
  file_name      TEXT   NOT NULL,
  operation      TEXT   NOT NULL,
  status         TEXT   NOT NULL,
  error_code     TEXT,
  total_records  BIGINT NOT NULL,
  processed      BIGINT NOT NULL,
  ok             BIGINT NOT NULL,
  ko             BIGINT NOT NULL,
  last_row_id    BIGINT,
  correlation_id TEXT   NOT NULL,
  received_ms    BIGINT NOT NULL,
  updated_ms     BIGINT NOT NULL,
  PRIMARY KEY (issuer_id, batch_id, seq_number)
);
CREATE INDEX batch_files_open ON batch_files (received_ms)
  WHERE status IN ('RECEIVED', 'PROCESSING');

CREATE TABLE batch_results (
  issuer_id  TEXT   NOT NULL,
  batch_id   TEXT   NOT NULL,
  seq_number TEXT   NOT NULL,
  row_id     BIGINT NOT NULL,
  result     TEXT   NOT NULL,
  PRIMARY KEY (issuer_id, batch_id, seq_number, row_id)
);
)sql";

#define C2P_BATCH_COLUMNS                                                                      \
  "issuer_id, batch_id, seq_number, file_name, operation, status, error_code, total_records, " \
  "processed, ok, ko, last_row_id, correlation_id, received_ms, updated_ms"

// Takes the key unless a file holds it that was not REJECTED; a REJECTED row is replaced.
C2P_PG_SQL(kClaimBatchFile,
           "INSERT INTO batch_files AS f (" C2P_BATCH_COLUMNS
           ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) "
           "ON CONFLICT (issuer_id, batch_id, seq_number) DO UPDATE SET "
           "file_name = excluded.file_name, operation = excluded.operation, "
           "status = excluded.status, error_code = excluded.error_code, "
           "total_records = excluded.total_records, processed = 0, ok = 0, ko = 0, "
           "last_row_id = NULL, correlation_id = excluded.correlation_id, "
           "received_ms = excluded.received_ms, updated_ms = excluded.updated_ms "
           "WHERE f.status = 'REJECTED'");
C2P_PG_SQL(kUpdateBatchFile,
           "UPDATE batch_files SET file_name = $4, operation = $5, status = $6, error_code = $7, "
           "total_records = $8, processed = $9, ok = $10, ko = $11, last_row_id = $12, "
           "updated_ms = $13 WHERE issuer_id = $1 AND batch_id = $2 AND seq_number = $3");
C2P_PG_SQL(kSelectBatchFile,
           "SELECT " C2P_BATCH_COLUMNS
           " FROM batch_files WHERE issuer_id = $1 AND batch_id = $2 AND seq_number = $3");
C2P_PG_SQL(kSelectOpenBatchFiles,
           "SELECT " C2P_BATCH_COLUMNS
           " FROM batch_files WHERE status IN ('RECEIVED', 'PROCESSING') ORDER BY received_ms");
#undef C2P_BATCH_COLUMNS

C2P_PG_SQL(kInsertBatchResult,
           "INSERT INTO batch_results (issuer_id, batch_id, seq_number, row_id, result) "
           "VALUES ($1, $2, $3, $4, $5)");
C2P_PG_SQL(kSelectBatchResults,
           "SELECT row_id, result FROM batch_results WHERE issuer_id = $1 AND batch_id = $2 AND "
           "seq_number = $3 AND row_id > $4 ORDER BY row_id LIMIT $5");
C2P_PG_SQL(kDeleteBatchResults,
           "DELETE FROM batch_results WHERE issuer_id = $1 AND batch_id = $2 "
           "AND seq_number = $3");

}  // namespace c2p::store::postgres::sql
