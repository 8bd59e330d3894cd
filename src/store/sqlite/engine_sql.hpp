#pragma once
// The SQL of the enrolment engine: migrations 4, 9 and 11 and the statements of
// engine_queries.cpp.
// Parameters are numbered, so each constant documents its binding order.

#include <string_view>

namespace c2p::store::sqlite::sql {

// Migration 4.
//  - jobs: the durable work queue. A job is claimed by setting a lease; a crash leaves the
//    lease to expire (or, with the embedded store, to be released at start), so the work
//    resumes. One job per (issuer, consumer): the unique index is the last line of
//    defence of the one-operation-at-a-time rule (migration 9 makes it a queue).
//  - network_profiles: the consumers that have a Click to Pay profile in a network, so
//    the next enrolment adds a card instead of creating the profile again.
inline constexpr std::string_view kMigration0004CreateEngine = R"sql(
CREATE TABLE jobs (
  job_id         INTEGER PRIMARY KEY,
  operation_id   TEXT    NOT NULL UNIQUE REFERENCES operations (operation_id),
  kind           TEXT    NOT NULL,
  issuer_id      TEXT    NOT NULL,
  consumer_id    TEXT    NOT NULL,
  card_id        TEXT,
  card_ref       INTEGER REFERENCES cards (card_ref),
  input          BLOB,
  progress       TEXT    NOT NULL,
  attempts       INTEGER NOT NULL,
  run_at_ms      INTEGER NOT NULL,
  lease_until_ms INTEGER NOT NULL,
  deadline_ms    INTEGER NOT NULL,
  correlation_id TEXT    NOT NULL,
  created_ms     INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX jobs_one_per_consumer ON jobs (issuer_id, consumer_id);
CREATE INDEX jobs_due ON jobs (run_at_ms);
CREATE TABLE network_profiles (
  issuer_id   TEXT    NOT NULL,
  consumer_id TEXT    NOT NULL,
  network     TEXT    NOT NULL,
  created_ms  INTEGER NOT NULL,
  PRIMARY KEY (issuer_id, consumer_id, network)
) STRICT, WITHOUT ROWID;
)sql";

// Migration 9: a queue of jobs per consumer. Auto-enrolment starts one enrolment per card
// of a consumer registered together (a batch record, back-to-back card PUTs); the second
// must wait for the first (which creates the network profile the second adds a card to),
// not be refused. The consumer's jobs run one at a time in job_id order: only the head
// (lowest job_id) is claimed or reported due. The index serves that head lookup.
inline constexpr std::string_view kMigration0009JobQueuePerConsumer = R"sql(
DROP INDEX jobs_one_per_consumer;
CREATE INDEX jobs_by_consumer ON jobs (issuer_id, consumer_id, job_id);
)sql";

// Migration 11: lanes (docs/engine.md "Lanes"). A batch file queues up to a million bulk
// auto-enrolments due now; the engine claims interactive jobs first and bulk ones within a
// share of its slots, each lane by its own claim. jobs_due (run_at_ms alone) made a claim
// of the interactive lane walk past every due bulk row: (lane, run_at_ms) serves each
// lane's claim and next-due look-up directly, and replaces it.
inline constexpr std::string_view kMigration0011JobLanes = R"sql(
ALTER TABLE jobs ADD COLUMN lane TEXT NOT NULL DEFAULT 'interactive'
  CHECK (lane IN ('interactive', 'bulk'));
DROP INDEX jobs_due;
CREATE INDEX jobs_due_by_lane ON jobs (lane, run_at_ms);
)sql";

// A job is its consumer's head when no job of the same consumer is older.
#define C2P_JOB_IS_HEAD                                                             \
  "NOT EXISTS (SELECT 1 FROM jobs AS older WHERE older.issuer_id = jobs.issuer_id " \
  "AND older.consumer_id = jobs.consumer_id AND older.job_id < jobs.job_id)"

#define C2P_JOB_COLUMNS                                                                      \
  "job_id, operation_id, kind, issuer_id, consumer_id, card_id, card_ref, input, progress, " \
  "attempts, run_at_ms, deadline_ms, correlation_id, created_ms, lane"

inline constexpr std::string_view kInsertJob =
    "INSERT INTO jobs (operation_id, kind, issuer_id, consumer_id, card_id, card_ref, input, "
    "progress, attempts, run_at_ms, lease_until_ms, deadline_ms, correlation_id, created_ms, lane) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, ?9, 0, ?10, ?11, ?12, ?13)";
inline constexpr std::string_view kSelectConsumerJob =
    "SELECT 1 FROM jobs WHERE issuer_id = ?1 AND consumer_id = ?2";
// In lane ?4: due, not leased (or leased by a lapsed claim) and its consumer's head (in
// any lane: a consumer's jobs keep their order across lanes), oldest due first.
// RETURNING hands the claimed rows back in the same statement.
inline constexpr std::string_view kClaimJobs =
    "UPDATE jobs SET lease_until_ms = ?2, attempts = attempts + 1 WHERE job_id IN ("
    "SELECT job_id FROM jobs WHERE lane = ?4 AND run_at_ms <= ?1 AND lease_until_ms <= ?1 "
    "AND " C2P_JOB_IS_HEAD " ORDER BY run_at_ms LIMIT ?3) RETURNING " C2P_JOB_COLUMNS;
// Fenced by the attempt count (?4, ?2): a claim by another node since ours changed it,
// and the stale holder's write then touches no row.
inline constexpr std::string_view kRescheduleJob =
    "UPDATE jobs SET run_at_ms = ?2, progress = ?3, lease_until_ms = 0 "
    "WHERE job_id = ?1 AND attempts = ?4";
inline constexpr std::string_view kDeleteJob =
    "DELETE FROM jobs WHERE job_id = ?1 AND attempts = ?2";
inline constexpr std::string_view kReleaseLeases =
    "UPDATE jobs SET lease_until_ms = 0 WHERE lease_until_ms <> 0";
inline constexpr std::string_view kCountJobs = "SELECT COUNT(*) FROM jobs";
// Walks lane ?2 of jobs_due_by_lane in order and stops at the first unleased head (MIN()
// with this WHERE would read every row). A queued job behind a running head is not due:
// reporting it would wake the engine for a job it cannot claim, again and again.
inline constexpr std::string_view kNextDue =
    "SELECT run_at_ms FROM jobs WHERE lane = ?2 AND lease_until_ms <= ?1 AND " C2P_JOB_IS_HEAD
    " ORDER BY run_at_ms LIMIT 1";

#undef C2P_JOB_COLUMNS
#undef C2P_JOB_IS_HEAD

// Terminal states never change: an operation already ended is left alone.
inline constexpr std::string_view kFinishOperation =
    "UPDATE operations SET status = ?3, error_code = ?4, error_message = ?5, details = ?6, "
    "end_ms = ?7 WHERE issuer_id = ?1 AND operation_id = ?2 AND status = 'PENDING'";
// A digital card id already recorded (by the token service's event) is kept when none is
// given (NULL); an empty one clears it (the card left Click to Pay).
inline constexpr std::string_view kSetCardClickToPay =
    "UPDATE cards SET click_to_pay_status = ?2, updated_ms = ?3, "
    "digital_card_id = CASE WHEN ?4 IS NULL THEN digital_card_id ELSE NULLIF(?4, '') END "
    "WHERE card_ref = ?1";

inline constexpr std::string_view kInsertNetworkProfile =
    "INSERT OR IGNORE INTO network_profiles (issuer_id, consumer_id, network, created_ms) "
    "VALUES (?1, ?2, ?3, ?4)";
inline constexpr std::string_view kDeleteNetworkProfile =
    "DELETE FROM network_profiles WHERE issuer_id = ?1 AND consumer_id = ?2 AND network = ?3";
inline constexpr std::string_view kSelectNetworkProfiles =
    "SELECT network FROM network_profiles WHERE issuer_id = ?1 AND consumer_id = ?2 "
    "ORDER BY network";

}  // namespace c2p::store::sqlite::sql
