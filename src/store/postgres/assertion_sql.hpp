#pragma once
// The SQL of the shared assertion-replay record in PostgreSQL's dialect: migration 12 and
// its two statements (the mirror of sqlite/assertion_sql.hpp).

#include <string_view>

#include "store/postgres/connection.hpp"

namespace c2p::store::postgres::sql {

// Migration 12: the token endpoint's used assertion ids (jti), shared by the nodes.
inline constexpr std::string_view kMigration0012AssertionIds = R"sql(
CREATE TABLE assertion_ids (
  issuer_id TEXT   NOT NULL,
  jti       TEXT   NOT NULL,
  forget_ms BIGINT NOT NULL,
  PRIMARY KEY (issuer_id, jti)
);
CREATE INDEX assertion_ids_forget ON assertion_ids (forget_ms);
)sql";

// One row changed: the id's first use (or the reuse of one forgotten at $4). None: replay.
C2P_PG_SQL(kUseAssertionId,
           "INSERT INTO assertion_ids (issuer_id, jti, forget_ms) VALUES ($1, $2, $3) "
           "ON CONFLICT (issuer_id, jti) DO UPDATE SET forget_ms = excluded.forget_ms "
           "WHERE assertion_ids.forget_ms <= $4");
C2P_PG_SQL(kPruneAssertionIds, "DELETE FROM assertion_ids WHERE forget_ms <= $1");

}  // namespace c2p::store::postgres::sql
