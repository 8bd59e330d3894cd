#pragma once
// The SQL of the token services' calls in PostgreSQL's dialect: migrations 3 and 5 and
// their statement (the mirror of sqlite/token_service_sql.hpp).

#include <string_view>

#include "store/postgres/connection.hpp"

namespace c2p::store::postgres::sql {

// Migration 3: cards.digital_card_id, its index, and token_events by (network, eventId).
inline constexpr std::string_view kMigration0003TokenService = R"sql(
ALTER TABLE cards ADD COLUMN digital_card_id TEXT;
CREATE INDEX cards_by_digital_card ON cards (network, digital_card_id)
  WHERE digital_card_id IS NOT NULL;
CREATE TABLE token_events (
  network      TEXT   NOT NULL,
  event_id     TEXT   NOT NULL,
  event        TEXT   NOT NULL,
  card_ref     BIGINT NOT NULL REFERENCES cards (card_ref),
  operation_id TEXT   NOT NULL,
  received_ms  BIGINT NOT NULL,
  PRIMARY KEY (network, event_id)
);
)sql";

// Migration 5: cards.suspended_digital_card_id.
inline constexpr std::string_view kMigration0005DigitalCardStatus = R"sql(
ALTER TABLE cards ADD COLUMN suspended_digital_card_id TEXT;
)sql";

C2P_PG_SQL(kInsertTokenEvent,
           "INSERT INTO token_events (network, event_id, event, card_ref, operation_id, "
           "received_ms) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING");

}  // namespace c2p::store::postgres::sql
