#pragma once
// The SQL of the consumers & cards registry (spec/api.md §4, §5.1, §5.8): migration 2 and
// the statements of registry_queries.cpp. Parameters are numbered, so each constant
// documents its binding order. Times are milliseconds since the Unix epoch (operations
// show them with milliseconds).

#include <string_view>

namespace c2p::store::sqlite::sql {

// Migration 2.
//  - cards: one row per incarnation of a cardId (card_ref); at most one live (not
//    DELETED) row per cardId and per PAN index, enforced by partial unique indexes, so a
//    bug in the handlers cannot bind two live cards to one PAN.
//  - deleted_cards: per cardId, its newest deleted incarnation, kept by a trigger (a card
//    is deleted by an update of its state, and only the live incarnation, which is the
//    newest, can be). With the live-card index it finds a cardId's newest incarnation,
//    so registering a card writes no (issuer, cardId, card_ref) index entry.
//  - retired_pans: PAN indexes of deleted cards, never registrable again (PAN_RETIRED).
//  - operations: card_ref ties an operation to one incarnation; card_id/consumer_id are
//    what the getters filter on.
//  - idempotency_keys: the first response to a key, per issuer.
inline constexpr std::string_view kMigration0002CreateRegistry = R"sql(
CREATE TABLE consumers (
  issuer_id            TEXT    NOT NULL,
  consumer_id          TEXT    NOT NULL,
  state                TEXT    NOT NULL,
  personal_information BLOB,
  created_ms           INTEGER NOT NULL,
  updated_ms           INTEGER NOT NULL,
  PRIMARY KEY (issuer_id, consumer_id)
) STRICT;
CREATE TABLE cards (
  card_ref            INTEGER PRIMARY KEY,
  issuer_id           TEXT    NOT NULL,
  card_id             TEXT    NOT NULL,
  consumer_id         TEXT    NOT NULL,
  card_product_id     TEXT    NOT NULL,
  network             TEXT    NOT NULL,
  state               TEXT    NOT NULL,
  pan_index           TEXT    NOT NULL,
  pan                 BLOB    NOT NULL,
  exp                 BLOB    NOT NULL,
  name                BLOB,
  pan_last4           TEXT    NOT NULL,
  click_to_pay_status TEXT    NOT NULL,
  created_ms          INTEGER NOT NULL,
  updated_ms          INTEGER NOT NULL,
  FOREIGN KEY (issuer_id, consumer_id) REFERENCES consumers (issuer_id, consumer_id)
) STRICT;
CREATE UNIQUE INDEX cards_live_card_id ON cards (issuer_id, card_id) WHERE state <> 'DELETED';
CREATE UNIQUE INDEX cards_live_pan ON cards (issuer_id, pan_index) WHERE state <> 'DELETED';
CREATE INDEX cards_by_consumer ON cards (issuer_id, consumer_id, card_ref);
CREATE TABLE deleted_cards (
  issuer_id TEXT    NOT NULL,
  card_id   TEXT    NOT NULL,
  card_ref  INTEGER NOT NULL REFERENCES cards (card_ref),
  PRIMARY KEY (issuer_id, card_id)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER cards_deleted AFTER UPDATE OF state ON cards
WHEN NEW.state = 'DELETED' AND OLD.state <> 'DELETED'
BEGIN
  INSERT OR REPLACE INTO deleted_cards (issuer_id, card_id, card_ref)
  VALUES (NEW.issuer_id, NEW.card_id, NEW.card_ref);
END;
CREATE TABLE retired_pans (
  issuer_id  TEXT    NOT NULL,
  pan_index  TEXT    NOT NULL,
  retired_ms INTEGER NOT NULL,
  PRIMARY KEY (issuer_id, pan_index)
) STRICT;
CREATE TABLE operations (
  operation_id   TEXT    PRIMARY KEY,
  issuer_id      TEXT    NOT NULL,
  operation      TEXT    NOT NULL,
  status         TEXT    NOT NULL,
  requestor_type TEXT    NOT NULL,
  requestor_id   TEXT    NOT NULL,
  card_ref       INTEGER REFERENCES cards (card_ref),
  card_id        TEXT,
  consumer_id    TEXT,
  network        TEXT,
  reason         TEXT,
  reason_code    TEXT,
  error_code     TEXT,
  error_message  TEXT,
  details        TEXT,
  start_ms       INTEGER NOT NULL,
  end_ms         INTEGER
) STRICT;
CREATE INDEX operations_by_card ON operations (issuer_id, card_id, start_ms);
CREATE INDEX operations_by_consumer ON operations (issuer_id, consumer_id, start_ms)
  WHERE card_id IS NULL;
CREATE TABLE idempotency_keys (
  issuer_id    TEXT    NOT NULL,
  key          TEXT    NOT NULL,
  request_hash TEXT    NOT NULL,
  status       INTEGER NOT NULL,
  headers      TEXT    NOT NULL,
  body         TEXT    NOT NULL,
  created_ms   INTEGER NOT NULL,
  PRIMARY KEY (issuer_id, key)
) STRICT;
)sql";

// --- Consumers -----------------------------------------------------------------------

inline constexpr std::string_view kSelectConsumer =
    "SELECT issuer_id, consumer_id, state, personal_information, created_ms, updated_ms "
    "FROM consumers WHERE issuer_id = ?1 AND consumer_id = ?2";
// The consumer of a card id's newest incarnation (kSelectNewestCard).
inline constexpr std::string_view kSelectConsumerOfCard =
    "SELECT issuer_id, consumer_id, state, personal_information, created_ms, updated_ms "
    "FROM consumers WHERE issuer_id = ?1 AND consumer_id = (SELECT consumer_id FROM cards "
    "WHERE card_ref = COALESCE((SELECT card_ref FROM cards WHERE issuer_id = ?1 AND "
    "card_id = ?2 AND state <> 'DELETED'), (SELECT card_ref FROM deleted_cards WHERE "
    "issuer_id = ?1 AND card_id = ?2)))";
inline constexpr std::string_view kInsertConsumer =
    "INSERT INTO consumers (issuer_id, consumer_id, state, personal_information, created_ms, "
    "updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
inline constexpr std::string_view kUpsertConsumer = R"sql(
INSERT INTO consumers (issuer_id, consumer_id, state, personal_information, created_ms,
                       updated_ms)
VALUES (?1, ?2, ?3, ?4, ?5, ?6)
ON CONFLICT (issuer_id, consumer_id) DO UPDATE SET
  state = excluded.state, personal_information = excluded.personal_information,
  updated_ms = excluded.updated_ms
)sql";

// --- Cards ---------------------------------------------------------------------------

// digital_card_id came with migration 3, suspended_digital_card_id with migration 5
// (token_service_sql.hpp).
#define C2P_CARD_COLUMNS                                                                    \
  "card_ref, issuer_id, card_id, consumer_id, card_product_id, network, state, pan_index, " \
  "pan, exp, name, pan_last4, click_to_pay_status, created_ms, updated_ms, digital_card_id" \
  ", suspended_digital_card_id"

// The newest incarnation of a cardId: the live card if there is one, else the last
// deleted one.
inline constexpr std::string_view kSelectNewestCard =
    "SELECT " C2P_CARD_COLUMNS
    " FROM cards WHERE card_ref = COALESCE("
    "(SELECT card_ref FROM cards WHERE issuer_id = ?1 AND card_id = ?2 AND state <> 'DELETED'), "
    "(SELECT card_ref FROM deleted_cards WHERE issuer_id = ?1 AND card_id = ?2))";
inline constexpr std::string_view kSelectCardByRef =
    "SELECT " C2P_CARD_COLUMNS " FROM cards WHERE card_ref = ?1";
inline constexpr std::string_view kSelectLiveCardByPan =
    "SELECT " C2P_CARD_COLUMNS
    " FROM cards WHERE issuer_id = ?1 AND pan_index = ?2 AND state <> 'DELETED'";
// The newest card holding a digital card id in a network, whatever its state (migration 3).
inline constexpr std::string_view kSelectCardByDigitalCard =
    "SELECT " C2P_CARD_COLUMNS
    " FROM cards WHERE network = ?1 AND digital_card_id = ?2 ORDER BY card_ref DESC LIMIT 1";
// A consumer's cards, one per cardId (its newest incarnation: the live one, else the
// newest deleted one, which may belong to another consumer), in registration order.
inline constexpr std::string_view kSelectConsumerCards =
    "SELECT " C2P_CARD_COLUMNS
    " FROM cards c WHERE issuer_id = ?1 AND consumer_id = ?2 AND (state <> 'DELETED' OR ("
    "card_ref = (SELECT d.card_ref FROM deleted_cards d WHERE d.issuer_id = c.issuer_id AND "
    "d.card_id = c.card_id) AND NOT EXISTS (SELECT 1 FROM cards l WHERE "
    "l.issuer_id = c.issuer_id AND l.card_id = c.card_id AND l.state <> 'DELETED'))) "
    "ORDER BY card_ref";
// A new card has no token yet, so no suspended one (suspended_digital_card_id stays NULL).
inline constexpr std::string_view kInsertCard =
    "INSERT INTO cards (issuer_id, card_id, consumer_id, card_product_id, network, state, "
    "pan_index, pan, exp, name, pan_last4, click_to_pay_status, created_ms, updated_ms, "
    "digital_card_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
// Everything that may change on a live card; its identity (ids, PAN, product) does not.
inline constexpr std::string_view kUpdateCard =
    "UPDATE cards SET state = ?2, exp = ?3, name = ?4, click_to_pay_status = ?5, "
    "updated_ms = ?6, digital_card_id = ?7, suspended_digital_card_id = ?8 WHERE card_ref = ?1";

#undef C2P_CARD_COLUMNS

// --- Retired PANs --------------------------------------------------------------------

inline constexpr std::string_view kSelectRetiredPan =
    "SELECT 1 FROM retired_pans WHERE issuer_id = ?1 AND pan_index = ?2";
inline constexpr std::string_view kInsertRetiredPan =
    "INSERT OR IGNORE INTO retired_pans (issuer_id, pan_index, retired_ms) VALUES (?1, ?2, ?3)";

// --- Operations ----------------------------------------------------------------------

inline constexpr std::string_view kInsertOperation = R"sql(
INSERT INTO operations (operation_id, issuer_id, operation, status, requestor_type,
  requestor_id, card_ref, card_id, consumer_id, network, reason, reason_code, error_code,
  error_message, details, start_ms, end_ms)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
)sql";
inline constexpr std::string_view kSelectOperation =
    "SELECT operation_id, issuer_id, operation, status, requestor_type, requestor_id, "
    "card_ref, card_id, consumer_id, network, reason, reason_code, error_code, error_message, "
    "details, start_ms, end_ms FROM operations WHERE issuer_id = ?1 AND operation_id = ?2";
// Most recent first; rowid breaks ties between operations of the same millisecond.
inline constexpr std::string_view kSelectCardOperations =
    "SELECT operation_id, issuer_id, operation, status, requestor_type, requestor_id, "
    "card_ref, card_id, consumer_id, network, reason, reason_code, error_code, error_message, "
    "details, start_ms, end_ms FROM operations WHERE issuer_id = ?1 AND card_id = ?2 "
    "ORDER BY start_ms DESC, rowid DESC LIMIT ?3 OFFSET ?4";
inline constexpr std::string_view kSelectConsumerOperations =
    "SELECT operation_id, issuer_id, operation, status, requestor_type, requestor_id, "
    "card_ref, card_id, consumer_id, network, reason, reason_code, error_code, error_message, "
    "details, start_ms, end_ms FROM operations WHERE issuer_id = ?1 AND consumer_id = ?2 "
    "AND card_id IS NULL ORDER BY start_ms DESC, rowid DESC LIMIT ?3 OFFSET ?4";

// --- Idempotency keys ----------------------------------------------------------------

inline constexpr std::string_view kSelectIdempotency =
    "SELECT issuer_id, key, request_hash, status, headers, body, created_ms "
    "FROM idempotency_keys WHERE issuer_id = ?1 AND key = ?2";
// A key older than its lifetime (recorded before ?8) is replaced by the new request's
// answer; a live one is left alone and no row changes.
inline constexpr std::string_view kClaimIdempotency = R"sql(
INSERT INTO idempotency_keys (issuer_id, key, request_hash, status, headers, body, created_ms)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (issuer_id, key) DO UPDATE SET request_hash = excluded.request_hash,
  status = excluded.status, headers = excluded.headers, body = excluded.body,
  created_ms = excluded.created_ms
WHERE idempotency_keys.created_ms < ?8
)sql";

// --- Key rotation --------------------------------------------------------------------

inline constexpr std::string_view kSelectSealedCards =
    "SELECT card_ref, issuer_id, card_id, pan, exp, name FROM cards "
    "WHERE card_ref > ?1 ORDER BY card_ref LIMIT ?2";
inline constexpr std::string_view kSelectSealedConsumers =
    "SELECT issuer_id, consumer_id, personal_information FROM consumers "
    "WHERE personal_information IS NOT NULL AND (issuer_id, consumer_id) > (?1, ?2) "
    "ORDER BY issuer_id, consumer_id LIMIT ?3";
// Compare-and-swap: a row changed by c2pd since it was read keeps c2pd's value (sealed
// under the current key already) and the rotation reads it again on its next pass.
inline constexpr std::string_view kResealCardField[3] = {
    "UPDATE cards SET pan = ?3 WHERE card_ref = ?1 AND pan = ?2",
    "UPDATE cards SET exp = ?3 WHERE card_ref = ?1 AND exp = ?2",
    "UPDATE cards SET name = ?3 WHERE card_ref = ?1 AND name = ?2",
};
inline constexpr std::string_view kResealConsumer =
    "UPDATE consumers SET personal_information = ?4 WHERE issuer_id = ?1 AND consumer_id = ?2 "
    "AND personal_information = ?3";

}  // namespace c2p::store::sqlite::sql
