#include "registry/consumer_optout.hpp"

#include "domain/states.hpp"
#include "engine/consumer_optout_driver.hpp"
#include "registry/operations.hpp"

namespace c2p::registry {

core::Error OperationInProgress() {
  return core::Error::Make(core::ErrorCode::kOperationInProgress,
                           "a Click to Pay operation is in progress on the consumer or its cards");
}

core::Error NotEnrolled() {
  return core::Error::Make(core::ErrorCode::kNotEnrolled,
                           "the consumer is not enrolled in Click to Pay in any network");
}

core::Result<ConsumerClickToPay> ReadConsumerClickToPay(store::WriteTx& tx, std::string_view issuer,
                                                        std::string_view consumer) {
  ConsumerClickToPay out;
  // Jobs, then cards, then profiles: a settlement deletes its job and records its profile
  // in one commit, and a concurrent writer's commit can land between two of these reads
  // (PostgreSQL). In this order such a unit sees the job (busy) or else the profile.
  auto job = tx.ConsumerHasJob(issuer, consumer);
  if (!job) return tl::unexpected(job.error());
  out.busy = *job;
  auto cards = tx.ConsumerCards(issuer, consumer);
  if (!cards) return tl::unexpected(cards.error());
  auto profiles = tx.NetworkProfiles(issuer, consumer);
  if (!profiles) return tl::unexpected(profiles.error());
  out.profiles = std::move(*profiles);
  for (const auto& card : *cards) {
    out.busy = out.busy ||
               card.click_to_pay_status == domain::WireName(domain::ClickToPayStatus::kEnrolling) ||
               card.click_to_pay_status == domain::WireName(domain::ClickToPayStatus::kOptingOut);
  }
  return out;
}

core::Result<void> PlanCardOptOut(store::WriteTx& tx, const RegistryContext& ctx,
                                  std::string_view correlation_id, store::CardRecord& card,
                                  engine::OptOutPlan& plan,
                                  const std::optional<std::string>& also) {
  auto op = MakeOperation({.type = domain::OperationType::kClickToPayOptOut,
                           .requestor_type = domain::RequestorType::kD1,
                           .issuer = card.issuer_id,
                           .card_id = card.card_id,
                           .card_ref = card.card_ref,
                           .consumer_id = card.consumer_id,
                           .network = card.network,
                           .complete = false});
  if (auto i = ctx.InsertStartedByC2p(tx, op, correlation_id); !i) return i;
  engine::OptOutCard planned{card.card_ref, card.network, {op.operation_id}};
  if (also) planned.operation_ids.push_back(*also);
  plan.cards.push_back(std::move(planned));
  card.click_to_pay_status = domain::WireName(domain::ClickToPayStatus::kOptingOut);
  return {};
}

core::Result<void> InsertOptOutJob(store::WriteTx& tx, const RegistryContext& ctx,
                                   const store::OperationRecord& op, const engine::OptOutPlan& plan,
                                   std::string_view correlation_id) {
  store::JobRecord job = ctx.JobFor(op, engine::kConsumerOptOutJob, correlation_id);
  job.progress = engine::ToProgress(plan);
  auto inserted = tx.InsertJob(job);
  if (!inserted) return tl::unexpected(inserted.error());
  return {};
}

}  // namespace c2p::registry
