#pragma once
// The rows of the enrolment engine (src/engine) as the store keeps them: durable jobs,
// an operation's terminal outcome, and which consumers have a Click to Pay profile in
// which network. Like registry_records.hpp, wire names only and no domain types.

#include <cstdint>
#include <optional>
#include <string>

#include "store/registry_records.hpp"

namespace c2p::store {

// Which share of the engine's slots a job runs in (docs/engine.md "Lanes"): interactive
// (the API's operations and what c2p starts for them) is claimed first; bulk (batch
// registration files' auto-enrolments) uses at most `[engine] bulk_max_in_flight` slots,
// so a million-record campaign never stands in front of an API request.
enum class JobLane { kInteractive, kBulk };

// The lane's name in the store ("interactive", "bulk").
constexpr const char* JobLaneName(JobLane lane) {
  return lane == JobLane::kBulk ? "bulk" : "interactive";
}

// One unit of asynchronous work: it drives one operation to its end. At most one job
// exists per (issuer, consumer): that is the "one Click to Pay operation at a time per
// card and per consumer" rule, enforced by a unique index as well as by the API's check.
struct JobRecord {
  std::int64_t job_id = 0;  // assigned by the store
  std::string operation_id;
  std::string kind;  // the driver that runs it, e.g. "CARD_ENROLMENT"
  std::string issuer_id;
  std::string consumer_id;
  std::optional<std::string> card_id;
  std::optional<std::int64_t> card_ref;
  std::optional<Blob> input;        // sealed request data (the body's personal data), if any
  std::string progress = "{}";      // the driver's checkpoint, a JSON object
  std::int64_t attempts = 0;        // claims so far, this one included once claimed
  std::int64_t lease_until_ms = 0;  // set by the engine for the claim it holds
  std::int64_t run_at_ms = 0;       // not claimed before
  std::int64_t deadline_ms = 0;
  std::string correlation_id;
  std::int64_t created_ms = 0;
  JobLane lane = JobLane::kInteractive;
};

// What ends a PENDING operation. status: SUCCESSFUL | FAILED.
struct OperationOutcome {
  std::string issuer_id;
  std::string operation_id;
  std::string status;
  std::optional<std::string> error_code;
  std::optional<std::string> error_message;
  std::optional<std::string> details_json;
  std::int64_t end_ms = 0;
};

}  // namespace c2p::store
