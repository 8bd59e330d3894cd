#pragma once
// A record's result in the _OUT document (shared/spec/batch.md §3): the record-level codes
// and the JSON of one recordsResults item. Codes name what failed, never the data.

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "core/error.hpp"

namespace c2p::batch {

// Whether an error refuses one record (a code of §3) or stops the chunk: a store or
// internal failure is not the record's fault and must not be written down as a KO.
bool RefusesRecord(const core::Error& error);

// The §3 code of a refused consumer ("200", "201") or card ("202" … "206").
std::string ConsumerCode(const core::Error& error);
std::string CardCode(const core::Error& error);

struct CardOutcome {
  std::string card_id;
  std::optional<std::string> error;         // the code; none: OK
  std::optional<std::string> operation_id;  // the auto-enrolment started
  std::string operation_status;
};

struct RecordOutcome {
  std::int64_t row_id = 0;
  std::string consumer_id;
  std::optional<std::string> consumer_error;
  std::vector<CardOutcome> cards;

  // OK when the consumer and every card are.
  bool ok() const;
  boost::json::object ToJson() const;
};

}  // namespace c2p::batch
