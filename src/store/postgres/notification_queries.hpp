#pragma once
// Notification delivery's statements (notification_sql.hpp) on one PostgreSQL connection:
// the mirror of sqlite/notification_queries.hpp.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/notification_records.hpp"
#include "store/postgres/connection.hpp"

namespace c2p::store::postgres {

core::Result<void> InsertNotificationRow(Connection& conn, const NotificationRecord& n);
core::Result<std::vector<NotificationRecord>> QueryPackable(Connection& conn, int limit);
core::Result<std::int64_t> InsertMessageRow(Connection& conn, const NotificationMessage& m);
core::Result<void> PackNotificationRow(Connection& conn, std::int64_t notification_id,
                                       std::int64_t message_id);
core::Result<std::vector<NotificationMessage>> ClaimMessageRows(
    Connection& conn, std::int64_t now_ms, std::int64_t lease_until_ms, int per_issuer,
    const std::vector<std::string>& busy_issuers);
core::Result<void> EndMessageRow(Connection& conn, std::int64_t message_id, std::string_view state,
                                 std::int64_t ended_ms,
                                 const std::optional<std::string>& last_error);
core::Result<void> RescheduleMessageRow(Connection& conn, std::int64_t message_id,
                                        std::int64_t next_attempt_ms,
                                        const std::optional<std::string>& last_error);
core::Result<void> SuspendIssuerRow(Connection& conn, std::string_view issuer,
                                    std::int64_t since_ms, std::string_view reason);
core::Result<void> ResumeIssuerRow(Connection& conn, std::string_view issuer, std::int64_t now_ms);
core::Result<bool> RedeliverMessageRow(Connection& conn, std::int64_t message_id,
                                       std::int64_t now_ms);

core::Result<std::vector<NotificationMessage>> QueryMessages(Connection& conn,
                                                             std::string_view issuer,
                                                             std::string_view state,
                                                             std::string_view card_id, int limit);
core::Result<std::optional<NotificationMessage>> QueryMessage(Connection& conn,
                                                              std::int64_t message_id);
core::Result<std::optional<std::int64_t>> QueryNextMessageDue(Connection& conn);
core::Result<std::int64_t> QueryQueuedCount(Connection& conn);
core::Result<std::vector<NotificationBacklog>> QueryBacklog(Connection& conn);
core::Result<std::vector<std::string>> QuerySuspendedIssuers(Connection& conn);

}  // namespace c2p::store::postgres
