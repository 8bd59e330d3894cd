#pragma once
// Starting a consumer's Click to Pay opt-out inside a unit of work, shared by the opt-out
// route (spec/api.md §5.6) and the consumer delete cascade (§4.6): each ENROLLED card gets
// a D1 card operation CLICK_TO_PAY_OPTOUT and becomes OPTING_OUT, and one job drives the
// consumer's operation with the plan (engine/consumer_optout_plan.hpp) as its progress.

#include <string>
#include <vector>

#include "engine/consumer_optout_plan.hpp"
#include "registry/registry_context.hpp"
#include "store/store.hpp"

namespace c2p::registry {

// The consumer's Click to Pay state as a consumer operation must see it, read in the unit.
struct ConsumerClickToPay {
  std::vector<std::string> profiles;  // networks with a profile
  bool busy = false;                  // a job on the consumer, or a card ENROLLING / OPTING_OUT
};
core::Result<ConsumerClickToPay> ReadConsumerClickToPay(store::WriteTx& tx, std::string_view issuer,
                                                        std::string_view consumer);

core::Error OperationInProgress();
core::Error NotEnrolled();

// Records the D1 card operation(s) of an ENROLLED card whose consumer opts out: a
// CLICK_TO_PAY_OPTOUT, plus `also` (another operation of the card already inserted that
// ends with it). Sets card.click_to_pay_status to OPTING_OUT; the caller writes the card
// (and wakes ctx.notifications after the commit: a D1 start may be notified).
core::Result<void> PlanCardOptOut(store::WriteTx& tx, const RegistryContext& ctx,
                                  std::string_view correlation_id, store::CardRecord& card,
                                  engine::OptOutPlan& plan,
                                  const std::optional<std::string>& also = std::nullopt);

// Inserts the job of `op` (the consumer's PENDING opt-out operation) carrying `plan`.
core::Result<void> InsertOptOutJob(store::WriteTx& tx, const RegistryContext& ctx,
                                   const store::OperationRecord& op, const engine::OptOutPlan& plan,
                                   std::string_view correlation_id);

}  // namespace c2p::registry
