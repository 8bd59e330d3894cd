#include "batch/row_id.hpp"

#include <limits>

namespace c2p::batch {

std::optional<std::int64_t> ReadRowId(const boost::json::object& record) {
  const boost::json::value* value = record.if_contains("rowId");
  if (value == nullptr) return std::nullopt;
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64() &&
      value->as_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return static_cast<std::int64_t>(value->as_uint64());
  }
  return std::nullopt;
}

}  // namespace c2p::batch
