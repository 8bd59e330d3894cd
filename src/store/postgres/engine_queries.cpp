#include "store/postgres/engine_queries.hpp"

#include <algorithm>

#include "store/postgres/binding.hpp"
#include "store/postgres/engine_sql.hpp"

namespace c2p::store::postgres {

namespace {

// clang-format off
constexpr auto ReadJob = ReadRow<JobRecord,
    &JobRecord::job_id, &JobRecord::operation_id, &JobRecord::kind, &JobRecord::issuer_id,
    &JobRecord::consumer_id, &JobRecord::card_id, &JobRecord::card_ref, &JobRecord::input,
    &JobRecord::progress, &JobRecord::attempts, &JobRecord::run_at_ms, &JobRecord::deadline_ms,
    &JobRecord::correlation_id, &JobRecord::created_ms>;
// clang-format on

constexpr int kLaneColumn = 14;  // after the columns ReadJob reads

JobRecord ReadJobWithLane(const Row& r) {
  JobRecord job = ReadJob(r);
  job.lane = r.Text(kLaneColumn) == "bulk" ? JobLane::kBulk : JobLane::kInteractive;
  return job;
}

std::string_view Lane(JobLane lane) { return JobLaneName(lane); }

}  // namespace

core::Result<std::int64_t> InsertJobRow(Connection& conn, const JobRecord& j) {
  return FirstInt(Query(conn, sql::kInsertJob, j.operation_id, j.kind, j.issuer_id, j.consumer_id,
                        j.card_id, j.card_ref, j.input, j.progress, j.run_at_ms, j.deadline_ms,
                        j.correlation_id, j.created_ms, Lane(j.lane)));
}

core::Result<bool> QueryConsumerHasJob(Connection& conn, std::string_view issuer,
                                       std::string_view consumer) {
  return Any(Query(conn, sql::kSelectConsumerJob, issuer, consumer));
}

core::Result<std::vector<JobRecord>> ClaimJobRows(Connection& conn, std::int64_t now_ms,
                                                  std::int64_t lease_until_ms, JobLane lane,
                                                  int limit) {
  auto jobs = All<JobRecord>(
      Query(conn, sql::kClaimJobs, now_ms, lease_until_ms, limit, Lane(lane)), ReadJobWithLane);
  if (!jobs) return jobs;
  // UPDATE … RETURNING gives no order; the engine expects the oldest due first.
  std::stable_sort(jobs->begin(), jobs->end(), [](const JobRecord& a, const JobRecord& b) {
    return a.run_at_ms != b.run_at_ms ? a.run_at_ms < b.run_at_ms : a.job_id < b.job_id;
  });
  return jobs;
}

core::Result<bool> RescheduleJobRow(Connection& conn, const JobRecord& job, std::int64_t run_at_ms,
                                    std::string_view progress) {
  return Any(Query(conn, sql::kRescheduleJob, job.job_id, run_at_ms, progress, job.attempts));
}

core::Result<bool> DeleteJobRow(Connection& conn, const JobRecord& job) {
  return Any(Query(conn, sql::kDeleteJob, job.job_id, job.attempts));
}

core::Result<std::int64_t> QueryJobCount(Connection& conn) {
  return FirstInt(Query(conn, sql::kCountJobs));
}

core::Result<std::optional<std::int64_t>> QueryNextDue(Connection& conn, std::int64_t now_ms,
                                                       JobLane lane) {
  return One<std::int64_t>(Query(conn, sql::kNextDue, now_ms, Lane(lane)),
                           [](const Row& r) { return r.Int(0); });
}

core::Result<bool> FinishOperationRow(Connection& conn, const OperationOutcome& o) {
  return Any(Query(conn, sql::kFinishOperation, o.issuer_id, o.operation_id, o.status, o.error_code,
                   o.error_message, o.details_json, o.end_ms));
}

core::Result<void> SetCardClickToPayRow(Connection& conn, std::int64_t card_ref,
                                        std::string_view status, std::int64_t updated_ms,
                                        const std::optional<std::string>& digital_card_id) {
  return Done(Query(conn, sql::kSetCardClickToPay, card_ref, status, updated_ms, digital_card_id));
}

core::Result<void> LockCardRow(Connection& conn, std::int64_t card_ref) {
  return Done(Query(conn, sql::kLockCardRow, card_ref));
}

core::Result<void> InsertNetworkProfile(Connection& conn, std::string_view issuer,
                                        std::string_view consumer, std::string_view network,
                                        std::int64_t created_ms) {
  return Done(Query(conn, sql::kInsertNetworkProfile, issuer, consumer, network, created_ms));
}

core::Result<void> DeleteNetworkProfileRow(Connection& conn, std::string_view issuer,
                                           std::string_view consumer, std::string_view network) {
  return Done(Query(conn, sql::kDeleteNetworkProfile, issuer, consumer, network));
}

core::Result<std::vector<std::string>> QueryNetworkProfiles(Connection& conn,
                                                            std::string_view issuer,
                                                            std::string_view consumer) {
  return All<std::string>(Query(conn, sql::kSelectNetworkProfiles, issuer, consumer),
                          [](const Row& r) { return std::string(r.Text(0)); });
}

}  // namespace c2p::store::postgres
