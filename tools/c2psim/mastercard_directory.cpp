#include "mastercard_directory.hpp"

#include <cstdio>

#include <boost/asio/this_coro.hpp>

#include "core/ids.hpp"
#include "fields.hpp"

namespace c2p::sim {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr std::string_view kBase = "/src/api/digital/payments";

http::Reply GatewayError(const DirectoryError& e) {
  json::object error{{"Source", e.source.empty() ? "c2psim" : e.source},
                     {"ReasonCode", e.reason},
                     {"Description", e.message},
                     {"Recoverable", e.recoverable}};
  if (!e.details.empty()) error["Details"] = e.details;
  return JsonReply(
      e.status, json::object{{"Errors", json::object{{"Error", json::array{std::move(error)}}}}});
}

http::Reply GatewayError(unsigned status, std::string reason, std::string message,
                         bool recoverable = false, json::object details = {}) {
  DirectoryError e;
  e.status = status;
  e.reason = std::move(reason);
  e.message = std::move(message);
  e.recoverable = recoverable;
  e.details = std::move(details);
  return GatewayError(e);
}

std::string Two(int n) {
  char text[8];
  std::snprintf(text, sizeof text, "%02d", n);
  return text;
}

// Mastercard ranges: 51-55 and 2221-2720.
bool IsMastercardPan(std::string_view pan) {
  if (pan.size() < 4) return false;
  const int two = (pan[0] - '0') * 10 + (pan[1] - '0');
  const int four = std::stoi(std::string(pan.substr(0, 4)));
  return (two >= 51 && two <= 55) || (four >= 2221 && four <= 2720);
}

json::object CardJson(const SimCard& c) {
  json::object card{{"externalCardId", c.external_card_id},
                    {"panLastFour", c.pan_last4},
                    {"panExpirationMonth", Two(c.exp_month)},
                    {"panExpirationYear", std::to_string(c.exp_year)},
                    {"status", c.status}};
  if (!c.digital_card_id.empty()) card["srcDigitalCardId"] = c.digital_card_id;
  if (!c.billing_address.empty()) card["billingAddress"] = c.billing_address;
  return card;
}

}  // namespace

void MastercardDirectory::AddRoutes(http::Router& router) {
  const http::RouteOptions raw{.body = http::BodyKind::kRaw, .body_limit = http::kDefaultBodyLimit};
  const std::string base(kBase);
  // Each route remembers its request's x-correlation-id under its kind's name.
  const auto seen = [this](const char* kind, http::Request& r) {
    sim_.mastercard.SawRequest(kind, r.header("x-correlation-id"));
  };
  router.Add(
      http::Verb::post, base + "/enrollments",
      [this, seen](http::Request& r) {
        seen("enrollments", r);
        return Enrol(r);
      },
      raw);
  router.Add(http::Verb::get, base + "/consumers/{externalConsumerId}",
             [this, seen](http::Request& r) {
               seen("getConsumer", r);
               return Call(r, 0);
             });
  router.Add(
      http::Verb::put, base + "/consumers/{externalConsumerId}",
      [this, seen](http::Request& r) {
        seen("updateConsumer", r);
        return Call(r, 1);
      },
      raw);
  router.Add(http::Verb::delete_, base + "/consumers/{externalConsumerId}",
             [this, seen](http::Request& r) {
               seen("deleteConsumer", r);
               return Call(r, 2);
             });
  router.Add(
      http::Verb::put, base + "/consumers/{externalConsumerId}/cards/{externalCardId}",
      [this, seen](http::Request& r) {
        seen("updateCard", r);
        return Call(r, 3);
      },
      raw);
  router.Add(http::Verb::delete_, base + "/consumers/{externalConsumerId}/cards/{externalCardId}",
             [this, seen](http::Request& r) {
               seen("deleteCard", r);
               return Call(r, 4);
             });
}

asio::awaitable<std::optional<http::Reply>> MastercardDirectory::Gate(http::Request& request,
                                                                      bool& timeout) {
  sim_.Bind(co_await asio::this_coro::executor);
  const NetworkConfig& config = sim_.config.mastercard;
  if (auto wait = sim_.mastercard_limiter.TryTake("mastercard", auth::RateLimiter::Clock::now())) {
    http::Reply reply = GatewayError(429, "RATE_LIMITED", "too many requests", true);
    reply.WithHeader("Retry-After", std::to_string(wait->count()));
    co_return reply;
  }
  if (!config.api_key.empty() && request.header("x-api-key") != config.api_key) {
    co_return GatewayError(401, "UNAUTHORIZED", "missing or wrong x-api-key");
  }
  if (request.header("x-request-id").empty()) {
    DirectoryError e;
    e.reason = "INVALID_FIELD";
    e.source = "x-request-id";
    e.message = "x-request-id is required";
    co_return GatewayError(e);
  }
  const FaultDraw fault = sim_.faults.Draw(FaultTarget::kMastercard);
  co_await Pause(config.latency + fault.latency);
  if (fault.kind == FaultDraw::Kind::kError) {
    co_return GatewayError(fault.status,
                           fault.status == 503 ? "SERVICE_UNAVAILABLE" : "SYSTEM_ERROR",
                           "injected fault", fault.status >= 500);
  }
  timeout = fault.kind == FaultDraw::Kind::kTimeout;
  co_return std::nullopt;
}

asio::awaitable<http::Reply> MastercardDirectory::Call(http::Request& request, int which) {
  bool timeout = false;
  if (auto early = co_await Gate(request, timeout)) co_return std::move(*early);
  const std::string_view consumer_id = request.param("externalConsumerId");
  if (SimConsumer* consumer = sim_.mastercard.FindConsumer(consumer_id)) {
    const std::string_view card_id = request.param("externalCardId");
    if (const SimCard* card = card_id.empty() ? nullptr : consumer->Find(card_id);
        card && card->slow) {
      co_await Pause(sim_.config.slow_card);
    }
  }
  http::Reply reply;
  switch (which) {
    case 0:
      reply = GetConsumer(consumer_id);
      break;
    case 1:
      reply = PutConsumer(request);
      break;
    case 2:
      reply = DeleteConsumer(request);
      break;
    case 3:
      reply = PutCard(request);
      break;
    default:
      reply = DeleteCard(request);
      break;
  }
  if (timeout) {
    co_await Pause(sim_.config.timeout);
    reply.close = true;
  }
  co_return reply;
}

asio::awaitable<http::Reply> MastercardDirectory::Enrol(http::Request& request) {
  bool timeout = false;
  if (auto early = co_await Gate(request, timeout)) co_return std::move(*early);
  auto parsed = ReadMastercardEnrolment(request.body(), sim_.keys.mastercard);
  if (!parsed) co_return GatewayError(parsed.error());
  DirectoryState& dir = sim_.mastercard;
  ++dir.counters.enrol_calls;
  MastercardEnrolment& e = *parsed;
  const TestCard kind = ClassifyPan(e.card.pan);
  if (kind == TestCard::kUnavailableTwice && sim_.unavailable.Refuse("mastercard", e.card_id)) {
    co_return GatewayError(503, "SERVICE_UNAVAILABLE", "service unavailable, retry later", true);
  }
  if (kind == TestCard::kSlow) co_await Pause(sim_.config.slow_card);
  if (dir.card_owner.contains(e.card_id)) {
    ++dir.counters.duplicate_enrolments;
    co_return GatewayError(409, "ALREADY_EXISTS", "the card is already enrolled");
  }
  const json::object not_created{{"consumerCreated", false}};
  if (!IsMastercardPan(e.card.pan) || kind == TestCard::kNotEligible) {
    co_return GatewayError(422, "CARD_NOT_ELIGIBLE", "card not eligible", false, not_created);
  }
  if (CardExpired(e.card)) {
    co_return GatewayError(422, "CARD_NOT_ELIGIBLE", "card expired", false, not_created);
  }
  bool created = false;
  SimConsumer* consumer = dir.FindConsumer(e.consumer_id);
  if (consumer == nullptr) {
    created = true;
    consumer = &dir.consumers[e.consumer_id];
    consumer->info = std::move(e.consumer);
    consumer->email = AsciiLower(e.email);
    consumer->src_consumer_id = core::NewRandomId("src_");
  }
  const std::string src_consumer_id = consumer->src_consumer_id;
  SimCard card = sim_.mastercard_tokens->NewCard(e.card_id, e.card);
  const std::string sealed = card.c2p_card;
  dir.card_owner[e.card_id] = e.consumer_id;
  consumer->cards.push_back(std::move(card));

  // The enrolment blocks here until the token service has c2p's decision.
  Decision decision = co_await sim_.mastercard_tokens->Decide(sealed);
  if (kind == TestCard::kTokenDeclined && decision == Decision::kApproved) {
    decision = Decision::kDeclined;
  }
  consumer = dir.FindConsumer(e.consumer_id);
  SimCard* stored = consumer != nullptr ? consumer->Find(e.card_id) : nullptr;
  http::Reply reply;
  if (stored == nullptr) {
    // Deleted while the token service was at work.
    reply = GatewayError(404, "NOT_FOUND", "the consumer or card was deleted meanwhile");
  } else if (decision != Decision::kApproved) {
    dir.card_owner.erase(e.card_id);
    consumer->Remove(e.card_id);
    const json::object details{{"consumerCreated", created}};
    reply =
        decision == Decision::kDeclined
            ? GatewayError(422, "TOKENIZATION_DECLINED", "tokenization declined", false, details)
            : GatewayError(503, "SERVICE_UNAVAILABLE", "token service unavailable", true, details);
  } else {
    stored->digital_card_id = sim_.mastercard_tokens->NewDigitalCardId();
    stored->status = "ACTIVE";
    sim_.mastercard_tokens->PostEvent(sim_.executor, stored->digital_card_id, stored->c2p_card,
                                      "ACTIVATED");
    reply = JsonReply(
        200, json::object{{"srcConsumerId", src_consumer_id},
                          {"srcDigitalCardId", stored->digital_card_id},
                          {"consumerCreated", created},
                          {"maskedCard",
                           json::object{{"panLastFour", stored->pan_last4},
                                        {"panExpirationMonth", Two(stored->exp_month)},
                                        {"panExpirationYear", std::to_string(stored->exp_year)}}}});
  }
  if (timeout) {
    co_await Pause(sim_.config.timeout);
    reply.close = true;
  }
  co_return reply;
}

http::Reply MastercardDirectory::GetConsumer(std::string_view consumer_id) {
  const SimConsumer* consumer = sim_.mastercard.FindConsumer(consumer_id);
  if (consumer == nullptr) return GatewayError(404, "NOT_FOUND", "consumer not found");
  json::array cards;
  for (const SimCard& c : consumer->cards) cards.push_back(CardJson(c));
  return JsonReply(200, json::object{{"srcConsumerId", consumer->src_consumer_id},
                                     {"consumer", consumer->info},
                                     {"cards", std::move(cards)}});
}

http::Reply MastercardDirectory::PutConsumer(http::Request& request) {
  SimConsumer* consumer = sim_.mastercard.FindConsumer(request.param("externalConsumerId"));
  if (consumer == nullptr) return GatewayError(404, "NOT_FOUND", "consumer not found");
  auto parsed = ReadMastercardConsumer(request.body());
  if (!parsed) return GatewayError(parsed.error());
  consumer->info = std::move(parsed->consumer);
  consumer->email = AsciiLower(parsed->email);
  return GetConsumer(request.param("externalConsumerId"));
}

http::Reply MastercardDirectory::PutCard(http::Request& request) {
  SimConsumer* consumer = sim_.mastercard.FindConsumer(request.param("externalConsumerId"));
  SimCard* card = consumer != nullptr ? consumer->Find(request.param("externalCardId")) : nullptr;
  if (card == nullptr) return GatewayError(404, "NOT_FOUND", "card not found");
  auto parsed = ReadMastercardCardUpdate(request.body());
  if (!parsed) return GatewayError(parsed.error());
  if (!parsed->billing_address.empty()) card->billing_address = std::move(parsed->billing_address);
  if (!parsed->status.empty() && parsed->status != card->status && !card->digital_card_id.empty()) {
    card->status = parsed->status;
    sim_.mastercard_tokens->PostEvent(sim_.executor, card->digital_card_id, card->c2p_card,
                                      parsed->status == "SUSPENDED" ? "SUSPENDED" : "RESUMED");
  }
  return JsonReply(200, CardJson(*card));
}

http::Reply MastercardDirectory::DeleteCard(http::Request& request) {
  const std::string_view card_id = request.param("externalCardId");
  SimConsumer* consumer = sim_.mastercard.FindConsumer(request.param("externalConsumerId"));
  const SimCard* card = consumer != nullptr ? consumer->Find(card_id) : nullptr;
  if (card == nullptr) return GatewayError(404, "NOT_FOUND", "card not found");
  if (!card->digital_card_id.empty()) {
    sim_.mastercard_tokens->PostEvent(sim_.executor, card->digital_card_id, card->c2p_card,
                                      "DELETED");
  }
  sim_.mastercard.card_owner.erase(std::string(card_id));
  consumer->Remove(card_id);
  return http::NoContent();
}

http::Reply MastercardDirectory::DeleteConsumer(http::Request& request) {
  const std::string id(request.param("externalConsumerId"));
  SimConsumer* consumer = sim_.mastercard.FindConsumer(id);
  if (consumer == nullptr) return GatewayError(404, "NOT_FOUND", "consumer not found");
  for (const SimCard& card : consumer->cards) {
    if (!card.digital_card_id.empty()) {
      sim_.mastercard_tokens->PostEvent(sim_.executor, card.digital_card_id, card.c2p_card,
                                        "DELETED");
    }
    sim_.mastercard.card_owner.erase(card.external_card_id);
  }
  sim_.mastercard.consumers.erase(id);
  return http::NoContent();
}

}  // namespace c2p::sim
