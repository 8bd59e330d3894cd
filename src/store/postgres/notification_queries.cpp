#include "store/postgres/notification_queries.hpp"

#include <algorithm>

#include "store/postgres/binding.hpp"
#include "store/postgres/notification_sql.hpp"

namespace c2p::store::postgres {

namespace {

NotificationRecord ReadNotification(const Row& r) {
  NotificationRecord n;
  n.notification_id = r.Int(0);
  n.issuer_id = r.Text(1);
  n.kind = r.Text(2);
  n.order_key = r.Text(3);
  n.operation_id = r.Text(4);
  n.pending = r.Int(5) != 0;
  n.correlation_id = r.Text(6);
  n.created_ms = r.Int(7);
  return n;
}

// A PostgreSQL array literal of strings for `<> ALL(CAST($4::text AS text[]))` (sent as
// text, which the server parses): every element quoted, quotes and backslashes escaped,
// so no issuer id can end an element early.
std::string TextArray(const std::vector<std::string>& items) {
  std::string out = "{";
  for (const auto& item : items) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (const char c : item) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

// clang-format off
constexpr auto ReadMessage = ReadRow<NotificationMessage,
    &NotificationMessage::message_id, &NotificationMessage::webhook_id,
    &NotificationMessage::issuer_id, &NotificationMessage::kind, &NotificationMessage::path,
    &NotificationMessage::body, &NotificationMessage::correlation_id,
    &NotificationMessage::state, &NotificationMessage::attempts,
    &NotificationMessage::next_attempt_ms, &NotificationMessage::created_ms,
    &NotificationMessage::ended_ms, &NotificationMessage::last_error>;
constexpr auto ReadMessageWithCount = ReadRow<NotificationMessage,
    &NotificationMessage::message_id, &NotificationMessage::webhook_id,
    &NotificationMessage::issuer_id, &NotificationMessage::kind, &NotificationMessage::path,
    &NotificationMessage::body, &NotificationMessage::correlation_id,
    &NotificationMessage::state, &NotificationMessage::attempts,
    &NotificationMessage::next_attempt_ms, &NotificationMessage::created_ms,
    &NotificationMessage::ended_ms, &NotificationMessage::last_error,
    &NotificationMessage::operations>;
constexpr auto ReadBacklog = ReadRow<NotificationBacklog,
    &NotificationBacklog::issuer_id, &NotificationBacklog::waiting,
    &NotificationBacklog::oldest_created_ms>;
// clang-format on

}  // namespace

core::Result<void> InsertNotificationRow(Connection& conn, const NotificationRecord& n) {
  return Done(Query(conn, sql::kInsertNotification, n.issuer_id, n.kind, n.order_key,
                    n.operation_id, std::int64_t{n.pending ? 1 : 0}, n.correlation_id,
                    n.created_ms));
}

core::Result<std::vector<NotificationRecord>> QueryPackable(Connection& conn, int limit) {
  return All<NotificationRecord>(Query(conn, sql::kSelectPackable, limit), ReadNotification);
}

core::Result<std::int64_t> InsertMessageRow(Connection& conn, const NotificationMessage& m) {
  return FirstInt(Query(conn, sql::kInsertMessage, m.webhook_id, m.issuer_id, m.kind, m.path,
                        m.body, m.correlation_id, m.next_attempt_ms, m.created_ms));
}

core::Result<void> PackNotificationRow(Connection& conn, std::int64_t notification_id,
                                       std::int64_t message_id) {
  return Done(Query(conn, sql::kPackNotification, notification_id, message_id));
}

core::Result<std::vector<NotificationMessage>> ClaimMessageRows(
    Connection& conn, std::int64_t now_ms, std::int64_t lease_until_ms, int per_issuer,
    const std::vector<std::string>& busy_issuers) {
  auto messages = All<NotificationMessage>(
      Query(conn, sql::kClaimMessages, now_ms, lease_until_ms, per_issuer, TextArray(busy_issuers)),
      ReadMessage);
  if (!messages) return messages;
  // RETURNING gives no order: oldest message first, as the SQLite backend hands them out.
  std::sort(messages->begin(), messages->end(),
            [](const NotificationMessage& a, const NotificationMessage& b) {
              return a.message_id < b.message_id;
            });
  return messages;
}

core::Result<void> EndMessageRow(Connection& conn, std::int64_t message_id, std::string_view state,
                                 std::int64_t ended_ms,
                                 const std::optional<std::string>& last_error) {
  if (auto r = Done(Query(conn, sql::kEndMessage, message_id, state, ended_ms, last_error)); !r) {
    return r;
  }
  return Done(Query(conn, sql::kEndMessageNotifications, message_id, state));
}

core::Result<void> RescheduleMessageRow(Connection& conn, std::int64_t message_id,
                                        std::int64_t next_attempt_ms,
                                        const std::optional<std::string>& last_error) {
  return Done(Query(conn, sql::kRescheduleMessage, message_id, next_attempt_ms, last_error));
}

core::Result<void> SuspendIssuerRow(Connection& conn, std::string_view issuer,
                                    std::int64_t since_ms, std::string_view reason) {
  return Done(Query(conn, sql::kSuspendIssuer, issuer, since_ms, reason));
}

core::Result<void> ResumeIssuerRow(Connection& conn, std::string_view issuer, std::int64_t now_ms) {
  if (auto r = Done(Query(conn, sql::kResumeIssuer, issuer)); !r) return r;
  return Done(Query(conn, sql::kDueNow, issuer, now_ms));
}

core::Result<bool> RedeliverMessageRow(Connection& conn, std::int64_t message_id,
                                       std::int64_t now_ms) {
  auto redelivered = Any(Query(conn, sql::kRedeliverMessage, message_id, now_ms));
  if (!redelivered || !*redelivered) return redelivered;
  if (auto r = Done(Query(conn, sql::kRedeliverMessageNotifications, message_id)); !r) {
    return tl::unexpected(std::move(r.error()));
  }
  return true;
}

core::Result<std::vector<NotificationMessage>> QueryMessages(Connection& conn,
                                                             std::string_view issuer,
                                                             std::string_view state,
                                                             std::string_view card_id, int limit) {
  return All<NotificationMessage>(Query(conn, sql::kSelectMessages, issuer, state, card_id, limit),
                                  ReadMessageWithCount);
}

core::Result<std::optional<NotificationMessage>> QueryMessage(Connection& conn,
                                                              std::int64_t message_id) {
  return One<NotificationMessage>(Query(conn, sql::kSelectMessage, message_id),
                                  ReadMessageWithCount);
}

core::Result<std::optional<std::int64_t>> QueryNextMessageDue(Connection& conn) {
  return One<std::int64_t>(Query(conn, sql::kNextMessageDue),
                           [](const Row& r) { return r.Int(0); });
}

core::Result<std::int64_t> QueryQueuedCount(Connection& conn) {
  return FirstInt(Query(conn, sql::kCountQueued));
}

core::Result<std::vector<NotificationBacklog>> QueryBacklog(Connection& conn) {
  return All<NotificationBacklog>(Query(conn, sql::kSelectBacklog), ReadBacklog);
}

core::Result<std::vector<std::string>> QuerySuspendedIssuers(Connection& conn) {
  return All<std::string>(Query(conn, sql::kSelectSuspended),
                          [](const Row& r) { return std::string(r.Text(0)); });
}

}  // namespace c2p::store::postgres
