// POST /banking/v1/issuers/{issuerId}/cards/{cardId}/operations:clickToPayEnrolment
// (spec/api.md §5.2). The synchronous refusals are decided inside the unit of work, where
// nothing else can write: the operation, the card's ENROLLING status and the job commit
// together (one group commit) before the 202, so "acknowledged" means "will be driven".

#include "api/click_to_pay_routes.hpp"
#include "api/idempotency.hpp"
#include "api/registry_params.hpp"
#include "api/registry_views.hpp"
#include "domain/states.hpp"
#include "engine/enrol_driver.hpp"
#include "http/middleware.hpp"
#include "http/request.hpp"
#include "log/log.hpp"
#include "registry/card_enrolment.hpp"
#include "vault/sealed_fields.hpp"

namespace c2p::api {

namespace asio = boost::asio;
using http::Reply;
using http::Request;
using http::Verb;

namespace {

core::Result<domain::EnrolBody> ReadOptionalEnrolBody(const Request& request) {
  if (request.body().empty()) return domain::EnrolBody{};
  auto json = http::ParseJsonBody(request);
  if (!json) return tl::unexpected(json.error());
  return domain::ReadEnrolBody(*json);
}

bool HasData(const domain::EnrolmentData& d) {
  return d.name || d.consumer_info || d.billing_address;
}

asio::awaitable<Reply> Enrol(RegistryContext& ctx, Request& request) {
  const std::string& issuer = request.principal();
  const std::string card_id(request.param("cardId"));
  if (auto ok = CheckPathId(PathId::kCardId, card_id); !ok) co_return http::ErrorReply(ok.error());
  auto body = ReadOptionalEnrolBody(request);
  if (!body) co_return http::ErrorReply(body.error());

  // Built before the unit of work so the writer thread only writes.
  store::OperationRecord op = MakeOperation({.type = domain::OperationType::kClickToPayEnrolment,
                                             .issuer = issuer,
                                             .card_id = card_id,
                                             .reason = body->reason.reason,
                                             .reason_code = body->reason.reason_code,
                                             .complete = false});
  store::JobRecord job = ctx.JobFor(op, engine::kEnrolmentJob, request.correlation_id());
  if (HasData(body->data)) {
    job.input = vault::SealEnrolmentData(ctx.keys, issuer, op.operation_id, body->data);
  }

  auto answered = co_await WriteAnswered(
      ctx.store, request,
      [&](store::WriteTx& tx) -> core::Result<void> {
        auto locked = LockPathCard(tx, issuer, card_id);
        if (!locked) return tl::unexpected(locked.error());
        const store::CardRecord& c = locked->card;
        auto consumer_state = domain::ParseConsumerState(locked->consumer.state);
        if (!consumer_state)
          return core::Fail(core::ErrorCode::kInternal, "stored state is unknown");
        auto refusal =
            registry::EnrolmentRefusal(tx, c, *consumer_state, registry::OtherJobs::kRefuse);
        if (!refusal) return tl::unexpected(refusal.error());
        if (*refusal) return tl::unexpected(std::move(**refusal));
        return registry::StartEnrolment(ctx, tx, c, op, job, request.correlation_id());
      },
      [&] { return OperationResult(op); });
  if (!answered) co_return http::ErrorReply(answered.error());
  ctx.AfterCommit(true);
  log::Info("c2p.enrolment_accepted", {{"correlation_id", request.correlation_id()},
                                       {"issuer", issuer},
                                       {"card_id", card_id},
                                       {"operation_id", op.operation_id}});
  co_return std::move(*answered);
}

}  // namespace

void AddEnrolRoutes(http::Router& router, RegistryContext& ctx) {
  router.Add(Verb::post,
             "/banking/v1/issuers/{issuerId}/cards/{cardId}/operations:clickToPayEnrolment",
             [&ctx](Request& r) -> asio::awaitable<Reply> { return Enrol(ctx, r); },
             {.body = http::BodyKind::kRaw, .bearer = true});
}

}  // namespace c2p::api
