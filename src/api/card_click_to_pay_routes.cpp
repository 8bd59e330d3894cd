// POST /banking/v1/issuers/{issuerId}/cards/{cardId}/operations:clickToPayOptOut (spec/api.md
// §5.5) and …:clickToPayUpdate (§5.3). Like the enrolment (enrol_routes.cpp), the refusals
// are decided inside the unit of work, and the operation, the card's new status and the job
// commit together before the 202.

#include "api/click_to_pay_routes.hpp"
#include "api/idempotency.hpp"
#include "api/registry_params.hpp"
#include "api/registry_views.hpp"
#include "domain/card_click_to_pay.hpp"
#include "domain/states.hpp"
#include "engine/card_optout_driver.hpp"
#include "engine/card_update_driver.hpp"
#include "http/middleware.hpp"
#include "http/request.hpp"
#include "log/log.hpp"
#include "vault/sealed_fields.hpp"

namespace c2p::api {

namespace asio = boost::asio;
using http::Reply;
using http::Request;
using http::Verb;

namespace {

// The card may change (an ENROLLED card, no job on its consumer).
core::Result<void> CheckChangeable(store::WriteTx& tx, const store::CardRecord& card) {
  auto status = domain::ParseClickToPayStatus(card.click_to_pay_status);
  if (!status) return core::Fail(core::ErrorCode::kInternal, "stored state is unknown");
  if (auto ok = domain::CheckCardClickToPayChange(*status); !ok) return ok;
  auto busy = tx.ConsumerHasJob(card.issuer_id, card.consumer_id);
  if (!busy) return tl::unexpected(busy.error());
  if (*busy) {
    return core::Fail(core::ErrorCode::kOperationInProgress,
                      "a Click to Pay operation is in progress on the card or its consumer");
  }
  return {};
}

struct CardChange {
  domain::OperationType type;
  std::string_view job_kind;
  // The card's Click to Pay status while the job runs; nullopt keeps it (ENROLLED).
  std::optional<domain::ClickToPayStatus> status_while_running;
  // An update of a deleted card is refused; an opt-out of one is allowed (it is how the
  // issuer retries a delete cascade whose opt-out failed).
  bool refuse_deleted = false;
  const char* log_event;
};

asio::awaitable<Reply> StartChange(RegistryContext& ctx, Request& request, const CardChange& change,
                                   const domain::LifecycleBody& reason,
                                   const std::optional<domain::EnrolmentData>& data) {
  const std::string& issuer = request.principal();
  const std::string card_id(request.param("cardId"));
  store::OperationRecord op = MakeOperation({.type = change.type,
                                             .issuer = issuer,
                                             .card_id = card_id,
                                             .reason = reason.reason,
                                             .reason_code = reason.reason_code,
                                             .complete = false});
  store::JobRecord job = ctx.JobFor(op, change.job_kind, request.correlation_id());
  // Sealed off the writer thread; bound to the issuer and this operation.
  if (data) job.input = vault::SealEnrolmentData(ctx.keys, issuer, op.operation_id, *data);

  auto answered = co_await WriteAnswered(
      ctx.store, request,
      [&](store::WriteTx& tx) -> core::Result<void> {
        // The consumer locked too: its job check below holds until this unit commits.
        auto locked = LockPathCard(tx, issuer, card_id);
        if (!locked) return tl::unexpected(locked.error());
        const store::CardRecord& c = locked->card;
        if (change.refuse_deleted && c.state == domain::WireName(domain::CardState::kDeleted)) {
          return core::Fail(core::ErrorCode::kInvalidState, "the card is DELETED");
        }
        if (auto ok = CheckChangeable(tx, c); !ok) return ok;
        op.card_ref = c.card_ref;
        op.consumer_id = c.consumer_id;
        op.network = c.network;
        job.card_ref = c.card_ref;
        job.consumer_id = c.consumer_id;
        if (auto r = tx.InsertOperation(op); !r) return r;
        if (change.status_while_running) {
          if (auto r =
                  tx.SetCardClickToPay(c.card_ref, domain::WireName(*change.status_while_running),
                                       op.start_ms, std::nullopt);
              !r) {
            return r;
          }
        }
        auto inserted = tx.InsertJob(job);
        if (!inserted) return tl::unexpected(inserted.error());
        return {};
      },
      [&] { return OperationResult(op); });
  if (!answered) co_return http::ErrorReply(answered.error());
  ctx.wake_engine();
  log::Info(change.log_event, {{"correlation_id", request.correlation_id()},
                               {"issuer", issuer},
                               {"card_id", card_id},
                               {"operation_id", op.operation_id}});
  co_return std::move(*answered);
}

// The opt-out's body is optional: {reason?, reasonCode?}.
core::Result<domain::LifecycleBody> ReadOptionalReason(const Request& request) {
  if (request.body().empty()) return domain::LifecycleBody{};
  auto json = http::ParseJsonBody(request);
  if (!json) return tl::unexpected(json.error());
  return domain::ReadLifecycleBody(*json);
}

asio::awaitable<Reply> OptOut(RegistryContext& ctx, Request& request) {
  if (auto ok = CheckPathId(PathId::kCardId, request.param("cardId")); !ok) {
    co_return http::ErrorReply(ok.error());
  }
  auto body = ReadOptionalReason(request);
  if (!body) co_return http::ErrorReply(body.error());
  static constexpr CardChange kOptOut{.type = domain::OperationType::kClickToPayOptOut,
                                      .job_kind = engine::kCardOptOutJob,
                                      .status_while_running = domain::ClickToPayStatus::kOptingOut,
                                      .refuse_deleted = false,
                                      .log_event = "c2p.optout_accepted"};
  co_return co_await StartChange(ctx, request, kOptOut, *body, std::nullopt);
}

asio::awaitable<Reply> Update(RegistryContext& ctx, Request& request) {
  if (auto ok = CheckPathId(PathId::kCardId, request.param("cardId")); !ok) {
    co_return http::ErrorReply(ok.error());
  }
  // The body is required; an empty one reads as {} and is refused for naming nothing.
  core::Result<boost::json::value> json = boost::json::value(boost::json::object{});
  if (!request.body().empty()) json = http::ParseJsonBody(request);
  if (!json) co_return http::ErrorReply(json.error());
  auto body = domain::ReadCardUpdateBody(*json);
  if (!body) co_return http::ErrorReply(body.error());
  static constexpr CardChange kUpdate{.type = domain::OperationType::kClickToPayUpdate,
                                      .job_kind = engine::kCardUpdateJob,
                                      .status_while_running = std::nullopt,
                                      .refuse_deleted = true,
                                      .log_event = "c2p.card_update_accepted"};
  co_return co_await StartChange(ctx, request, kUpdate, body->reason, body->data);
}

}  // namespace

void AddCardClickToPayRoutes(http::Router& router, RegistryContext& ctx) {
  const std::string base = "/banking/v1/issuers/{issuerId}/cards/{cardId}/operations:";
  router.Add(Verb::post, base + "clickToPayOptOut",
             [&ctx](Request& r) -> asio::awaitable<Reply> { return OptOut(ctx, r); },
             {.body = http::BodyKind::kRaw, .bearer = true});
  router.Add(Verb::post, base + "clickToPayUpdate",
             [&ctx](Request& r) -> asio::awaitable<Reply> { return Update(ctx, r); },
             {.body = http::BodyKind::kRaw, .bearer = true});
}

}  // namespace c2p::api
