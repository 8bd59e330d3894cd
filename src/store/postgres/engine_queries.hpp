#pragma once
// The engine's queries on one PostgreSQL connection (engine_sql.hpp): the mirror of
// sqlite/engine_queries.hpp.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "store/engine_records.hpp"
#include "store/postgres/connection.hpp"

namespace c2p::store::postgres {

core::Result<std::int64_t> InsertJobRow(Connection& conn, const JobRecord& job);
core::Result<bool> QueryConsumerHasJob(Connection& conn, std::string_view issuer,
                                       std::string_view consumer);
core::Result<std::vector<JobRecord>> ClaimJobRows(Connection& conn, std::int64_t now_ms,
                                                  std::int64_t lease_until_ms, JobLane lane,
                                                  int limit);
// False when the job's lease was taken over by a later claim (nothing written).
core::Result<bool> RescheduleJobRow(Connection& conn, const JobRecord& job, std::int64_t run_at_ms,
                                    std::string_view progress);
core::Result<bool> DeleteJobRow(Connection& conn, const JobRecord& job);
core::Result<std::int64_t> QueryJobCount(Connection& conn);
core::Result<std::optional<std::int64_t>> QueryNextDue(Connection& conn, std::int64_t now_ms,
                                                       JobLane lane);
core::Result<bool> FinishOperationRow(Connection& conn, const OperationOutcome& outcome);
core::Result<void> SetCardClickToPayRow(Connection& conn, std::int64_t card_ref,
                                        std::string_view status, std::int64_t updated_ms,
                                        const std::optional<std::string>& digital_card_id);
core::Result<void> LockCardRow(Connection& conn, std::int64_t card_ref);
core::Result<void> InsertNetworkProfile(Connection& conn, std::string_view issuer,
                                        std::string_view consumer, std::string_view network,
                                        std::int64_t created_ms);
core::Result<void> DeleteNetworkProfileRow(Connection& conn, std::string_view issuer,
                                           std::string_view consumer, std::string_view network);
core::Result<std::vector<std::string>> QueryNetworkProfiles(Connection& conn,
                                                            std::string_view issuer,
                                                            std::string_view consumer);

}  // namespace c2p::store::postgres
