#pragma once
// The path parameters of the registry routes (spec/api.md §1): a consumerId or cardId
// that breaks its pattern is 400 FIELD_INVALID_FORMAT with field "/consumerId" or
// "/cardId" [c2p: path parameters are named as members of the request's root], checked
// before any lookup so a malformed id never reaches the store or a log line. The rule
// itself is domain's (src/domain/path_ids.hpp), shared with the batch records.

#include "domain/path_ids.hpp"

namespace c2p::api {

using domain::CheckPathId;
using domain::PathId;
using domain::PathIdName;

}  // namespace c2p::api
