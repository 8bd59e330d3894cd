// POST /banking/v1/issuers/{issuerId}/consumers/{consumerId}/operations:clickToPayOptOut
// and …:clickToPayUpdate (spec/api.md §5.6, §5.4). Like enrolment, the refusals are
// decided inside the unit of work, and the operations, the cards' new status and the job
// commit together before the 202.

#include "api/click_to_pay_routes.hpp"
#include "api/idempotency.hpp"
#include "api/registry_params.hpp"
#include "api/registry_routes.hpp"
#include "api/registry_views.hpp"
#include "domain/states.hpp"
#include "engine/consumer_update_driver.hpp"
#include "http/middleware.hpp"
#include "http/request.hpp"
#include "log/log.hpp"
#include "registry/consumer_optout.hpp"
#include "vault/sealed_fields.hpp"

namespace c2p::api {

using registry::InsertOptOutJob;
using registry::NotEnrolled;
using registry::OperationInProgress;
using registry::PlanCardOptOut;
using registry::ReadConsumerClickToPay;

namespace asio = boost::asio;
using http::Reply;
using http::Request;
using http::Verb;

namespace {

constexpr std::string_view kConsumerOps =
    "/banking/v1/issuers/{issuerId}/consumers/{consumerId}/operations:";

core::Result<store::ConsumerRecord> FindConsumer(store::WriteTx& tx, std::string_view issuer,
                                                 std::string_view consumer_id) {
  auto consumer = tx.FindConsumer(issuer, consumer_id);
  if (!consumer) return tl::unexpected(consumer.error());
  if (!*consumer) return core::Fail(core::ErrorCode::kConsumerNotFound, "no such consumer");
  return std::move(**consumer);
}

// Order of refusals: unknown consumer 404; a job on the consumer or a card ENROLLING /
// OPTING_OUT 409 OPERATION_IN_PROGRESS (checked before NOT_ENROLLED: a first enrolment
// under way has no profile yet, and retrying later is the useful answer); no profile in
// any network 409 NOT_ENROLLED. A DELETED consumer whose profiles are still recorded (its
// cascade failed) may be opted out again: that is how the issuer finishes the cleanup.
asio::awaitable<Reply> OptOut(RegistryContext& ctx, Request& request) {
  const std::string& issuer = request.principal();
  const std::string consumer_id(request.param("consumerId"));
  if (auto ok = CheckPathId(PathId::kConsumerId, consumer_id); !ok) {
    co_return http::ErrorReply(ok.error());
  }
  auto body = ReadOptionalLifecycleBody(request);
  if (!body) co_return http::ErrorReply(body.error());

  store::OperationRecord op = MakeOperation({.type = domain::OperationType::kClickToPayOptOut,
                                             .issuer = issuer,
                                             .consumer_id = consumer_id,
                                             .reason = body->reason,
                                             .reason_code = body->reason_code,
                                             .complete = false});
  std::size_t cards = 0;
  auto answered = co_await WriteAnswered(
      ctx.store, request,
      [&](store::WriteTx& tx) -> core::Result<void> {
        auto consumer = FindConsumer(tx, issuer, consumer_id);
        if (!consumer) return tl::unexpected(consumer.error());
        auto c2p = ReadConsumerClickToPay(tx, issuer, consumer_id);
        if (!c2p) return tl::unexpected(c2p.error());
        if (c2p->busy) return tl::unexpected(OperationInProgress());
        if (c2p->profiles.empty()) return tl::unexpected(NotEnrolled());
        engine::OptOutPlan plan;
        plan.networks = c2p->profiles;
        auto all = tx.ConsumerCards(issuer, consumer_id);
        if (!all) return tl::unexpected(all.error());
        if (auto i = tx.InsertOperation(op); !i) return i;
        for (auto& card : *all) {
          if (card.click_to_pay_status != domain::WireName(domain::ClickToPayStatus::kEnrolled)) {
            continue;
          }
          if (auto p = PlanCardOptOut(tx, ctx, request.correlation_id(), card, plan); !p) return p;
          if (auto s = tx.SetCardClickToPay(card.card_ref, card.click_to_pay_status, op.start_ms,
                                            std::nullopt);
              !s) {
            return s;
          }
        }
        cards = plan.cards.size();
        return InsertOptOutJob(tx, ctx, op, plan, request.correlation_id());
      },
      [&] { return OperationResult(op); });
  if (!answered) co_return http::ErrorReply(answered.error());
  ctx.wake_engine();
  if (cards > 0) ctx.notifications->Wake();  // the cards' D1 operations began
  log::Info("c2p.consumer_optout_accepted", {{"correlation_id", request.correlation_id()},
                                             {"issuer", issuer},
                                             {"consumer_id", consumer_id},
                                             {"operation_id", op.operation_id},
                                             {"cards", cards}});
  co_return std::move(*answered);
}

core::Result<domain::ConsumerUpdateBody> ReadUpdateBody(const Request& request) {
  auto json = http::ParseJsonBody(request);
  if (!json) return tl::unexpected(json.error());
  return domain::ReadConsumerUpdateBody(*json);
}

// Order of refusals: 404; a DELETED consumer 403 INVALID_STATE; 409 OPERATION_IN_PROGRESS;
// 409 NOT_ENROLLED. The body's data is sealed with the job and used for this operation
// only: the consumer's stored personal information is the registry's (§4.1), unchanged.
asio::awaitable<Reply> Update(RegistryContext& ctx, Request& request) {
  const std::string& issuer = request.principal();
  const std::string consumer_id(request.param("consumerId"));
  if (auto ok = CheckPathId(PathId::kConsumerId, consumer_id); !ok) {
    co_return http::ErrorReply(ok.error());
  }
  auto body = ReadUpdateBody(request);
  if (!body) co_return http::ErrorReply(body.error());

  store::OperationRecord op = MakeOperation({.type = domain::OperationType::kClickToPayUpdate,
                                             .issuer = issuer,
                                             .consumer_id = consumer_id,
                                             .reason = body->reason.reason,
                                             .reason_code = body->reason.reason_code,
                                             .complete = false});
  store::JobRecord job = ctx.JobFor(op, engine::kConsumerUpdateJob, request.correlation_id());
  job.input = vault::SealEnrolmentData(
      ctx.keys, issuer, op.operation_id,
      domain::EnrolmentData{std::nullopt, body->consumer_info, body->billing_address});

  auto answered = co_await WriteAnswered(
      ctx.store, request,
      [&](store::WriteTx& tx) -> core::Result<void> {
        auto consumer = FindConsumer(tx, issuer, consumer_id);
        if (!consumer) return tl::unexpected(consumer.error());
        if (consumer->state == domain::WireName(domain::ConsumerState::kDeleted)) {
          return core::Fail(core::ErrorCode::kInvalidState, "the consumer is deleted");
        }
        auto c2p = ReadConsumerClickToPay(tx, issuer, consumer_id);
        if (!c2p) return tl::unexpected(c2p.error());
        if (c2p->busy) return tl::unexpected(OperationInProgress());
        if (c2p->profiles.empty()) return tl::unexpected(NotEnrolled());
        if (auto i = tx.InsertOperation(op); !i) return i;
        auto inserted = tx.InsertJob(job);
        if (!inserted) return tl::unexpected(inserted.error());
        return {};
      },
      [&] { return OperationResult(op); });
  if (!answered) co_return http::ErrorReply(answered.error());
  ctx.wake_engine();
  log::Info("c2p.consumer_update_accepted", {{"correlation_id", request.correlation_id()},
                                             {"issuer", issuer},
                                             {"consumer_id", consumer_id},
                                             {"operation_id", op.operation_id}});
  co_return std::move(*answered);
}

}  // namespace

void AddConsumerClickToPayRoutes(http::Router& router, RegistryContext& ctx) {
  const std::string base(kConsumerOps);
  router.Add(Verb::post, base + "clickToPayOptOut",
             [&ctx](Request& r) -> asio::awaitable<Reply> { return OptOut(ctx, r); },
             {.body = http::BodyKind::kRaw, .bearer = true});
  router.Add(Verb::post, base + "clickToPayUpdate",
             [&ctx](Request& r) -> asio::awaitable<Reply> { return Update(ctx, r); },
             {.body = http::BodyKind::kRaw, .bearer = true});
}

}  // namespace c2p::api
