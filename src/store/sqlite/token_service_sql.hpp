#pragma once
// The SQL of the token services' calls (spec/outbound.md §4): migration 3 and its
// statements. Parameters are numbered, so each constant documents its binding order.

#include <string_view>

namespace c2p::store::sqlite::sql {

// Migration 3.
//  - cards.digital_card_id: the network token (digital card) the network's token service
//    reported ACTIVATED, until it reports it DELETED.
//  - cards_by_digital_card: finds the card a token event names by (network,
//    digitalCardId), whatever the card's state: a DELETED event often follows the card's
//    own deletion.
//  - token_events: every event applied, by (network, eventId), so a repeated event
//    changes nothing.
// No index on pan_index alone: the PAN index is keyed per issuer (vault/pan_index.hpp),
// so a token request (which names no issuer) computes one index per configured issuer
// and each lookup uses cards_live_pan (issuer_id, pan_index) of migration 2.
inline constexpr std::string_view kMigration0003TokenService = R"sql(
ALTER TABLE cards ADD COLUMN digital_card_id TEXT;
CREATE INDEX cards_by_digital_card ON cards (network, digital_card_id)
  WHERE digital_card_id IS NOT NULL;
CREATE TABLE token_events (
  network      TEXT    NOT NULL,
  event_id     TEXT    NOT NULL,
  event        TEXT    NOT NULL,
  card_ref     INTEGER NOT NULL REFERENCES cards (card_ref),
  operation_id TEXT    NOT NULL,
  received_ms  INTEGER NOT NULL,
  PRIMARY KEY (network, event_id)
) STRICT, WITHOUT ROWID;
)sql";

// Migration 5 (digital_card_status).
//  - cards.suspended_digital_card_id: the token the network's token service reported
//    SUSPENDED, until it reports it RESUMED or DELETED. Kept as the token's id rather than a
//    flag, so a card that gets a new token (a later enrolment) shows it active without any
//    other write path having to reset it: the card's token is suspended only while this
//    equals cards.digital_card_id.
inline constexpr std::string_view kMigration0005DigitalCardStatus = R"sql(
ALTER TABLE cards ADD COLUMN suspended_digital_card_id TEXT;
)sql";

inline constexpr std::string_view kInsertTokenEvent =
    "INSERT OR IGNORE INTO token_events (network, event_id, event, card_ref, operation_id, "
    "received_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

}  // namespace c2p::store::sqlite::sql
