#pragma once
// What a card lifecycle call (spec/api.md §4.6) means for the card's Click to Pay
// enrolment, decided from its clickToPay.status:
//
//   NOT_ENROLLED, OPTED_OUT, FAILED   nothing at the network: the call completes at once
//                                     (200, operation SUCCESSFUL)
//   ENROLLED                          the network must suspend / resume / delete the
//                                     digital card: the operation stays PENDING until it
//                                     confirms (202)
//   ENROLLING, OPTING_OUT             a Click to Pay operation is under way: 409
//                                     OPERATION_IN_PROGRESS [c2p], the issuer retries once
//                                     it has ended
//
// A consumer delete applies the card rule to each of its cards.

#include "core/error.hpp"
#include "domain/states.hpp"

namespace c2p::domain {

enum class NetworkEffect {
  kNone,       // complete at once
  kPropagate,  // PENDING until the network confirms
};

core::Result<NetworkEffect> LifecycleNetworkEffect(ClickToPayStatus status);

}  // namespace c2p::domain
