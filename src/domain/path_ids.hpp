#pragma once
// The rules of the two ids that name registry resources (spec/api.md §1): a consumerId or
// cardId that breaks its pattern is kFieldInvalidFormat with field "/consumerId" or
// "/cardId", checked before any lookup so a malformed id never reaches the store or a log
// line. Used for the API's path parameters (src/api) and for the ids of batch records
// (src/batch), which name the same resources.

#include <string_view>

#include "core/error.hpp"

namespace c2p::domain {

enum class PathId { kConsumerId, kCardId };

// The parameter's name ("consumerId", "cardId").
std::string_view PathIdName(PathId kind);

// Ok when `value` matches the id's pattern.
core::Result<void> CheckPathId(PathId kind, std::string_view value);

}  // namespace c2p::domain
