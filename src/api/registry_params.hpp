#pragma once
// The path parameters of the registry routes (spec/api.md §1): a consumerId or cardId
// that breaks its pattern is 400 FIELD_INVALID_FORMAT with field "/consumerId" or
// "/cardId" [c2p: path parameters are named as members of the request's root], checked
// before any lookup so a malformed id never reaches the store or a log line.

#include <string_view>

#include "core/error.hpp"

namespace c2p::api {

enum class PathId { kConsumerId, kCardId };

// The parameter's name in the route template ("consumerId", "cardId").
std::string_view PathIdName(PathId kind);

// Ok when `value` matches the parameter's pattern.
core::Result<void> CheckPathId(PathId kind, std::string_view value);

}  // namespace c2p::api
