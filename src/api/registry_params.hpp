#pragma once
// The path parameters of the registry routes (spec/api.md §1): a consumerId or cardId
// that breaks its pattern is 400 FIELD_INVALID_FORMAT with field "/consumerId" or
// "/cardId" [c2p: path parameters are named as members of the request's root], checked
// before any lookup so a malformed id never reaches the store or a log line. The rule
// itself is domain's (src/domain/path_ids.hpp), shared with the batch records.

#include "domain/path_ids.hpp"
#include "store/store.hpp"

namespace c2p::api {

using domain::CheckPathId;
using domain::PathId;
using domain::PathIdName;

inline core::Error CardNotFound() {
  return core::Error::Make(core::ErrorCode::kCardNotFound, "no such card");
}

// The card the path names, locked with its consumer for the rest of the unit of work
// (store::LockCard); CARD_NOT_FOUND when the issuer has no such card.
inline core::Result<store::LockedCard> LockPathCard(store::WriteTx& tx, std::string_view issuer,
                                                    std::string_view card_id) {
  auto locked = store::LockCard(tx, issuer, card_id);
  if (!locked) return tl::unexpected(std::move(locked.error()));
  if (!*locked) return tl::unexpected(CardNotFound());
  return std::move(**locked);
}

}  // namespace c2p::api
