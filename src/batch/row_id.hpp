#pragma once
// Internal to src/batch: a record's "rowId" (spec/batch.md §2: an integer).

#include <cstdint>
#include <optional>

#include <boost/json/object.hpp>

namespace c2p::batch {

// The record's rowId when it is a JSON integer that fits an int64; nullopt when absent,
// fractional (1.0 included), or out of range.
std::optional<std::int64_t> ReadRowId(const boost::json::object& record);

}  // namespace c2p::batch
