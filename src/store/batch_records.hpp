#pragma once
// The rows of batch registration files (src/batch, shared/spec/batch.md): one per accepted
// (issuer, batchId, seqNumber), with its progress, and one result per processed record.
// A chunk of records, their results and the file's progress commit in one unit, so a
// restart resumes after `last_row_id` with nothing applied twice or skipped.

#include <cstdint>
#include <optional>
#include <string>

namespace c2p::store {

struct BatchFileRecord {
  std::string issuer_id;
  std::string batch_id;
  std::string seq_number;
  std::string file_name;                  // in the issuer's spool work/ directory
  std::string operation;                  // the header's
  std::string status;                     // RECEIVED | PROCESSING | DONE | REJECTED
  std::optional<std::string> error_code;  // file level ("101"…), REJECTED only
  std::int64_t total_records = 0;
  std::int64_t processed = 0;
  std::int64_t ok = 0;
  std::int64_t ko = 0;
  std::optional<std::int64_t> last_row_id;  // the last committed record's rowId
  std::string correlation_id;
  std::int64_t received_ms = 0;
  std::int64_t updated_ms = 0;
};

// One item of the _OUT document's recordsResults, as JSON text.
struct BatchRecordResult {
  std::int64_t row_id = 0;
  std::string result;
};

}  // namespace c2p::store
