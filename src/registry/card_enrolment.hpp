#pragma once
// Starting a card's CLICK_TO_PAY_ENROLMENT (spec/api.md §5.2) inside a unit of work, shared
// by the enrol route (an issuer's request) and auto-enrolment (a D1 operation started by a
// card registration, spec/batch.md, docs/api-decisions.md). The operation, the card's
// ENROLLING status and the job are written together, so "acknowledged" means "will be
// driven".

#include <optional>
#include <string_view>

#include "core/error.hpp"
#include "domain/states.hpp"
#include "registry/registry_context.hpp"
#include "store/store.hpp"

namespace c2p::registry {

// What another job of the card's consumer means for a new enrolment.
enum class OtherJobs {
  kRefuse,  // an issuer's request: OPERATION_IN_PROGRESS while the consumer has a job
  kQueue,   // auto-enrolment: the job waits behind the consumer's others (one runs at a time)
};

// Why `card` (its state and Click to Pay status as the unit will write them) of a consumer
// in `consumer_state` cannot be enrolled now, or nullopt when it can: the card and the
// consumer ACTIVE (INVALID_STATE), the card not ENROLLED / ENROLLING (ALREADY_ENROLLED)
// nor OPTING_OUT (OPERATION_IN_PROGRESS), and, with kRefuse, no job on the consumer
// (OPERATION_IN_PROGRESS). The outer error is a store failure or an unknown stored state.
core::Result<std::optional<core::Error>> EnrolmentRefusal(store::WriteTx& tx,
                                                          const store::CardRecord& card,
                                                          domain::ConsumerState consumer_state,
                                                          OtherJobs other_jobs);

// Writes the enrolment of the stored `card` (card_ref known): `op` (PENDING, its card,
// consumer and network taken from the card here), the card ENROLLING, and `job` (its card
// and consumer taken from the card). A D1 `op` is recorded through InsertStartedByC2p
// (notify_pending). Call after EnrolmentRefusal said nothing; ctx.AfterCommit(true) after
// the commit.
core::Result<void> StartEnrolment(const RegistryContext& ctx, store::WriteTx& tx,
                                  const store::CardRecord& card, store::OperationRecord& op,
                                  store::JobRecord& job, std::string_view correlation_id);

}  // namespace c2p::registry
