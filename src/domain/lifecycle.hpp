#pragma once
// The lifecycle rules of spec/api.md §4.6 as pure functions: each takes the current
// state(s) and returns the state after the call, or kInvalidState (403 INVALID_STATE)
// when the call is not allowed. What happens around them (operations, Click to Pay
// cascades, the store) is the caller's.
//
// Transitions [c2p where §4.6 is silent]:
//   suspend:          ACTIVE -> SUSPENDED
//   resume:           SUSPENDED -> ACTIVE, and the card's consumer must be ACTIVE
//   delete card:      ACTIVE | INACTIVE | SUSPENDED -> DELETED
//   delete consumer:  ACTIVE | INACTIVE -> DELETED
// DELETED is final and accepts nothing. Suspending a SUSPENDED card or resuming an ACTIVE
// one is refused rather than ignored: a retry of the same call is what Idempotency-Key
// is for, and two systems disagreeing about a card should hear of it. An INACTIVE card is
// activated by PUT (state ACTIVE), not by resume.

#include "core/error.hpp"
#include "domain/states.hpp"

namespace c2p::domain {

core::Result<CardState> SuspendCard(CardState card);
core::Result<CardState> ResumeCard(CardState card, ConsumerState consumer);
core::Result<CardState> DeleteCard(CardState card);
core::Result<ConsumerState> DeleteConsumer(ConsumerState consumer);

}  // namespace c2p::domain
