#pragma once
// The SQL of the shared assertion-replay record: migration 12 and its two statements.
// Parameters are numbered, so each constant documents its binding order.

#include <string_view>

namespace c2p::store::sqlite::sql {

// Migration 12. The token endpoint's used assertion ids (jti) when several c2pd nodes
// share the store: each node also remembers them in memory, but only a shared record
// refuses a replay sent to another node. A row matters until its assertion could no longer
// be accepted anyway (forget_ms); expired rows are pruned.
inline constexpr std::string_view kMigration0012AssertionIds = R"sql(
CREATE TABLE assertion_ids (
  issuer_id TEXT NOT NULL,
  jti       TEXT NOT NULL,
  forget_ms INTEGER NOT NULL,
  PRIMARY KEY (issuer_id, jti)
) WITHOUT ROWID;
CREATE INDEX assertion_ids_forget ON assertion_ids (forget_ms);
)sql";

// One row changed: the id's first use (or the reuse of one forgotten at ?4). None: replay.
inline constexpr std::string_view kUseAssertionId =
    "INSERT INTO assertion_ids (issuer_id, jti, forget_ms) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (issuer_id, jti) DO UPDATE SET forget_ms = excluded.forget_ms "
    "WHERE assertion_ids.forget_ms <= ?4";
inline constexpr std::string_view kPruneAssertionIds =
    "DELETE FROM assertion_ids WHERE forget_ms <= ?1";

}  // namespace c2p::store::sqlite::sql
