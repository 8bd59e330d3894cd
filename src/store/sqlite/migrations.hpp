#pragma once
// Versioned schema migrations of the SQLite backend. Each migration runs exactly once per
// database, in version order, and is recorded in `schema_migrations`; all pending ones are
// applied inside one BEGIN IMMEDIATE transaction, so several processes opening the same
// file at once apply them once, and a failing migration leaves the schema unchanged.
//
// Migrations are append-only: never edit or renumber one that has shipped.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "store/sqlite/connection.hpp"

namespace c2p::store::sqlite {

struct Migration {
  int version;  // > 0, strictly increasing along the list
  std::string_view name;
  std::string_view sql;  // from sql.hpp; may hold several statements
};

struct AppliedMigration {
  int version = 0;
  std::string name;
  std::int64_t applied_at = 0;  // Unix seconds
};

// The migrations this binary knows, oldest first.
std::span<const Migration> Migrations();

// Version of the last entry of Migrations().
int NewestMigrationVersion();

// Applies the entries of `migrations` not yet recorded, and returns the schema version
// afterwards. Fails with kConfigInvalid when the database already holds a version newer
// than the newest of `migrations` (a downgrade), with nothing changed.
core::Result<int> ApplyMigrations(Connection& conn, std::span<const Migration> migrations);
inline core::Result<int> ApplyMigrations(Connection& conn) {
  return ApplyMigrations(conn, Migrations());
}

// The newest version recorded in `schema_migrations` (which must exist), 0 when empty.
core::Result<int> ReadSchemaVersion(Connection& conn);

// Every recorded migration, oldest first.
core::Result<std::vector<AppliedMigration>> ListAppliedMigrations(Connection& conn);

}  // namespace c2p::store::sqlite
