#include "registry/card_enrolment.hpp"

namespace c2p::registry {

core::Result<std::optional<core::Error>> EnrolmentRefusal(store::WriteTx& tx,
                                                          const store::CardRecord& card,
                                                          domain::ConsumerState consumer_state,
                                                          OtherJobs other_jobs) {
  using Refusal = std::optional<core::Error>;
  if (card.state != domain::WireName(domain::CardState::kActive)) {
    return Refusal(core::Error::Make(core::ErrorCode::kInvalidState, "the card is not ACTIVE"));
  }
  if (consumer_state != domain::ConsumerState::kActive) {
    return Refusal(core::Error::Make(core::ErrorCode::kInvalidState, "the consumer is not ACTIVE"));
  }
  auto status = domain::ParseClickToPayStatus(card.click_to_pay_status);
  if (!status) return core::Fail(core::ErrorCode::kInternal, "stored state is unknown");
  switch (*status) {
    case domain::ClickToPayStatus::kEnrolled:
    case domain::ClickToPayStatus::kEnrolling:
      return Refusal(core::Error::Make(core::ErrorCode::kAlreadyEnrolled,
                                       "the card is enrolled or being enrolled"));
    case domain::ClickToPayStatus::kOptingOut:
      return Refusal(
          core::Error::Make(core::ErrorCode::kOperationInProgress, "the card is being opted out"));
    default:
      break;
  }
  if (other_jobs == OtherJobs::kQueue) return Refusal();
  auto busy = tx.ConsumerHasJob(card.issuer_id, card.consumer_id);
  if (!busy) return tl::unexpected(busy.error());
  if (*busy) {
    return Refusal(
        core::Error::Make(core::ErrorCode::kOperationInProgress,
                          "a Click to Pay operation is in progress on the card or its consumer"));
  }
  return Refusal();
}

core::Result<void> StartEnrolment(const RegistryContext& ctx, store::WriteTx& tx,
                                  const store::CardRecord& card, store::OperationRecord& op,
                                  store::JobRecord& job, std::string_view correlation_id) {
  op.card_id = card.card_id;
  op.card_ref = card.card_ref;
  op.consumer_id = card.consumer_id;
  op.network = card.network;
  job.card_id = card.card_id;
  job.card_ref = card.card_ref;
  job.consumer_id = card.consumer_id;
  const bool by_c2p = op.requestor_type == domain::WireName(domain::RequestorType::kD1);
  auto inserted = by_c2p ? ctx.InsertStartedByC2p(tx, op, correlation_id) : tx.InsertOperation(op);
  if (!inserted) return inserted;
  if (auto r = tx.SetCardClickToPay(card.card_ref,
                                    domain::WireName(domain::ClickToPayStatus::kEnrolling),
                                    op.start_ms, std::nullopt);
      !r) {
    return r;
  }
  auto queued = tx.InsertJob(job);
  if (!queued) return tl::unexpected(queued.error());
  return {};
}

}  // namespace c2p::registry
