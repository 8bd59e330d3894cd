// PUT/GET …/consumers/{consumerId}, GET …/consumers/{consumerId}/cards and
// POST …/consumers/{consumerId}/operations:delete (spec/api.md §4.1-§4.3, §4.6).

#include <boost/json/array.hpp>

#include "api/idempotency.hpp"
#include "api/registry_params.hpp"
#include "api/registry_routes.hpp"
#include "api/registry_views.hpp"
#include "core/time_format.hpp"
#include "domain/lifecycle.hpp"
#include "domain/network_effect.hpp"
#include "http/middleware.hpp"
#include "log/log.hpp"
#include "registry/consumer_optout.hpp"
#include "registry/consumer_registration.hpp"
#include "vault/sealed_fields.hpp"

namespace c2p::api {

using registry::InsertOptOutJob;
using registry::OperationInProgress;
using registry::PlanCardOptOut;
using registry::ReadConsumerClickToPay;

namespace asio = boost::asio;
namespace json = boost::json;
using http::Reply;
using http::Request;
using http::Status;
using http::Verb;

namespace {

constexpr std::string_view kConsumerPath = "/banking/v2/issuers/{issuerId}/consumers/{consumerId}";

core::Error ConsumerNotFound() {
  return core::Error::Make(core::ErrorCode::kConsumerNotFound, "no such consumer");
}

// The PUT of §4.1: the unit of work is the registry's (registry/consumer_registration.hpp),
// shared with the batch files.
asio::awaitable<Reply> PutConsumer(RegistryContext& ctx, Request& request) {
  const std::string& issuer = request.principal();
  const std::string consumer_id(request.param("consumerId"));
  if (auto ok = CheckPathId(PathId::kConsumerId, consumer_id); !ok) {
    co_return http::ErrorReply(ok.error());
  }
  auto body = domain::ReadConsumerPutBody(request.json());
  if (!body) co_return http::ErrorReply(body.error());
  auto prepared = registry::PrepareConsumer(ctx, issuer, consumer_id, std::move(*body));
  if (!prepared) co_return http::ErrorReply(prepared.error());

  registry::ConsumerRegistration out;
  auto answered = co_await WriteAnswered(
      ctx.store, request,
      [&](store::WriteTx& tx) -> core::Result<void> {
        auto r = registry::RegisterConsumer(ctx, tx, *prepared, request.correlation_id());
        if (!r) return tl::unexpected(r.error());
        out = std::move(*r);
        return {};
      },
      [&] {
        json::object reply{{"consumerId", consumer_id}, {"state", out.state}};
        if (out.update) {
          reply["clickToPay"] = json::object{{"operationId", out.update->operation_id},
                                             {"status", out.update->status}};
        }
        return http::Json(out.created ? Status::created : Status::ok, reply);
      });
  if (!answered) co_return http::ErrorReply(answered.error());
  ctx.AfterCommit(out.update.has_value());
  if (out.created) {
    log::Info("registry.consumer_registered", {{"correlation_id", request.correlation_id()},
                                               {"issuer", issuer},
                                               {"consumer_id", consumer_id}});
  }
  if (out.update) {
    log::Info("registry.consumer_update_propagated", {{"correlation_id", request.correlation_id()},
                                                      {"issuer", issuer},
                                                      {"consumer_id", consumer_id},
                                                      {"operation_id", out.update->operation_id}});
  }
  co_return std::move(*answered);
}

struct ConsumerWithCards {
  store::ConsumerRecord consumer;
  std::vector<store::CardRecord> cards;
};

// The consumer the path names, with its cards (both GETs read the same), or the error
// to answer: a malformed id, an unknown consumer, a store failure.
store::Reading<ConsumerWithCards> LoadConsumerWithCards(RegistryContext& ctx,
                                                        const Request& request) {
  const std::string& issuer = request.principal();
  const std::string_view consumer_id = request.param("consumerId");
  if (auto ok = CheckPathId(PathId::kConsumerId, consumer_id); !ok) {
    co_return tl::unexpected(ok.error());
  }
  auto consumer = co_await ctx.store.GetConsumer(issuer, consumer_id);
  if (!consumer) co_return tl::unexpected(consumer.error());
  if (!*consumer) co_return tl::unexpected(ConsumerNotFound());
  auto cards = co_await ctx.store.GetConsumerCards(issuer, consumer_id);
  if (!cards) co_return tl::unexpected(cards.error());
  co_return ConsumerWithCards{std::move(**consumer), std::move(*cards)};
}

asio::awaitable<Reply> GetConsumer(RegistryContext& ctx, Request& request) {
  auto found = co_await LoadConsumerWithCards(ctx, request);
  if (!found) co_return http::ErrorReply(found.error());
  const auto& consumer = found->consumer;
  json::object out{{"consumerId", consumer.consumer_id}, {"state", consumer.state}};
  if (consumer.personal_information) {
    auto info = vault::OpenPersonalInformation(ctx.keys, request.principal(), consumer.consumer_id,
                                               *consumer.personal_information);
    if (!info) co_return http::ErrorReply(info.error());
    out["personalInformation"] = domain::ToJson(*info);
  }
  json::array ids;
  for (const auto& card : found->cards) ids.emplace_back(card.card_id);
  out["cardIds"] = std::move(ids);
  co_return http::Json(Status::ok, out);
}

asio::awaitable<Reply> GetConsumerCards(RegistryContext& ctx, Request& request) {
  auto found = co_await LoadConsumerWithCards(ctx, request);
  if (!found) co_return http::ErrorReply(found.error());
  json::array views;
  for (const auto& card : found->cards) {
    auto exp = vault::OpenExpiry(ctx.keys, card);
    if (!exp) co_return http::ErrorReply(exp.error());
    views.emplace_back(CardView(card, *exp));
  }
  co_return http::Json(Status::ok, {{"cards", std::move(views)}});
}

// Delete cascades: every live card of the consumer is deleted (a D1 operation each, its
// PAN retired), then the consumer, whose personal information is dropped [c2p: delete is
// final, so nothing is kept that could only serve an undelete]. A consumer with a Click to
// Pay profile is also opted out (§4.6, consumer_optout.hpp): a D1 consumer operation
// CLICK_TO_PAY_OPTOUT drives it, each ENROLLED card gets a D1 CLICK_TO_PAY_OPTOUT besides
// its DELETE, and the issuer's DELETE, those card operations and the opt-out all end
// together when every network has deleted the profile. A Click to Pay operation in progress
// on the consumer refuses the delete (409 OPERATION_IN_PROGRESS [c2p]).
asio::awaitable<Reply> DeleteConsumer(RegistryContext& ctx, Request& request) {
  const std::string& issuer = request.principal();
  const std::string consumer_id(request.param("consumerId"));
  if (auto ok = CheckPathId(PathId::kConsumerId, consumer_id); !ok) {
    co_return http::ErrorReply(ok.error());
  }
  auto body = ReadOptionalLifecycleBody(request);
  if (!body) co_return http::ErrorReply(body.error());

  store::OperationRecord result;
  std::optional<store::OperationRecord> optout;
  auto answered = co_await WriteAnswered(
      ctx.store, request,
      [&](store::WriteTx& tx) -> core::Result<void> {
        auto consumer = tx.FindConsumer(issuer, consumer_id);
        if (!consumer) return tl::unexpected(consumer.error());
        if (!*consumer) return tl::unexpected(ConsumerNotFound());
        auto state = domain::ParseConsumerState((*consumer)->state);
        if (!state)
          return core::Fail(core::ErrorCode::kInternal, "stored consumer state is unknown");
        if (auto next = domain::DeleteConsumer(*state); !next) return tl::unexpected(next.error());
        auto c2p = ReadConsumerClickToPay(tx, issuer, consumer_id);
        if (!c2p) return tl::unexpected(c2p.error());
        if (c2p->busy) return tl::unexpected(OperationInProgress());
        const bool cascade = !c2p->profiles.empty();
        engine::OptOutPlan plan;
        plan.networks = c2p->profiles;
        auto cards = tx.ConsumerCards(issuer, consumer_id);
        if (!cards) return tl::unexpected(cards.error());
        bool all_complete = true;
        const std::int64_t now = core::UnixMillisNow();
        for (auto& card : *cards) {
          if (card.state == domain::WireName(domain::CardState::kDeleted)) continue;
          auto status = domain::ParseClickToPayStatus(card.click_to_pay_status);
          if (!status)
            return core::Fail(core::ErrorCode::kInternal, "stored card status is unknown");
          auto effect = domain::LifecycleNetworkEffect(*status);
          if (!effect) return tl::unexpected(effect.error());
          const bool complete = *effect == domain::NetworkEffect::kNone;
          all_complete = all_complete && complete;
          card.state = domain::WireName(domain::CardState::kDeleted);
          card.updated_ms = now;
          if (auto r = tx.RetirePan(issuer, card.pan_index); !r) return r;
          auto op = MakeOperation({.type = domain::OperationType::kDelete,
                                   .requestor_type = domain::RequestorType::kD1,
                                   .issuer = issuer,
                                   .card_id = card.card_id,
                                   .card_ref = card.card_ref,
                                   .consumer_id = consumer_id,
                                   .network = card.network,
                                   .complete = complete});
          if (auto i = ctx.InsertStartedByC2p(tx, op, request.correlation_id()); !i) return i;
          if (cascade && !complete) {
            if (auto p =
                    PlanCardOptOut(tx, ctx, request.correlation_id(), card, plan, op.operation_id);
                !p) {
              return p;
            }
          }
          if (auto u = tx.UpdateCard(card); !u) return u;
        }
        store::ConsumerRecord record = **consumer;
        record.state = domain::WireName(domain::ConsumerState::kDeleted);
        record.personal_information.reset();
        record.updated_ms = now;
        if (auto put = tx.PutConsumer(record); !put) return put;
        result = MakeOperation({.type = domain::OperationType::kDelete,
                                .issuer = issuer,
                                .consumer_id = consumer_id,
                                .reason = body->reason,
                                .reason_code = body->reason_code,
                                .complete = all_complete && !cascade});
        if (auto i = tx.InsertOperation(result); !i) return i;
        if (!cascade) return {};
        optout = MakeOperation({.type = domain::OperationType::kClickToPayOptOut,
                                .requestor_type = domain::RequestorType::kD1,
                                .issuer = issuer,
                                .consumer_id = consumer_id,
                                .complete = false});
        if (auto i = ctx.InsertStartedByC2p(tx, *optout, request.correlation_id()); !i) return i;
        plan.related_operations.push_back(result.operation_id);
        return InsertOptOutJob(tx, ctx, *optout, plan, request.correlation_id());
      },
      [&] { return OperationResult(result); });
  if (!answered) co_return http::ErrorReply(answered.error());
  if (optout || result.status == "PENDING") {
    ctx.wake_engine();
    ctx.notifications->Wake();  // D1 operations began
  }
  log::Info("registry.consumer_deleted",
            {{"correlation_id", request.correlation_id()},
             {"issuer", issuer},
             {"consumer_id", consumer_id},
             {"operation_id", result.operation_id},
             {"optout_operation_id", optout ? optout->operation_id : std::string()}});
  co_return std::move(*answered);
}

}  // namespace

core::Result<domain::LifecycleBody> ReadOptionalLifecycleBody(const Request& request) {
  if (request.body().empty()) return domain::LifecycleBody{};
  auto json = http::ParseJsonBody(request);
  if (!json) return tl::unexpected(json.error());
  return domain::ReadLifecycleBody(*json);
}

void AddConsumerRoutes(http::Router& router, RegistryContext& ctx) {
  const std::string path(kConsumerPath);
  router.Add(Verb::put, path,
             [&ctx](Request& r) -> asio::awaitable<Reply> { return PutConsumer(ctx, r); },
             {.body = http::BodyKind::kJson, .bearer = true});
  router.Add(Verb::get, path,
             [&ctx](Request& r) -> asio::awaitable<Reply> { return GetConsumer(ctx, r); },
             {.bearer = true});
  router.Add(Verb::get, path + "/cards",
             [&ctx](Request& r) -> asio::awaitable<Reply> { return GetConsumerCards(ctx, r); },
             {.bearer = true});
  router.Add(Verb::post, path + "/operations:delete",
             [&ctx](Request& r) -> asio::awaitable<Reply> { return DeleteConsumer(ctx, r); },
             {.body = http::BodyKind::kRaw, .bearer = true});
}

}  // namespace c2p::api
