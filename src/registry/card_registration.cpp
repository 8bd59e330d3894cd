#include "registry/card_registration.hpp"

#include "core/time_format.hpp"
#include "domain/registration.hpp"
#include "engine/enrol_driver.hpp"
#include "jose/jwe.hpp"
#include "registry/card_enrolment.hpp"
#include "registry/operations.hpp"
#include "vault/pan_index.hpp"

namespace c2p::registry {

namespace {

bool SameName(const std::optional<core::SecretBytes>& a,
              const std::optional<core::SecretBytes>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || a->as_text() == b->as_text();
}

// What the unit decided, before it writes anything.
struct Decision {
  bool create_consumer = false;
  domain::ConsumerState consumer_state = domain::ConsumerState::kActive;
  bool write_card = false;  // false: the same registration again (200, nothing changes)
  bool activation = false;  // an INACTIVE card made ACTIVE by this PUT
};

// The live card of `card_id` replaced by the PUT (a renewal, an activation or nothing).
core::Result<void> DecideReplacement(const RegistryContext& ctx, store::CardRecord& old,
                                     const domain::CardPutBody& body, const PreparedCard& card,
                                     std::int64_t now, Decision& d) {
  auto binding =
      domain::CheckCardIdBinding({.same_pan = old.pan_index == card.pan_index,
                                  .same_consumer = old.consumer_id == body.consumer_id,
                                  .same_product = old.card_product_id == body.card_product_id});
  if (!binding) return binding;
  auto current = domain::ParseCardState(old.state);
  if (!current) return core::Fail(core::ErrorCode::kInternal, "stored card state is unknown");
  auto next = domain::CardStateAfterPut(*current, body.state);
  if (!next) return tl::unexpected(next.error());
  auto old_exp = vault::OpenExpiry(ctx.keys, old);
  if (!old_exp) return tl::unexpected(old_exp.error());
  auto old_name = vault::OpenName(ctx.keys, old);
  if (!old_name) return tl::unexpected(old_name.error());
  const std::string next_state(domain::WireName(*next));
  if (*old_exp == card.data.exp && SameName(*old_name, card.data.name) && old.state == next_state) {
    return {};  // the same registration again: 200, nothing changes
  }
  // A renewed card (new expiry or name) or an activation.
  d.write_card = true;
  d.activation = *current == domain::CardState::kInactive && *next == domain::CardState::kActive;
  old.state = next_state;
  old.exp = card.sealed.exp;
  old.name = card.sealed.name;
  old.updated_ms = now;
  return {};
}

// A new card for `card_id` (none live): its PAN must be neither retired nor live elsewhere.
core::Result<void> DecideCreation(store::WriteTx& tx, std::string_view issuer,
                                  std::string_view card_id, const domain::CardPutBody& body,
                                  const PreparedCard& card, std::int64_t now,
                                  store::CardRecord& c) {
  // The live card first: on PostgreSQL that read waits for a concurrent writer's delete
  // of the card holding this PAN, and the retirement check after it then sees the PAN
  // that delete retired (the other order would miss it and register the PAN again).
  auto other = tx.FindLiveCardByPan(issuer, card.pan_index);
  if (!other) return tl::unexpected(other.error());
  if (*other) {
    return core::Fail(core::ErrorCode::kPanAlreadyRegistered,
                      "this PAN is registered under another card of the issuer");
  }
  auto retired = tx.IsPanRetired(issuer, card.pan_index);
  if (!retired) return tl::unexpected(retired.error());
  if (*retired) {
    return core::Fail(core::ErrorCode::kPanRetired,
                      "this PAN belonged to a deleted card and cannot be registered again");
  }
  auto state = domain::CardStateAfterPut(std::nullopt, body.state);
  if (!state) return tl::unexpected(state.error());
  c = store::CardRecord{};
  c.issuer_id = issuer;
  c.card_id = card_id;
  c.consumer_id = body.consumer_id;
  c.card_product_id = card.product->id;
  c.network = domain::WireName(card.product->network);
  c.state = domain::WireName(*state);
  c.pan_index = card.pan_index;
  c.pan = card.sealed.pan;
  c.exp = card.sealed.exp;
  c.name = card.sealed.name;
  c.pan_last4 = card.data.PanLast4();
  c.click_to_pay_status = domain::WireName(domain::ClickToPayStatus::kNotEnrolled);
  c.created_ms = now;
  c.updated_ms = now;
  return {};
}

}  // namespace

core::Result<PreparedCard> PrepareCard(const RegistryContext& ctx, std::string_view issuer,
                                       std::string_view card_id, const domain::CardPutBody& body) {
  auto plaintext = jose::DecryptJwe(body.encrypted_data, ctx.jwe);
  if (!plaintext) {
    auto error = plaintext.error();
    error.field = "/encryptedData";
    return tl::unexpected(std::move(error));
  }
  auto data = domain::ParseCardData(*plaintext, ctx.now());
  if (!data) return tl::unexpected(data.error());
  auto product = domain::MatchCardProduct(ctx.products, issuer, body.card_product_id, data->pan);
  if (!product) return tl::unexpected(product.error());
  std::string pan_index = vault::PanIndex(ctx.keys, issuer, data->pan);
  PreparedCard out{std::move(*data), *product, std::move(pan_index), {}};
  out.sealed = vault::SealCard(ctx.keys, issuer, card_id, out.data);
  return out;
}

core::Result<CardRegistration> RegisterCard(const RegistryContext& ctx, store::WriteTx& tx,
                                            std::string_view issuer, std::string_view card_id,
                                            const domain::CardPutBody& body,
                                            const PreparedCard& card,
                                            std::string_view correlation_id, store::JobLane lane) {
  const std::int64_t now = core::UnixMillisNow();
  CardRegistration out;
  Decision d;

  // Decide: every refusal comes before the first write.
  auto consumer = tx.FindConsumer(issuer, body.consumer_id);
  if (!consumer) return tl::unexpected(consumer.error());
  if (*consumer) {
    auto state = domain::ParseConsumerState((*consumer)->state);
    if (!state) return core::Fail(core::ErrorCode::kInternal, "stored consumer state is unknown");
    if (auto ok = domain::CheckConsumerTakesCards(*state); !ok) return tl::unexpected(ok.error());
    d.consumer_state = *state;
  } else {
    // Implicit registration (§4.4): an ACTIVE consumer without personal information.
    d.create_consumer = true;
  }
  auto existing = tx.FindCard(issuer, card_id);
  if (!existing) return tl::unexpected(existing.error());
  const bool live =
      *existing && (*existing)->state != domain::WireName(domain::CardState::kDeleted);
  if (live) {
    out.card = **existing;
    if (auto ok = DecideReplacement(ctx, out.card, body, card, now, d); !ok) {
      return tl::unexpected(ok.error());
    }
  } else {
    if (auto ok = DecideCreation(tx, issuer, card_id, body, card, now, out.card); !ok) {
      return tl::unexpected(ok.error());
    }
    d.write_card = true;
    out.created = true;
  }
  if (!d.write_card) return out;

  // Auto-enrolment (docs/api-decisions.md): a card that becomes usable (created, or
  // activated) under an issuer with auto_enrolment starts its enrolment, queued behind
  // any other job of its consumer. Anything that would refuse an issuer's enrolment
  // (INACTIVE card or consumer, already enrolled or enrolling, opting out) just skips it.
  bool enrol = false;
  if ((out.created || d.activation) && ctx.Policy(issuer).auto_enrolment) {
    auto refusal = EnrolmentRefusal(tx, out.card, d.consumer_state, OtherJobs::kQueue);
    if (!refusal) return tl::unexpected(refusal.error());
    enrol = !refusal->has_value();
  }

  // Write.
  if (d.create_consumer) {
    const std::string active(domain::WireName(domain::ConsumerState::kActive));
    store::ConsumerRecord record{
        std::string(issuer), body.consumer_id, active, std::nullopt, now, now};
    if (auto add = tx.AddConsumer(record); !add) return tl::unexpected(add.error());
    auto op = MakeOperation({.type = domain::OperationType::kRegister,
                             .issuer = issuer,
                             .consumer_id = body.consumer_id});
    if (auto i = tx.InsertOperation(op); !i) return tl::unexpected(i.error());
  }
  if (out.created) {
    auto ref = tx.InsertCard(out.card);
    if (!ref) return tl::unexpected(ref.error());
    out.card.card_ref = *ref;
  } else if (auto u = tx.UpdateCard(out.card); !u) {
    return tl::unexpected(u.error());
  }
  auto registered = MakeOperation({.type = domain::OperationType::kRegister,
                                   .issuer = issuer,
                                   .card_id = std::string(card_id),
                                   .card_ref = out.card.card_ref,
                                   .consumer_id = body.consumer_id,
                                   .network = out.card.network});
  if (auto i = tx.InsertOperation(registered); !i) return tl::unexpected(i.error());
  if (!enrol) return out;

  store::OperationRecord op = MakeOperation({.type = domain::OperationType::kClickToPayEnrolment,
                                             .requestor_type = domain::RequestorType::kD1,
                                             .issuer = issuer,
                                             .complete = false});
  store::JobRecord job = ctx.JobFor(op, engine::kEnrolmentJob, correlation_id);
  job.lane = lane;
  if (auto s = StartEnrolment(ctx, tx, out.card, op, job, correlation_id); !s) {
    return tl::unexpected(s.error());
  }
  out.card.click_to_pay_status = domain::WireName(domain::ClickToPayStatus::kEnrolling);
  out.card.updated_ms = op.start_ms;
  out.enrolment = std::move(op);
  return out;
}

}  // namespace c2p::registry
