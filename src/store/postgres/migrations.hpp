#pragma once
// Versioned schema migrations of the PostgreSQL backend: one entry per SQLite migration,
// same versions and same schema meaning, in PostgreSQL's dialect. All pending ones are
// applied in one transaction that first takes a transaction-scoped advisory lock, so
// several nodes starting together apply them once (the others wait, then find nothing to
// do), and a failing migration leaves the schema unchanged (DDL is transactional).
//
// Migrations are append-only: never edit or renumber one that has shipped.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "store/postgres/connection.hpp"

namespace c2p::store::postgres {

struct Migration {
  int version;  // > 0, strictly increasing along the list
  std::string_view name;
  std::string_view sql;  // may hold several statements
};

// The migrations this binary knows, oldest first.
std::span<const Migration> Migrations();
int NewestMigrationVersion();

// Applies the entries not yet recorded and returns the schema version afterwards; fails
// with kConfigInvalid when the database holds a newer version than `migrations` knows.
core::Result<int> ApplyMigrations(Connection& conn, std::span<const Migration> migrations);
inline core::Result<int> ApplyMigrations(Connection& conn) {
  return ApplyMigrations(conn, Migrations());
}

// The newest version recorded in `schema_migrations` (which must exist), 0 when empty.
core::Result<int> ReadSchemaVersion(Connection& conn);

}  // namespace c2p::store::postgres
