#pragma once
// The one JSON reader for untrusted input (request bodies, batch headers, files from
// partners). On top of RFC 8259 it enforces spec/api.md §1: nesting at most 32 deep,
// duplicate keys rejected, strings valid UTF-8, numbers finite. Every failure is
// ErrorCode::kInvalidJson with a message that never quotes the input.

#include <cstddef>
#include <string_view>

#include <boost/json/value.hpp>

#include "core/error.hpp"

namespace c2p::core {

inline constexpr std::size_t kMaxJsonDepth = 32;

Result<boost::json::value> ParseStrictJson(std::string_view text,
                                           std::size_t max_depth = kMaxJsonDepth);

}  // namespace c2p::core
