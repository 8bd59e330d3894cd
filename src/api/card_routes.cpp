// PUT …/cards/{cardId} (register, spec/api.md §4.4) and GET …/cards/{cardId} (the card
// view, §4.5).

#include "api/registry_params.hpp"
#include "api/registry_routes.hpp"
#include "api/registry_views.hpp"
#include "domain/registration.hpp"
#include "log/log.hpp"
#include "vault/pan_index.hpp"
#include "vault/sealed_fields.hpp"

namespace c2p::api {

namespace asio = boost::asio;
using http::Reply;
using http::Request;
using http::Status;
using http::Verb;

namespace {

constexpr std::string_view kCardPath = "/banking/v2/issuers/{issuerId}/cards/{cardId}";

core::Error CardNotFound() {
  return core::Error::Make(core::ErrorCode::kCardNotFound, "no such card");
}

bool SameName(const std::optional<core::SecretBytes>& a,
              const std::optional<core::SecretBytes>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || a->as_text() == b->as_text();
}

// Everything the registration decided before its unit of work: the decrypted, checked
// and sealed card. Nothing in it is plaintext but the DTO's SecretBytes.
struct PreparedCard {
  domain::CardData data;
  const domain::CardProduct* product = nullptr;
  std::string pan_index;
  vault::SealedCard sealed;
};

core::Result<PreparedCard> Prepare(const RegistryContext& ctx, std::string_view issuer,
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

// The outcome of a registration's unit of work.
struct Registered {
  bool created = false;
  store::CardRecord card;
};

// Decides and writes a registration inside the writer's transaction, where nothing else
// can change the rows it reads.
core::Result<void> Register(const RegistryContext& ctx, store::WriteTx& tx, std::string_view issuer,
                            std::string_view card_id, const domain::CardPutBody& body,
                            const PreparedCard& card, Registered& out) {
  const std::int64_t now = NowMillis();
  auto consumer = tx.FindConsumer(issuer, body.consumer_id);
  if (!consumer) return tl::unexpected(consumer.error());
  if (*consumer) {
    auto state = domain::ParseConsumerState((*consumer)->state);
    if (!state) return core::Fail(core::ErrorCode::kInternal, "stored consumer state is unknown");
    if (auto ok = domain::CheckConsumerTakesCards(*state); !ok) return ok;
  } else {
    // Implicit registration (§4.4): an ACTIVE consumer without personal information.
    const std::string active(domain::WireName(domain::ConsumerState::kActive));
    store::ConsumerRecord record{
        std::string(issuer), body.consumer_id, active, std::nullopt, now, now};
    if (auto put = tx.PutConsumer(record); !put) return put;
    auto op = MakeOperation({.type = domain::OperationType::kRegister,
                             .issuer = issuer,
                             .consumer_id = body.consumer_id});
    if (auto i = tx.InsertOperation(op); !i) return i;
  }

  auto existing = tx.FindCard(issuer, card_id);
  if (!existing) return tl::unexpected(existing.error());
  const bool live =
      *existing && (*existing)->state != domain::WireName(domain::CardState::kDeleted);
  if (live) {
    store::CardRecord& old = **existing;
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
    out.card = old;
    if (*old_exp == card.data.exp && SameName(*old_name, card.data.name) &&
        old.state == domain::WireName(*next)) {
      return {};  // the same registration again: 200, nothing changes
    }
    // A renewed card (new expiry or name) or an activation.
    out.card.state = domain::WireName(*next);
    out.card.exp = card.sealed.exp;
    out.card.name = card.sealed.name;
    out.card.updated_ms = now;
    if (auto u = tx.UpdateCard(out.card); !u) return u;
  } else {
    auto retired = tx.IsPanRetired(issuer, card.pan_index);
    if (!retired) return tl::unexpected(retired.error());
    if (*retired) {
      return core::Fail(core::ErrorCode::kPanRetired,
                        "this PAN belonged to a deleted card and cannot be registered again");
    }
    auto other = tx.FindLiveCardByPan(issuer, card.pan_index);
    if (!other) return tl::unexpected(other.error());
    if (*other) {
      return core::Fail(core::ErrorCode::kPanAlreadyRegistered,
                        "this PAN is registered under another card of the issuer");
    }
    auto state = domain::CardStateAfterPut(std::nullopt, body.state);
    if (!state) return tl::unexpected(state.error());
    store::CardRecord& c = out.card;
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
    auto ref = tx.InsertCard(c);
    if (!ref) return tl::unexpected(ref.error());
    c.card_ref = *ref;
    out.created = true;
  }
  return tx.InsertOperation(MakeOperation({.type = domain::OperationType::kRegister,
                                           .issuer = issuer,
                                           .card_id = std::string(card_id),
                                           .card_ref = out.card.card_ref,
                                           .consumer_id = body.consumer_id,
                                           .network = out.card.network}));
}

asio::awaitable<Reply> PutCard(RegistryContext& ctx, Request& request) {
  const std::string& issuer = request.principal();
  const std::string card_id(request.param("cardId"));
  if (auto ok = CheckPathId(PathId::kCardId, card_id); !ok) co_return http::ErrorReply(ok.error());
  auto body = domain::ReadCardPutBody(request.json());
  if (!body) co_return http::ErrorReply(body.error());
  auto card = Prepare(ctx, issuer, card_id, *body);
  if (!card) co_return http::ErrorReply(card.error());

  Registered out;
  auto written = co_await ctx.store.Write(
      [&](store::WriteTx& tx) { return Register(ctx, tx, issuer, card_id, *body, *card, out); });
  if (!written) co_return http::ErrorReply(written.error());
  if (out.created) {
    log::Info("registry.card_registered", {{"correlation_id", request.correlation_id()},
                                           {"issuer", issuer},
                                           {"card_id", card_id},
                                           {"network", out.card.network}});
  }
  co_return http::Json(out.created ? Status::created : Status::ok,
                       CardView(out.card, card->data.exp));
}

asio::awaitable<Reply> GetCard(RegistryContext& ctx, Request& request) {
  const std::string_view card_id = request.param("cardId");
  if (auto ok = CheckPathId(PathId::kCardId, card_id); !ok) co_return http::ErrorReply(ok.error());
  auto card = ctx.store.GetCard(request.principal(), card_id);
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
