#include "store/sqlite/engine_queries.hpp"

#include "store/sqlite/binding.hpp"
#include "store/sqlite/engine_sql.hpp"

namespace c2p::store::sqlite {

namespace {

// clang-format off
constexpr auto ReadJob = ReadRow<JobRecord,
    &JobRecord::job_id, &JobRecord::operation_id, &JobRecord::kind, &JobRecord::issuer_id,
    &JobRecord::consumer_id, &JobRecord::card_id, &JobRecord::card_ref, &JobRecord::input,
    &JobRecord::progress, &JobRecord::attempts, &JobRecord::run_at_ms, &JobRecord::deadline_ms,
    &JobRecord::correlation_id, &JobRecord::created_ms>;
// clang-format on

constexpr int kLaneColumn = 14;  // after the columns ReadJob reads

JobRecord ReadJobWithLane(const Statement& s) {
  JobRecord job = ReadJob(s);
  job.lane = s.ColumnText(kLaneColumn) == "bulk" ? JobLane::kBulk : JobLane::kInteractive;
  return job;
}

}  // namespace

core::Result<std::int64_t> InsertJobRow(Connection& conn, const JobRecord& j) {
  auto done =
      Run(Prepared(conn, sql::kInsertJob, j.operation_id, j.kind, j.issuer_id, j.consumer_id,
                   j.card_id, j.card_ref, j.input, j.progress, j.run_at_ms, j.deadline_ms,
                   j.correlation_id, j.created_ms, std::string_view(JobLaneName(j.lane))));
  if (!done) return tl::unexpected(std::move(done.error()));
  return conn.LastInsertRowId();
}

core::Result<bool> QueryConsumerHasJob(Connection& conn, std::string_view issuer,
                                       std::string_view consumer) {
  auto stmt = Prepared(conn, sql::kSelectConsumerJob, issuer, consumer);
  if (!stmt) return tl::unexpected(std::move(stmt.error()));
  return stmt->Step();
}

core::Result<std::vector<JobRecord>> ClaimJobRows(Connection& conn, std::int64_t now_ms,
                                                  std::int64_t lease_until_ms, JobLane lane,
                                                  int limit) {
  return All<JobRecord>(Prepared(conn, sql::kClaimJobs, now_ms, lease_until_ms, std::int64_t{limit},
                                 std::string_view(JobLaneName(lane))),
                        ReadJobWithLane);
}

core::Result<bool> RescheduleJobRow(Connection& conn, const JobRecord& job, std::int64_t run_at_ms,
                                    std::string_view progress) {
  auto done =
      Run(Prepared(conn, sql::kRescheduleJob, job.job_id, run_at_ms, progress, job.attempts));
  if (!done) return tl::unexpected(std::move(done.error()));
  return conn.Changes() > 0;
}

core::Result<bool> DeleteJobRow(Connection& conn, const JobRecord& job) {
  auto done = Run(Prepared(conn, sql::kDeleteJob, job.job_id, job.attempts));
  if (!done) return tl::unexpected(std::move(done.error()));
  return conn.Changes() > 0;
}

core::Result<void> ReleaseJobLeases(Connection& conn) {
  return Run(Prepared(conn, sql::kReleaseLeases));
}

core::Result<std::int64_t> QueryJobCount(Connection& conn) {
  auto stmt = Prepared(conn, sql::kCountJobs);
  if (!stmt) return tl::unexpected(std::move(stmt.error()));
  auto row = stmt->Step();
  if (!row) return tl::unexpected(std::move(row.error()));
  return *row ? stmt->ColumnInt64(0) : 0;
}

core::Result<std::optional<std::int64_t>> QueryNextDue(Connection& conn, std::int64_t now_ms,
                                                       JobLane lane) {
  auto stmt = Prepared(conn, sql::kNextDue, now_ms, std::string_view(JobLaneName(lane)));
  if (!stmt) return tl::unexpected(std::move(stmt.error()));
  auto row = stmt->Step();
  if (!row) return tl::unexpected(std::move(row.error()));
  if (!*row) return std::optional<std::int64_t>();
  return OptInt(*stmt, 0);
}

core::Result<bool> FinishOperationRow(Connection& conn, const OperationOutcome& o) {
  auto done = Run(Prepared(conn, sql::kFinishOperation, o.issuer_id, o.operation_id, o.status,
                           o.error_code, o.error_message, o.details_json, o.end_ms));
  if (!done) return tl::unexpected(std::move(done.error()));
  return conn.Changes() > 0;
}

core::Result<void> SetCardClickToPayRow(Connection& conn, std::int64_t card_ref,
                                        std::string_view status, std::int64_t updated_ms,
                                        const std::optional<std::string>& digital_card_id) {
  return Run(
      Prepared(conn, sql::kSetCardClickToPay, card_ref, status, updated_ms, digital_card_id));
}

core::Result<void> InsertNetworkProfile(Connection& conn, std::string_view issuer,
                                        std::string_view consumer, std::string_view network,
                                        std::int64_t created_ms) {
  return Run(Prepared(conn, sql::kInsertNetworkProfile, issuer, consumer, network, created_ms));
}

core::Result<void> DeleteNetworkProfileRow(Connection& conn, std::string_view issuer,
                                           std::string_view consumer, std::string_view network) {
  return Run(Prepared(conn, sql::kDeleteNetworkProfile, issuer, consumer, network));
}

core::Result<std::vector<std::string>> QueryNetworkProfiles(Connection& conn,
                                                            std::string_view issuer,
                                                            std::string_view consumer) {
  return All<std::string>(Prepared(conn, sql::kSelectNetworkProfiles, issuer, consumer),
                          [](const Statement& s) { return std::string(s.ColumnText(0)); });
}

}  // namespace c2p::store::sqlite
