// POST /tsp/v1/networks/{network}/tokenRequests and …/tokenEvents (spec/outbound.md §4).

#include "api/tsp_routes.hpp"

#include <boost/json/serialize.hpp>

#include "api/bearer_auth.hpp"
#include "api/registry_views.hpp"
#include "api/tsp_bodies.hpp"
#include "domain/card_data.hpp"
#include "http/middleware.hpp"
#include "jose/hmac.hpp"
#include "jose/jwe.hpp"
#include "log/log.hpp"
#include "networks/token_decision.hpp"
#include "vault/pan_index.hpp"
#include "vault/sealed_fields.hpp"

namespace c2p::api {

namespace asio = boost::asio;
namespace json = boost::json;
using http::Reply;
using http::Request;
using http::Verb;

namespace {

constexpr std::string_view kCardField = "/encryptedCard";

Reply Unauthorized() {
  Reply r = http::ErrorReply(core::Error::Make(core::ErrorCode::kUnauthorized,
                                               "missing or invalid token service credentials"));
  r.WithHeader("WWW-Authenticate", R"(Bearer realm="c2p-tsp")");
  return r;
}

// The network of the path, once its token service has authenticated; else the reply.
core::Result<const TspNetwork*> Authenticate(const TspContext& ctx, const Request& request) {
  const auto it = ctx.networks.find(request.param("network"));
  if (it == ctx.networks.end()) {
    return core::Fail(core::ErrorCode::kNotFound,
                      "no token service is configured for this network");
  }
  const std::string_view token =
      BearerToken(request.header(http::beast_http::field::authorization));
  const core::SecretBytes& secret = it->second.secret;
  // Constant time over the secret's length; the length of a random secret tells nothing.
  const bool ok =
      !token.empty() &&
      jose::MacEquals(secret.view(),
                      {reinterpret_cast<const std::uint8_t*>(token.data()), token.size()});
  if (!ok) return core::Fail(core::ErrorCode::kUnauthorized, "");
  return &it->second;
}

Reply Refusal(const core::Error& error) {
  return error.code == core::ErrorCode::kUnauthorized ? Unauthorized() : http::ErrorReply(error);
}

// A body from an authenticated token service: its network and the body `read` accepted,
// or the reply refusing it. Authentication comes first: a stranger learns nothing from
// the body's checks.
template <typename Body>
struct Accepted {
  const TspNetwork* network = nullptr;
  Body body;
};

template <typename Body>
tl::expected<Accepted<Body>, Reply> Accept(const TspContext& ctx, const Request& request,
                                           core::Result<Body> (*read)(const json::value&)) {
  auto network = Authenticate(ctx, request);
  if (!network) return tl::unexpected(Refusal(network.error()));
  auto json_body = http::ParseJsonBody(request);
  if (!json_body) return tl::unexpected(http::ErrorReply(json_body.error()));
  auto body = read(*json_body);
  if (!body) return tl::unexpected(http::ErrorReply(body.error()));
  return Accepted<Body>{*network, std::move(*body)};
}

// The decrypted card of encryptedCard; its expiry is judged by the decision, not here.
core::Result<domain::CardData> OpenCard(const RegistryContext& ctx, std::string_view jwe) {
  auto plaintext = jose::DecryptJwe(jwe, ctx.jwe);
  if (!plaintext) {
    auto error = plaintext.error();
    error.field = kCardField;
    return tl::unexpected(std::move(error));
  }
  auto card = domain::ParseCardData(*plaintext, std::nullopt);
  if (!card) {
    auto error = card.error();
    error.field = kCardField;
    return tl::unexpected(std::move(error));
  }
  return card;
}

// The PAN's index under each configured issuer (the index is keyed per issuer).
std::vector<std::pair<std::string, std::string>> PanIndexes(const RegistryContext& ctx,
                                                            const core::SecretBytes& pan) {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(ctx.issuers.size());
  for (const auto& [issuer, policy] : ctx.issuers) {
    out.emplace_back(issuer, vault::PanIndex(ctx.keys, issuer, pan));
  }
  return out;
}

bool StepUp(const RegistryContext& ctx, const store::CardRecord& card) {
  for (const auto& p : ctx.products) {
    if (p.issuer == card.issuer_id && p.id == card.card_product_id) return p.step_up;
  }
  return false;
}

// What the decision needs to know about the live card(s) holding the PAN.
store::Reading<networks::TokenRequestFacts> GatherFacts(const RegistryContext& ctx,
                                                        const TspNetwork& network,
                                                        const domain::CardData& card,
                                                        std::optional<store::CardRecord>& found) {
  networks::TokenRequestFacts facts;
  facts.network = network.network;
  facts.presented_expiry = card.exp;
  facts.now = ctx.now();
  for (const auto& [issuer, index] : PanIndexes(ctx, card.pan)) {
    auto live = co_await ctx.store.GetLiveCardByPan(issuer, index);
    if (!live) co_return tl::unexpected(live.error());
    if (!*live) continue;
    if (found) facts.ambiguous = true;
    found = std::move(*live);
  }
  if (!found || facts.ambiguous) co_return facts;
  auto state = domain::ParseCardState(found->state);
  auto card_network = domain::ParseNetwork(found->network);
  if (!state || !card_network)
    co_return core::Fail(core::ErrorCode::kInternal, "stored card is unknown");
  auto expiry = vault::OpenExpiry(ctx.keys, *found);
  if (!expiry) co_return tl::unexpected(expiry.error());
  auto consumer = co_await ctx.store.GetConsumer(found->issuer_id, found->consumer_id);
  if (!consumer) co_return tl::unexpected(consumer.error());
  networks::TokenCardFacts f{*state, *card_network, *expiry, std::nullopt, StepUp(ctx, *found)};
  if (*consumer) f.consumer = domain::ParseConsumerState((*consumer)->state);
  facts.card = f;
  co_return facts;
}

asio::awaitable<Reply> TokenRequest(TspContext& ctx, Request& request) {
  auto in = Accept(ctx, request, ReadTokenRequestBody);
  if (!in) co_return std::move(in.error());
  const TspNetwork* network = in->network;
  const TokenRequestBody* body = &in->body;
  auto card = OpenCard(ctx.registry, body->encrypted_card);
  if (!card) co_return http::ErrorReply(card.error());

  std::optional<store::CardRecord> found;
  auto facts = co_await GatherFacts(ctx.registry, *network, *card, found);
  if (!facts) co_return http::ErrorReply(facts.error());
  const networks::TokenVerdict verdict = networks::DecideToken(*facts);

  const std::string_view decision = networks::WireName(verdict.decision);
  log::Info("tsp.token_decision",
            {{"correlation_id", request.correlation_id()},
             {"network", domain::WireName(network->network)},
             {"request_id", body->request_id},
             {"issuer", found && !facts->ambiguous ? found->issuer_id : std::string()},
             {"card_id", found && !facts->ambiguous ? found->card_id : std::string()},
             {"decision", decision},
             {"reason", verdict.reason}});
  json::object out{{"decision", decision}};
  if (!verdict.reason.empty()) out["reason"] = verdict.reason;
  co_return http::Json(http::Status::ok, out);
}

domain::OperationType OperationOf(TokenEvent event) {
  switch (event) {
    case TokenEvent::kActivated:
      return domain::OperationType::kDigitize;
    case TokenEvent::kSuspended:
      return domain::OperationType::kSuspend;
    case TokenEvent::kResumed:
      return domain::OperationType::kResume;
    case TokenEvent::kDeleted:
      return domain::OperationType::kDelete;
  }
  return domain::OperationType::kDigitize;
}

// What a token event's unit of work did.
enum class EventOutcome { kApplied, kRepeated, kUnmatched };

std::string_view OutcomeName(EventOutcome o) {
  switch (o) {
    case EventOutcome::kApplied:
      return "applied";
    case EventOutcome::kRepeated:
      return "repeated";
    case EventOutcome::kUnmatched:
      return "unmatched";
  }
  return "unmatched";
}

// The card an event is about: the one holding its digitalCardId in this network (any
// state: the token of a deleted card is deleted after it), provided it also holds the
// event's PAN; else the network's one live card holding the PAN.
core::Result<std::optional<store::CardRecord>> EventCard(
    store::WriteTx& tx, std::string_view network, const TokenEventBody& body,
    const std::vector<std::pair<std::string, std::string>>& indexes) {
  const auto holds_pan = [&](const store::CardRecord& c) {
    for (const auto& [issuer, index] : indexes) {
      if (issuer == c.issuer_id && index == c.pan_index) return true;
    }
    return false;
  };
  auto by_token = tx.FindCardByDigitalCard(network, body.digital_card_id);
  if (!by_token) return by_token;
  if (*by_token && holds_pan(**by_token)) return by_token;
  std::optional<store::CardRecord> found;
  for (const auto& [issuer, index] : indexes) {
    auto live = tx.FindLiveCardByPan(issuer, index);
    if (!live) return live;
    if (!*live || (*live)->network != network) continue;
    if (found) return std::optional<store::CardRecord>();  // two issuers: not ours to pick
    found = std::move(*live);
  }
  return found;
}

struct AppliedEvent {
  EventOutcome outcome = EventOutcome::kUnmatched;
  store::CardRecord card;
  std::string operation_id;
};

core::Result<void> ApplyEvent(store::WriteTx& tx, const notify::NotificationQueue& notifications,
                              std::string_view correlation_id, std::string_view network,
                              const TokenEventBody& body,
                              const std::vector<std::pair<std::string, std::string>>& indexes,
                              AppliedEvent& out) {
  auto card = EventCard(tx, network, body, indexes);
  if (!card) return tl::unexpected(card.error());
  if (!*card) return {};  // unmatched: nothing recorded
  store::CardRecord& c = **card;

  store::OperationRecord op = MakeOperation({.type = OperationOf(body.event),
                                             .requestor_type = domain::RequestorType::kTsp,
                                             .issuer = c.issuer_id,
                                             .card_id = c.card_id,
                                             .card_ref = c.card_ref,
                                             .consumer_id = c.consumer_id,
                                             .network = c.network});
  op.requestor_id = network;
  op.details_json = json::serialize(json::object{{"digitalCardId", body.digital_card_id}});
  auto fresh =
      tx.InsertTokenEvent({std::string(network), body.event_id, std::string(WireName(body.event)),
                           c.card_ref, op.operation_id, op.start_ms});
  if (!fresh) return tl::unexpected(fresh.error());
  out.card = c;
  if (!*fresh) {
    out.outcome = EventOutcome::kRepeated;
    return {};
  }
  if (auto i = tx.InsertOperation(op); !i) return i;
  if (auto n = notifications.DigitalCardEvent(tx, c.issuer_id, c.card_ref, op.operation_id,
                                              correlation_id, op.start_ms);
      !n) {
    return n;
  }
  out.outcome = EventOutcome::kApplied;
  out.operation_id = op.operation_id;

  bool changed = false;
  if (body.event == TokenEvent::kActivated) {
    c.digital_card_id = body.digital_card_id;
    changed = true;
  } else if (body.event == TokenEvent::kSuspended || body.event == TokenEvent::kResumed) {
    // The token's state, shown as clickToPay.digitalCardStatus; the card's own state is the
    // issuer's and stays. An event about another token than the card's changes nothing.
    if (c.digital_card_id == body.digital_card_id) {
      if (body.event == TokenEvent::kSuspended) {
        c.suspended_digital_card_id = body.digital_card_id;
      } else {
        c.suspended_digital_card_id.reset();
      }
      changed = true;
    }
  } else if (body.event == TokenEvent::kDeleted) {
    // Another token of the card (a later ACTIVATED) stays.
    if (c.digital_card_id == body.digital_card_id) {
      c.digital_card_id.reset();
      c.suspended_digital_card_id.reset();
      changed = true;
    }
    // Only the card's own token opts it out: a late DELETED of a token the card no longer
    // holds (an opt-out already ended, the card enrolled again since) leaves it enrolled.
    const bool its_token = !c.digital_card_id || c.digital_card_id == body.digital_card_id;
    if (its_token &&
        c.click_to_pay_status == domain::WireName(domain::ClickToPayStatus::kEnrolled)) {
      c.click_to_pay_status = domain::WireName(domain::ClickToPayStatus::kOptedOut);
      changed = true;
    }
  }
  if (!changed) return {};
  c.updated_ms = op.start_ms;
  return tx.UpdateCard(c);
}

asio::awaitable<Reply> TokenEventRoute(TspContext& ctx, Request& request) {
  auto in = Accept(ctx, request, ReadTokenEventBody);
  if (!in) co_return std::move(in.error());
  const TspNetwork* network = in->network;
  const TokenEventBody* body = &in->body;
  std::vector<std::pair<std::string, std::string>> indexes;
  {
    auto card = OpenCard(ctx.registry, body->encrypted_card);
    if (!card) co_return http::ErrorReply(card.error());
    indexes = PanIndexes(ctx.registry, card->pan);
  }  // the decrypted card is wiped here, before the unit of work waits its turn

  const std::string network_name(domain::WireName(network->network));
  AppliedEvent out;
  auto written = co_await ctx.registry.store.Write([&](store::WriteTx& tx) {
    return ApplyEvent(tx, *ctx.registry.notifications, request.correlation_id(), network_name,
                      *body, indexes, out);
  });
  if (!written) co_return http::ErrorReply(written.error());
  if (out.outcome == EventOutcome::kApplied &&
      ctx.registry.notifications->Notifies(out.card.issuer_id)) {
    ctx.registry.notifications->Wake();
  }
  log::Info("tsp.token_event", {{"correlation_id", request.correlation_id()},
                                {"network", network_name},
                                {"event_id", body->event_id},
                                {"token_event", WireName(body->event)},
                                {"digital_card_id", body->digital_card_id},
                                {"outcome", OutcomeName(out.outcome)},
                                {"issuer", out.card.issuer_id},
                                {"card_id", out.card.card_id},
                                {"operation_id", out.operation_id}});
  co_return http::NoContent();
}

}  // namespace

void AddTspRoutes(http::Router& router, TspContext& ctx) {
  const std::string base = "/tsp/v1/networks/{network}/";
  // Raw bodies: the token service authenticates before its body is read.
  router.Add(Verb::post, base + "tokenRequests",
             [&ctx](Request& r) -> asio::awaitable<Reply> { return TokenRequest(ctx, r); },
             {.body = http::BodyKind::kRaw});
  router.Add(Verb::post, base + "tokenEvents",
             [&ctx](Request& r) -> asio::awaitable<Reply> { return TokenEventRoute(ctx, r); },
             {.body = http::BodyKind::kRaw});
}

}  // namespace c2p::api
