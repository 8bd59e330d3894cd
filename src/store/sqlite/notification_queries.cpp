#include "store/sqlite/notification_queries.hpp"

#include "store/sqlite/binding.hpp"
#include "store/sqlite/notification_sql.hpp"

namespace c2p::store::sqlite {

namespace {

NotificationRecord ReadNotification(const Statement& s) {
  NotificationRecord n;
  n.notification_id = s.ColumnInt64(0);
  n.issuer_id = s.ColumnText(1);
  n.kind = s.ColumnText(2);
  n.order_key = s.ColumnText(3);
  n.operation_id = s.ColumnText(4);
  n.pending = s.ColumnInt64(5) != 0;
  n.correlation_id = s.ColumnText(6);
  n.created_ms = s.ColumnInt64(7);
  return n;
}

// A JSON array of strings for json_each(). Issuer ids are [A-Za-z0-9_-]; anything else is
// escaped anyway, so no id can end the string early.
std::string JsonStringArray(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const auto& item : items) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (const char c : item) {
      if (c == '"' || c == '\\') out += '\\';
      if (static_cast<unsigned char>(c) >= 0x20) out += c;
    }
    out += '"';
  }
  out += ']';
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
  return Run(Prepared(conn, sql::kInsertNotification, n.issuer_id, n.kind, n.order_key,
                      n.operation_id, std::int64_t{n.pending ? 1 : 0}, n.correlation_id,
                      n.created_ms));
}

core::Result<std::vector<NotificationRecord>> QueryPackable(Connection& conn, int limit) {
  return All<NotificationRecord>(Prepared(conn, sql::kSelectPackable, std::int64_t{limit}),
                                 ReadNotification);
}

core::Result<std::int64_t> InsertMessageRow(Connection& conn, const NotificationMessage& m) {
  auto done = Run(Prepared(conn, sql::kInsertMessage, m.webhook_id, m.issuer_id, m.kind, m.path,
                           m.body, m.correlation_id, m.next_attempt_ms, m.created_ms));
  if (!done) return tl::unexpected(std::move(done.error()));
  return conn.LastInsertRowId();
}

core::Result<void> PackNotificationRow(Connection& conn, std::int64_t notification_id,
                                       std::int64_t message_id) {
  return Run(Prepared(conn, sql::kPackNotification, notification_id, message_id));
}

core::Result<std::vector<NotificationMessage>> ClaimMessageRows(
    Connection& conn, std::int64_t now_ms, std::int64_t lease_until_ms, int per_issuer,
    const std::vector<std::string>& busy_issuers) {
  const std::string busy = JsonStringArray(busy_issuers);
  return All<NotificationMessage>(
      Prepared(conn, sql::kClaimMessages, now_ms, lease_until_ms, std::int64_t{per_issuer}, busy),
      ReadMessage);
}

core::Result<void> EndMessageRow(Connection& conn, std::int64_t message_id, std::string_view state,
                                 std::int64_t ended_ms,
                                 const std::optional<std::string>& last_error) {
  if (auto r = Run(Prepared(conn, sql::kEndMessage, message_id, state, ended_ms, last_error)); !r) {
    return r;
  }
  return Run(Prepared(conn, sql::kEndMessageNotifications, message_id, state));
}

core::Result<void> RescheduleMessageRow(Connection& conn, std::int64_t message_id,
                                        std::int64_t next_attempt_ms,
                                        const std::optional<std::string>& last_error) {
  return Run(Prepared(conn, sql::kRescheduleMessage, message_id, next_attempt_ms, last_error));
}

core::Result<void> SuspendIssuerRow(Connection& conn, std::string_view issuer,
                                    std::int64_t since_ms, std::string_view reason) {
  return Run(Prepared(conn, sql::kSuspendIssuer, issuer, since_ms, reason));
}

core::Result<void> ResumeIssuerRow(Connection& conn, std::string_view issuer, std::int64_t now_ms) {
  if (auto r = Run(Prepared(conn, sql::kResumeIssuer, issuer)); !r) return r;
  return Run(Prepared(conn, sql::kDueNow, issuer, now_ms));
}

core::Result<bool> RedeliverMessageRow(Connection& conn, std::int64_t message_id,
                                       std::int64_t now_ms) {
  if (auto r = Run(Prepared(conn, sql::kRedeliverMessage, message_id, now_ms)); !r) {
    return tl::unexpected(std::move(r.error()));
  }
  if (conn.Changes() == 0) return false;
  if (auto r = Run(Prepared(conn, sql::kRedeliverMessageNotifications, message_id)); !r) {
    return tl::unexpected(std::move(r.error()));
  }
  return true;
}

core::Result<std::vector<NotificationMessage>> QueryMessages(Connection& conn,
                                                             std::string_view issuer,
                                                             std::string_view state,
                                                             std::string_view card_id, int limit) {
  return All<NotificationMessage>(
      Prepared(conn, sql::kSelectMessages, issuer, state, card_id, std::int64_t{limit}),
      ReadMessageWithCount);
}

core::Result<std::optional<NotificationMessage>> QueryMessage(Connection& conn,
                                                              std::int64_t message_id) {
  return One<NotificationMessage>(Prepared(conn, sql::kSelectMessage, message_id),
                                  ReadMessageWithCount);
}

core::Result<std::optional<std::int64_t>> QueryNextMessageDue(Connection& conn) {
  return One<std::int64_t>(Prepared(conn, sql::kNextMessageDue),
                           [](const Statement& s) { return s.ColumnInt64(0); });
}

core::Result<std::int64_t> QueryQueuedCount(Connection& conn) {
  auto one = One<std::int64_t>(Prepared(conn, sql::kCountQueued),
                               [](const Statement& s) { return s.ColumnInt64(0); });
  if (!one) return tl::unexpected(std::move(one.error()));
  return one->value_or(0);
}

core::Result<std::vector<NotificationBacklog>> QueryBacklog(Connection& conn) {
  return All<NotificationBacklog>(Prepared(conn, sql::kSelectBacklog), ReadBacklog);
}

core::Result<std::vector<std::string>> QuerySuspendedIssuers(Connection& conn) {
  return All<std::string>(Prepared(conn, sql::kSelectSuspended),
                          [](const Statement& s) { return std::string(s.ColumnText(0)); });
}

}  // namespace c2p::store::sqlite
