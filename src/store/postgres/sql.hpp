#pragma once
// The SQL of the PostgreSQL backend's own machinery (transactions, migrations, settings),
// as named constants: the mirror of sqlite/sql.hpp in PostgreSQL's dialect. Statements run
// with parameters are `Sql` values, prepared under their constant's name.

#include <string_view>

#include "store/postgres/connection.hpp"

namespace c2p::store::postgres::sql {

C2P_PG_SQL(kSelectOne, "SELECT 1");

// --- Transactions (simple protocol, no parameters) --------------------------------------

inline constexpr std::string_view kBegin = "BEGIN";
inline constexpr std::string_view kCommit = "COMMIT";
inline constexpr std::string_view kRollback = "ROLLBACK";
// One savepoint per unit of a group commit; released before the next unit starts.
inline constexpr std::string_view kSavepointUnit = "SAVEPOINT u";
inline constexpr std::string_view kReleaseUnit = "RELEASE SAVEPOINT u";
inline constexpr std::string_view kRollbackToUnit = "ROLLBACK TO SAVEPOINT u";
// A nested savepoint inside a unit (WriteTx::Atomically).
inline constexpr std::string_view kSavepointPart = "SAVEPOINT p";
inline constexpr std::string_view kReleasePart = "RELEASE SAVEPOINT p";
inline constexpr std::string_view kRollbackToPart = "ROLLBACK TO SAVEPOINT p";
// Every session commits durably whatever the server's default (connection.cpp sets
// synchronous_commit = on as a connection option); read back by the tests.
C2P_PG_SQL(kShowSynchronousCommit, "SHOW synchronous_commit");

// --- Migrations ----------------------------------------------------------------------

// Serialises the migrations of nodes starting together: held until the migrating
// transaction ends (the key is arbitrary, fixed: "c2p migrations").
C2P_PG_SQL(kLockMigrations, "SELECT pg_advisory_xact_lock(7233846093421568001)");

inline constexpr std::string_view kCreateSchemaMigrations = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    BIGINT PRIMARY KEY,
  name       TEXT   NOT NULL,
  applied_at BIGINT NOT NULL
)
)sql";

C2P_PG_SQL(kSelectSchemaVersion, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
C2P_PG_SQL(kSelectMigrationApplied, "SELECT 1 FROM schema_migrations WHERE version = $1");
C2P_PG_SQL(kInsertMigration,
           "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)");
C2P_PG_SQL(kSelectAppliedMigrations,
           "SELECT version, name, applied_at FROM schema_migrations ORDER BY version");

// Migration 1. Timestamps are seconds since the Unix epoch.
inline constexpr std::string_view kMigration0001CreateSettings = R"sql(
CREATE TABLE settings (
  key        TEXT   PRIMARY KEY,
  value      TEXT   NOT NULL,
  updated_at BIGINT NOT NULL
)
)sql";

// --- Settings ------------------------------------------------------------------------

C2P_PG_SQL(kUpsertSetting, R"sql(
INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
)sql");
C2P_PG_SQL(kSelectSetting, "SELECT value FROM settings WHERE key = $1");

}  // namespace c2p::store::postgres::sql
