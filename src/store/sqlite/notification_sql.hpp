#pragma once
// The SQL of notification delivery: migration 8 and the statements of
// notification_queries.cpp. Parameters are numbered, so each constant documents its binding
// order.

#include <string_view>

namespace c2p::store::sqlite::sql {

// Migration 8.
//  - notifications: one row per operation to report. QUEUED until packed into a message,
//    then SENDING, then DELIVERED or DEAD with its message. Within an (issuer, order_key)
//    only the oldest open row may be packed, which keeps each card's (and consumer's)
//    notifications in the order their operations ended.
//  - notification_messages: the requests, with their frozen body and webhook-id.
//  - notification_suspensions: issuers whose endpoint answered 410, until an operator
//    resumes them.
inline constexpr std::string_view kMigration0008CreateNotifications = R"sql(
CREATE TABLE notifications (
  notification_id INTEGER PRIMARY KEY,
  issuer_id       TEXT    NOT NULL,
  kind            TEXT    NOT NULL,
  order_key       TEXT    NOT NULL,
  operation_id    TEXT    NOT NULL,
  pending         INTEGER NOT NULL,
  correlation_id  TEXT    NOT NULL,
  state           TEXT    NOT NULL,
  message_id      INTEGER,
  created_ms      INTEGER NOT NULL
) STRICT;
CREATE INDEX notifications_queued ON notifications (notification_id) WHERE state = 'QUEUED';
CREATE INDEX notifications_open ON notifications (issuer_id, order_key, notification_id)
  WHERE state IN ('QUEUED', 'SENDING');
CREATE INDEX notifications_by_message ON notifications (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX notifications_by_operation ON notifications (issuer_id, operation_id);

CREATE TABLE notification_messages (
  message_id      INTEGER PRIMARY KEY,
  webhook_id      TEXT    NOT NULL UNIQUE,
  issuer_id       TEXT    NOT NULL,
  kind            TEXT    NOT NULL,
  path            TEXT    NOT NULL,
  body            TEXT    NOT NULL,
  correlation_id  TEXT    NOT NULL,
  state           TEXT    NOT NULL,
  attempts        INTEGER NOT NULL,
  next_attempt_ms INTEGER NOT NULL,
  created_ms      INTEGER NOT NULL,
  ended_ms        INTEGER,
  last_error      TEXT
) STRICT;
CREATE INDEX notification_messages_due ON notification_messages (next_attempt_ms)
  WHERE state = 'PENDING';
CREATE INDEX notification_messages_by_issuer ON notification_messages (issuer_id, state);

CREATE TABLE notification_suspensions (
  issuer_id TEXT    PRIMARY KEY,
  since_ms  INTEGER NOT NULL,
  reason    TEXT    NOT NULL
) STRICT, WITHOUT ROWID;
)sql";

#define C2P_NOTIFICATION_COLUMNS                                                         \
  "notification_id, issuer_id, kind, order_key, operation_id, pending, correlation_id, " \
  "created_ms"
#define C2P_MESSAGE_COLUMNS                                                                \
  "message_id, webhook_id, issuer_id, kind, path, body, correlation_id, state, attempts, " \
  "next_attempt_ms, created_ms, ended_ms, last_error"
// The same, and how many operations each message carries (reads only: RETURNING takes no
// subquery).
#define C2P_MESSAGE_READ_COLUMNS                                                        \
  "m.message_id, m.webhook_id, m.issuer_id, m.kind, m.path, m.body, m.correlation_id, " \
  "m.state, m.attempts, m.next_attempt_ms, m.created_ms, m.ended_ms, m.last_error, "    \
  "(SELECT COUNT(*) FROM notifications n WHERE n.message_id = m.message_id)"

inline constexpr std::string_view kInsertNotification =
    "INSERT INTO notifications (issuer_id, kind, order_key, operation_id, pending, "
    "correlation_id, state, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'QUEUED', ?7)";
// The oldest open notification of each (issuer, order_key), of issuers not suspended.
inline constexpr std::string_view kSelectPackable =
    "SELECT " C2P_NOTIFICATION_COLUMNS
    " FROM notifications n WHERE n.state = 'QUEUED' "
    "AND NOT EXISTS (SELECT 1 FROM notifications p WHERE p.issuer_id = n.issuer_id "
    "AND p.order_key = n.order_key AND p.state IN ('QUEUED', 'SENDING') "
    "AND p.notification_id < n.notification_id) "
    "AND NOT EXISTS (SELECT 1 FROM notification_suspensions s WHERE s.issuer_id = n.issuer_id) "
    "ORDER BY n.notification_id LIMIT ?1";
inline constexpr std::string_view kInsertMessage =
    "INSERT INTO notification_messages (webhook_id, issuer_id, kind, path, body, "
    "correlation_id, state, attempts, next_attempt_ms, created_ms) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'PENDING', 0, ?7, ?8)";
inline constexpr std::string_view kPackNotification =
    "UPDATE notifications SET state = 'SENDING', message_id = ?2 WHERE notification_id = ?1";
// Due messages of issuers neither suspended nor listed in ?4 (a JSON array of issuers whose
// concurrency is used up), at most ?3 per issuer; each is leased until ?2 and counted.
inline constexpr std::string_view kClaimMessages =
    "UPDATE notification_messages SET next_attempt_ms = ?2, attempts = attempts + 1 "
    "WHERE message_id IN (SELECT message_id FROM (SELECT message_id, ROW_NUMBER() OVER "
    "(PARTITION BY issuer_id ORDER BY next_attempt_ms, message_id) AS rank "
    "FROM notification_messages WHERE state = 'PENDING' AND next_attempt_ms <= ?1 "
    "AND issuer_id NOT IN (SELECT value FROM json_each(?4)) "
    "AND issuer_id NOT IN (SELECT issuer_id FROM notification_suspensions)) WHERE rank <= ?3) "
    "RETURNING " C2P_MESSAGE_COLUMNS;
inline constexpr std::string_view kEndMessage =
    "UPDATE notification_messages SET state = ?2, ended_ms = ?3, last_error = ?4 "
    "WHERE message_id = ?1 AND state = 'PENDING'";
inline constexpr std::string_view kEndMessageNotifications =
    "UPDATE notifications SET state = ?2 WHERE message_id = ?1";
inline constexpr std::string_view kRescheduleMessage =
    "UPDATE notification_messages SET next_attempt_ms = ?2, last_error = ?3 "
    "WHERE message_id = ?1 AND state = 'PENDING'";
inline constexpr std::string_view kSuspendIssuer =
    "INSERT OR IGNORE INTO notification_suspensions (issuer_id, since_ms, reason) "
    "VALUES (?1, ?2, ?3)";
inline constexpr std::string_view kResumeIssuer =
    "DELETE FROM notification_suspensions WHERE issuer_id = ?1";
inline constexpr std::string_view kDueNow =
    "UPDATE notification_messages SET next_attempt_ms = ?2 WHERE issuer_id = ?1 "
    "AND state = 'PENDING'";
// A dead message goes back to PENDING with a new horizon; its operations with it.
inline constexpr std::string_view kRedeliverMessage =
    "UPDATE notification_messages SET state = 'PENDING', attempts = 0, next_attempt_ms = ?2, "
    "created_ms = ?2, ended_ms = NULL WHERE message_id = ?1 AND state = 'DEAD'";
inline constexpr std::string_view kRedeliverMessageNotifications =
    "UPDATE notifications SET state = 'SENDING' WHERE message_id = ?1";

// Reads.
inline constexpr std::string_view kSelectMessages =
    "SELECT " C2P_MESSAGE_READ_COLUMNS
    " FROM notification_messages m WHERE (?1 = '' OR m.issuer_id = ?1) "
    "AND (?2 = '' OR m.state = ?2) "
    "AND (?3 = '' OR EXISTS (SELECT 1 FROM notifications n JOIN operations o "
    "ON o.issuer_id = n.issuer_id AND o.operation_id = n.operation_id "
    "WHERE n.message_id = m.message_id AND o.card_id = ?3)) "
    "ORDER BY m.message_id DESC LIMIT ?4";
inline constexpr std::string_view kSelectMessage =
    "SELECT " C2P_MESSAGE_READ_COLUMNS " FROM notification_messages m WHERE m.message_id = ?1";
inline constexpr std::string_view kNextMessageDue =
    "SELECT next_attempt_ms FROM notification_messages WHERE state = 'PENDING' "
    "ORDER BY next_attempt_ms LIMIT 1";
inline constexpr std::string_view kCountQueued =
    "SELECT COUNT(*) FROM notifications WHERE state = 'QUEUED'";
inline constexpr std::string_view kSelectBacklog =
    "SELECT issuer_id, COUNT(*), MIN(created_ms) FROM notifications "
    "WHERE state IN ('QUEUED', 'SENDING') GROUP BY issuer_id ORDER BY issuer_id";
inline constexpr std::string_view kSelectSuspended =
    "SELECT issuer_id FROM notification_suspensions ORDER BY issuer_id";

#undef C2P_NOTIFICATION_COLUMNS
#undef C2P_MESSAGE_COLUMNS
#undef C2P_MESSAGE_READ_COLUMNS

}  // namespace c2p::store::sqlite::sql
