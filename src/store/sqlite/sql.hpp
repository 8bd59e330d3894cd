#pragma once
// Every SQL statement the SQLite backend runs, as a named constant: the only place SQL
// lives for this backend, so a schema change is reviewed in one file.
//
// Parameters are numbered (?1, ?2...) so a constant documents its own binding order.

#include <string_view>

namespace c2p::store::sqlite::sql {

// --- Connection set-up ---------------------------------------------------------------

// WAL lets readers run beside the single writer; the mode is stored in the file.
inline constexpr std::string_view kPragmaJournalModeWal = "PRAGMA journal_mode = WAL";
// FULL: a commit is on disk (WAL fsynced) before COMMIT returns; "acknowledged" depends
// on it.
inline constexpr std::string_view kPragmaSynchronousFull = "PRAGMA synchronous = FULL";
inline constexpr std::string_view kPragmaForeignKeysOn = "PRAGMA foreign_keys = ON";
// The writer's page cache (negative: KiB): 32 MiB instead of SQLite's 2 MiB keeps the
// leaves of the random-keyed indexes (PAN index, operation ids) in memory.
inline constexpr std::string_view kPragmaWriterCacheSize = "PRAGMA cache_size = -32768";
// Checkpoints are the checkpointer thread's (checkpointer.hpp); the writer checkpoints
// only as a backstop, past 8,000 WAL pages (32 MiB), instead of SQLite's 1,000.
inline constexpr std::string_view kPragmaWriterWalAutocheckpoint =
    "PRAGMA wal_autocheckpoint = 8000";
// Read back by tests and diagnostics to prove the settings above took effect.
inline constexpr std::string_view kPragmaJournalMode = "PRAGMA journal_mode";
inline constexpr std::string_view kPragmaSynchronous = "PRAGMA synchronous";
inline constexpr std::string_view kPragmaForeignKeys = "PRAGMA foreign_keys";

inline constexpr std::string_view kSelectOne = "SELECT 1";

// --- Transactions --------------------------------------------------------------------

// IMMEDIATE takes the write lock up front, so a transaction never fails half-way with
// SQLITE_BUSY on its first write.
inline constexpr std::string_view kBeginImmediate = "BEGIN IMMEDIATE";
inline constexpr std::string_view kCommit = "COMMIT";
inline constexpr std::string_view kRollback = "ROLLBACK";
// One savepoint per unit of a group commit; released before the next unit starts, so the
// name can be reused.
inline constexpr std::string_view kSavepointUnit = "SAVEPOINT u";
inline constexpr std::string_view kReleaseUnit = "RELEASE u";
inline constexpr std::string_view kRollbackToUnit = "ROLLBACK TO u";

// --- Migrations ----------------------------------------------------------------------

inline constexpr std::string_view kCreateSchemaMigrations = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL,
  applied_at INTEGER NOT NULL
) STRICT
)sql";

inline constexpr std::string_view kSelectSchemaVersion =
    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
inline constexpr std::string_view kSelectMigrationApplied =
    "SELECT 1 FROM schema_migrations WHERE version = ?1";
inline constexpr std::string_view kInsertMigration =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)";
inline constexpr std::string_view kSelectAppliedMigrations =
    "SELECT version, name, applied_at FROM schema_migrations ORDER BY version";

// Migration 1. Timestamps are seconds since the Unix epoch.
inline constexpr std::string_view kMigration0001CreateSettings = R"sql(
CREATE TABLE settings (
  key        TEXT    PRIMARY KEY,
  value      TEXT    NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT
)sql";

// --- Settings ------------------------------------------------------------------------

inline constexpr std::string_view kUpsertSetting = R"sql(
INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
)sql";
inline constexpr std::string_view kSelectSetting = "SELECT value FROM settings WHERE key = ?1";

}  // namespace c2p::store::sqlite::sql
