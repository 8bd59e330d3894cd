// POST …/cards/{cardId}/operations:suspend | :resume | :delete (spec/api.md §4.6): each a
// pure transition of domain/lifecycle, recorded as an operation (§5.8) in the same unit
// of work as the card's new state.

#include "api/registry_params.hpp"
#include "api/registry_routes.hpp"
#include "api/registry_views.hpp"
#include "domain/lifecycle.hpp"
#include "domain/network_effect.hpp"
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

core::Result<void> Apply(store::WriteTx& tx, Action action, std::string_view issuer,
                         std::string_view card_id, const domain::LifecycleBody& body,
                         store::OperationRecord& result) {
  auto card = tx.FindCard(issuer, card_id);
  if (!card) return tl::unexpected(card.error());
  if (!*card) return core::Fail(core::ErrorCode::kCardNotFound, "no such card");
  store::CardRecord& c = **card;
  auto consumer = tx.FindConsumer(issuer, c.consumer_id);
  if (!consumer) return tl::unexpected(consumer.error());
  if (!*consumer) return core::Fail(core::ErrorCode::kInternal, "card without its consumer");
  auto card_state = domain::ParseCardState(c.state);
  auto consumer_state = domain::ParseConsumerState((*consumer)->state);
  auto c2p = domain::ParseClickToPayStatus(c.click_to_pay_status);
  if (!card_state || !consumer_state || !c2p) {
    return core::Fail(core::ErrorCode::kInternal, "stored state is unknown");
  }
  auto next = Transition(action, *card_state, *consumer_state);
  if (!next) return tl::unexpected(next.error());
  auto effect = domain::LifecycleNetworkEffect(*c2p);
  if (!effect) return tl::unexpected(effect.error());
  c.state = domain::WireName(*next);
  c.updated_ms = NowMillis();
  if (auto u = tx.UpdateCard(c); !u) return u;
  if (action == Action::kDelete) {
    if (auto r = tx.RetirePan(issuer, c.pan_index); !r) return r;
  }
  result = MakeOperation({.type = TypeOf(action),
                          .issuer = issuer,
                          .card_id = std::string(card_id),
                          .card_ref = c.card_ref,
                          .consumer_id = c.consumer_id,
                          .network = c.network,
                          .reason = body.reason,
                          .reason_code = body.reason_code,
                          .complete = *effect == domain::NetworkEffect::kNone});
  return tx.InsertOperation(result);
}

asio::awaitable<Reply> Lifecycle(RegistryContext& ctx, Action action, Request& request) {
  const std::string& issuer = request.principal();
  const std::string card_id(request.param("cardId"));
  if (auto ok = CheckPathId(PathId::kCardId, card_id); !ok) co_return http::ErrorReply(ok.error());
  auto body = ReadOptionalLifecycleBody(request);
  if (!body) co_return http::ErrorReply(body.error());
  store::OperationRecord result;
  auto written = co_await ctx.store.Write(
      [&](store::WriteTx& tx) { return Apply(tx, action, issuer, card_id, *body, result); });
  if (!written) co_return http::ErrorReply(written.error());
  log::Info("registry.card_lifecycle", {{"correlation_id", request.correlation_id()},
                                        {"issuer", issuer},
                                        {"card_id", card_id},
                                        {"operation", result.operation},
                                        {"operation_id", result.operation_id}});
  co_return OperationResult(result);
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
