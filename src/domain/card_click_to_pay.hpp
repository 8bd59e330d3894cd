#pragma once
// Whether a card-level Click to Pay change — update (spec/api.md §5.3) or opt-out (§5.5) —
// may start, decided from the card's clickToPay.status:
//
//   ENROLLED                          yes
//   NOT_ENROLLED, OPTED_OUT, FAILED   409 NOT_ENROLLED: there is nothing at the network
//   ENROLLING, OPTING_OUT             409 OPERATION_IN_PROGRESS [c2p]: retry once it ends
//
// The route also refuses (OPERATION_IN_PROGRESS) while any job runs on the card's
// consumer: that needs the store, so it is not decided here.

#include "core/error.hpp"
#include "domain/states.hpp"

namespace c2p::domain {

core::Result<void> CheckCardClickToPayChange(ClickToPayStatus status);

}  // namespace c2p::domain
