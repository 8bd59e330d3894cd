// POST …/cards/{cardId}/operations:suspend | :resume | :delete (spec/api.md §4.6): each a
// pure transition of domain/lifecycle, recorded as an operation (§5.8) in the same unit
// of work as the card's new state.
//
// An ENROLLED card's call cascades to its network (domain/network_effect.hpp), with a job
// written in the same unit: suspend / resume keep the operation PENDING until the network
// has suspended / resumed the digital card (engine/card_status_driver); delete opts the
// card out (engine/card_optout_driver): the card is OPTING_OUT, and a card
// CLICK_TO_PAY_OPTOUT operation with requestorType D1 ends with the DELETE operation.
// The registry state changes at once either way: the issuer's state is authoritative.

#include "api/idempotency.hpp"
#include "api/registry_params.hpp"
#include "api/registry_routes.hpp"
#include "api/registry_views.hpp"
#include "core/time_format.hpp"
#include "domain/lifecycle.hpp"
#include "domain/network_effect.hpp"
#include "engine/card_optout_driver.hpp"
#include "engine/card_status_driver.hpp"
#include "log/log.hpp"

namespace c2p::api {

namespace asio = boost::asio;
using http::Reply;
using http::Request;
using http::Verb;

namespace {

enum class Action { kSuspend, kResume, kDelete };

domain::OperationType TypeOf(Action a) {
  switch (a) {
    case Action::kSuspend:
      return domain::OperationType::kSuspend;
    case Action::kResume:
      return domain::OperationType::kResume;
    case Action::kDelete:
      return domain::OperationType::kDelete;
  }
  return domain::OperationType::kDelete;
}

std::string_view JobKind(Action a) {
  switch (a) {
    case Action::kSuspend:
      return engine::kCardSuspendJob;
    case Action::kResume:
      return engine::kCardResumeJob;
    case Action::kDelete:
      return engine::kCardDeleteJob;
  }
  return engine::kCardDeleteJob;
}

core::Result<domain::CardState> Transition(Action a, domain::CardState card,
                                           domain::ConsumerState consumer) {
  switch (a) {
    case Action::kSuspend:
      return domain::SuspendCard(card);
    case Action::kResume:
      return domain::ResumeCard(card, consumer);
    case Action::kDelete:
      return domain::DeleteCard(card);
  }
  return core::Fail(core::ErrorCode::kInternal, "unknown lifecycle action");
}

// What the unit of work decided: the issuer's operation, and whether a job was written.
struct Applied {
  store::OperationRecord operation;
  bool cascaded = false;
};

core::Result<void> Apply(store::WriteTx& tx, const RegistryContext& ctx, Action action,
                         std::string_view issuer, std::string_view card_id,
                         const domain::LifecycleBody& body, std::string_view correlation_id,
                         Applied& out) {
  auto locked = LockPathCard(tx, issuer, card_id);
  if (!locked) return tl::unexpected(locked.error());
  store::CardRecord& c = locked->card;
  auto card_state = domain::ParseCardState(c.state);
  auto consumer_state = domain::ParseConsumerState(locked->consumer.state);
  auto c2p = domain::ParseClickToPayStatus(c.click_to_pay_status);
  if (!card_state || !consumer_state || !c2p) {
    return core::Fail(core::ErrorCode::kInternal, "stored state is unknown");
  }
  auto next = Transition(action, *card_state, *consumer_state);
  if (!next) return tl::unexpected(next.error());
  auto effect = domain::LifecycleNetworkEffect(*c2p);
  if (!effect) return tl::unexpected(effect.error());
  const bool cascade = *effect == domain::NetworkEffect::kPropagate;
  if (cascade) {
    // [c2p] One Click to Pay operation at a time per consumer: the cascade needs the job.
    auto busy = tx.ConsumerHasJob(issuer, c.consumer_id);
    if (!busy) return tl::unexpected(busy.error());
    if (*busy) {
      return core::Fail(core::ErrorCode::kOperationInProgress,
                        "a Click to Pay operation is in progress on the card or its consumer; "
                        "retry once it has ended");
    }
  }
  c.state = domain::WireName(*next);
  c.updated_ms = core::UnixMillisNow();
  if (auto u = tx.UpdateCard(c); !u) return u;
  if (action == Action::kDelete) {
    if (auto r = tx.RetirePan(issuer, c.pan_index); !r) return r;
  }
  store::OperationRecord& result = out.operation;
  result = MakeOperation({.type = TypeOf(action),
                          .issuer = issuer,
                          .card_id = std::string(card_id),
                          .card_ref = c.card_ref,
                          .consumer_id = c.consumer_id,
                          .network = c.network,
                          .reason = body.reason,
                          .reason_code = body.reason_code,
                          .complete = !cascade});
  if (auto r = tx.InsertOperation(result); !r) return r;
  if (!cascade) return {};

  store::JobRecord job = ctx.JobFor(result, JobKind(action), correlation_id);
  if (action == Action::kDelete) {
    const store::OperationRecord optout =
        MakeOperation({.type = domain::OperationType::kClickToPayOptOut,
                       .requestor_type = domain::RequestorType::kD1,
                       .issuer = issuer,
                       .card_id = std::string(card_id),
                       .card_ref = c.card_ref,
                       .consumer_id = c.consumer_id,
                       .network = c.network,
                       .complete = false});
    if (auto r = ctx.InsertStartedByC2p(tx, optout, correlation_id); !r) return r;
    if (auto r =
            tx.SetCardClickToPay(c.card_ref, domain::WireName(domain::ClickToPayStatus::kOptingOut),
                                 result.start_ms, std::nullopt);
        !r) {
      return r;
    }
    job.progress = engine::DeleteCascadeProgress(optout.operation_id);
  }
  auto inserted = tx.InsertJob(job);
  if (!inserted) return tl::unexpected(inserted.error());
  out.cascaded = true;
  return {};
}

asio::awaitable<Reply> Lifecycle(RegistryContext& ctx, Action action, Request& request) {
  const std::string& issuer = request.principal();
  const std::string card_id(request.param("cardId"));
  if (auto ok = CheckPathId(PathId::kCardId, card_id); !ok) co_return http::ErrorReply(ok.error());
  auto body = ReadOptionalLifecycleBody(request);
  if (!body) co_return http::ErrorReply(body.error());
  Applied applied;
  auto answered = co_await WriteAnswered(
      ctx.store, request,
      [&](store::WriteTx& tx) {
        return Apply(tx, ctx, action, issuer, card_id, *body, request.correlation_id(), applied);
      },
      [&] { return OperationResult(applied.operation); });
  if (!answered) co_return http::ErrorReply(answered.error());
  if (applied.cascaded) {
    ctx.wake_engine();
    ctx.notifications->Wake();
  }
  const store::OperationRecord& result = applied.operation;
  log::Info("registry.card_lifecycle", {{"correlation_id", request.correlation_id()},
                                        {"issuer", issuer},
                                        {"card_id", card_id},
                                        {"operation", result.operation},
                                        {"operation_id", result.operation_id}});
  co_return std::move(*answered);
}

}  // namespace

void AddCardLifecycleRoutes(http::Router& router, RegistryContext& ctx) {
  const std::string base = "/banking/v2/issuers/{issuerId}/cards/{cardId}/operations:";
  for (const auto& [verb, action] :
       {std::pair{"suspend", Action::kSuspend}, std::pair{"resume", Action::kResume},
        std::pair{"delete", Action::kDelete}}) {
    const Action a = action;
    router.Add(Verb::post, base + verb,
               [&ctx, a](Request& r) -> asio::awaitable<Reply> { return Lifecycle(ctx, a, r); },
               {.body = http::BodyKind::kRaw, .bearer = true});
  }
}

}  // namespace c2p::api
