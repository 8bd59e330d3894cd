#pragma once
// The rules of the registration PUTs of spec/api.md §4.1 and §4.4 on a consumer or card
// that may already exist, as pure functions. A PUT creates (201) or replaces (200) what
// it names; the decisions where §4 is silent are marked [c2p]:
//
//  - `state` absent leaves an existing consumer's or card's state as it is (and is ACTIVE
//    on creation): lifecycle states belong to the lifecycle operations, so re-sending the
//    original registration never undoes a suspension.
//  - Consumer: ACTIVE <-> INACTIVE both ways. A DELETED consumer accepts nothing, neither
//    a PUT nor a card registration (delete is final, §4.6).
//  - Card: INACTIVE -> ACTIVE activates the card; ACTIVE -> INACTIVE is refused (suspend
//    or delete takes a card out of use); a SUSPENDED card's state changes only by resume.
//  - A live cardId stays bound to its PAN, consumer and card product: another PAN, or the
//    same PAN under another consumerId or cardProductId, is CARD_ID_IN_USE. Expiry,
//    cardholder name and the ACTIVE/INACTIVE state may change (a renewed card).

#include <optional>

#include "core/error.hpp"
#include "domain/states.hpp"

namespace c2p::domain {

// The consumer's state after a PUT; `current` is nullopt when the PUT creates it.
core::Result<ConsumerState> ConsumerStateAfterPut(std::optional<ConsumerState> current,
                                                  std::optional<ConsumerState> requested);

// A card can be registered under (or found for) a consumer in this state: not DELETED.
core::Result<void> CheckConsumerTakesCards(ConsumerState consumer);

// The card's state after a PUT; `current` is nullopt when the PUT creates it.
core::Result<CardState> CardStateAfterPut(std::optional<CardState> current,
                                          std::optional<CardState> requested);

// What the live card of a cardId shares with a PUT naming the same cardId.
struct CardIdBinding {
  bool same_pan = false;
  bool same_consumer = false;
  bool same_product = false;
};

// Ok when the PUT may replace the live card; kCardIdInUse otherwise.
core::Result<void> CheckCardIdBinding(const CardIdBinding& binding);

}  // namespace c2p::domain
