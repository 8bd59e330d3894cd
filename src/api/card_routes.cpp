// PUT …/cards/{cardId} (register, spec/api.md §4.4) and GET …/cards/{cardId} (the card
// view, §4.5).

#include "api/idempotency.hpp"
#include "api/registry_params.hpp"
#include "api/registry_routes.hpp"
#include "api/registry_views.hpp"
#include "domain/request_bodies.hpp"
#include "log/log.hpp"
#include "registry/card_registration.hpp"
#include "vault/sealed_fields.hpp"

namespace c2p::api {

namespace asio = boost::asio;
using http::Reply;
using http::Request;
using http::Status;
using http::Verb;

namespace {

constexpr std::string_view kCardPath = "/banking/v2/issuers/{issuerId}/cards/{cardId}";

// Register (§4.4): the unit of work is the registry's (registry/card_registration.hpp),
// shared with the batch files.
asio::awaitable<Reply> PutCard(RegistryContext& ctx, Request& request) {
  const std::string& issuer = request.principal();
  const std::string card_id(request.param("cardId"));
  if (auto ok = CheckPathId(PathId::kCardId, card_id); !ok) co_return http::ErrorReply(ok.error());
  auto body = domain::ReadCardPutBody(request.json());
  if (!body) co_return http::ErrorReply(body.error());
  auto card = registry::PrepareCard(ctx, issuer, card_id, *body);
  if (!card) co_return http::ErrorReply(card.error());

  registry::CardRegistration out;
  auto answered = co_await WriteAnswered(
      ctx.store, request,
      [&](store::WriteTx& tx) -> core::Result<void> {
        auto r = registry::RegisterCard(ctx, tx, issuer, card_id, *body, *card,
                                        request.correlation_id());
        if (!r) return tl::unexpected(r.error());
        out = std::move(*r);
        return {};
      },
      [&] {
        auto view = CardView(out.card, card->data.exp);
        if (out.enrolment) {
          // [c2p] the started operation, as the consumer PUT's propagation shows it (§4.1);
          // the card's ENROLLING status is on the card view (GET).
          view["clickToPay"] = boost::json::object{{"operationId", out.enrolment->operation_id},
                                                   {"status", out.enrolment->status}};
        }
        return http::Json(out.created ? Status::created : Status::ok, view);
      });
  if (!answered) co_return http::ErrorReply(answered.error());
  ctx.AfterCommit(out.enrolment.has_value());
  if (out.created) {
    log::Info("registry.card_registered", {{"correlation_id", request.correlation_id()},
                                           {"issuer", issuer},
                                           {"card_id", card_id},
                                           {"network", out.card.network}});
  }
  if (out.enrolment) {
    log::Info("c2p.auto_enrolment_started", {{"correlation_id", request.correlation_id()},
                                             {"issuer", issuer},
                                             {"card_id", card_id},
                                             {"operation_id", out.enrolment->operation_id}});
  }
  co_return std::move(*answered);
}

asio::awaitable<Reply> GetCard(RegistryContext& ctx, Request& request) {
  const std::string_view card_id = request.param("cardId");
  if (auto ok = CheckPathId(PathId::kCardId, card_id); !ok) co_return http::ErrorReply(ok.error());
  auto card = co_await ctx.store.GetCard(request.principal(), card_id);
  if (!card) co_return http::ErrorReply(card.error());
  if (!*card) co_return http::ErrorReply(CardNotFound());
  auto exp = vault::OpenExpiry(ctx.keys, **card);
  if (!exp) co_return http::ErrorReply(exp.error());
  co_return http::Json(Status::ok, CardView(**card, *exp));
}

}  // namespace

void AddCardRoutes(http::Router& router, RegistryContext& ctx) {
  const std::string path(kCardPath);
  router.Add(Verb::put, path,
             [&ctx](Request& r) -> asio::awaitable<Reply> { return PutCard(ctx, r); },
             {.body = http::BodyKind::kJson, .bearer = true});
  router.Add(Verb::get, path,
             [&ctx](Request& r) -> asio::awaitable<Reply> { return GetCard(ctx, r); },
             {.bearer = true});
}

}  // namespace c2p::api
