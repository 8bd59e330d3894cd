#include "visa_directory.hpp"

#include <set>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>

#include "core/ids.hpp"
#include "fields.hpp"

namespace c2p::sim {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr std::string_view kBase = "/visaIdCredential/v1";

http::Reply VisaError(unsigned status, std::string_view reason, std::string_view message) {
  return JsonReply(status, json::object{{"reason", reason}, {"message", message}});
}

http::Reply VisaError(const DirectoryError& e) { return VisaError(e.status, e.reason, e.message); }

std::string YearMonth(int year, int month) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d", year, month);
  return text;
}

}  // namespace

std::string VisaDirectory::NewTrace(bool completed) {
  std::string id = core::NewRandomId("vrt_");
  if (order_.size() >= kMaxTraces) {
    // An enrolment still in progress finds its trace gone when it completes and leaves it
    // so: the caller polled 200,000 requests ago.
    traces_.erase(order_.front());
    order_.pop_front();
  }
  order_.push_back(id);
  Trace& t = traces_[id];
  t.completed = completed;
  if (completed) t.details.push_back(json::object{{"status", "SUCCESS"}});
  return id;
}

void VisaDirectory::AddRoutes(http::Router& router) {
  // Up to 10 cards of up to 8 KiB of JWE each.
  const http::RouteOptions raw{.body = http::BodyKind::kRaw, .body_limit = std::size_t{256} * 1024};
  const std::pair<const char*, VisaCall> writes[] = {
      {"/enrollData", VisaCall::kEnrollData},
      {"/enrollPaymentInstruments", VisaCall::kEnrollPaymentInstruments},
      {"/manageConsumerInformation", VisaCall::kManageConsumerInformation},
      {"/managePaymentInstruments", VisaCall::kManagePaymentInstruments},
      {"/deletePaymentInstruments", VisaCall::kDeletePaymentInstruments},
      {"/deleteConsumerInformation", VisaCall::kDeleteConsumerInformation},
      {"/getData", VisaCall::kGetData},
  };
  for (const auto& [path, call] : writes) {
    const bool put =
        call == VisaCall::kManageConsumerInformation || call == VisaCall::kManagePaymentInstruments;
    router.Add(
        put ? http::Verb::put : http::Verb::post, std::string(kBase) + path,
        [this, c = call, kind = path + 1](http::Request& r) {
          sim_.visa.SawRequest(kind, r.header("x-correlation-id"));
          return Write(r, c);
        },
        raw);
  }
  router.Add(http::Verb::get, std::string(kBase) + "/requestStatus/{requestTraceId}",
             [this](http::Request& r) {
               sim_.visa.SawRequest("requestStatus", r.header("x-correlation-id"));
               return Status(r);
             });
}

asio::awaitable<http::Reply> VisaDirectory::Status(http::Request& request) {
  const NetworkConfig& config = sim_.config.visa;
  if (!config.api_key.empty() && request.header("x-api-key") != config.api_key) {
    co_return VisaError(401, "UNAUTHORIZED", "missing or wrong x-api-key");
  }
  const FaultDraw fault = sim_.faults.Draw(FaultTarget::kVisa);
  co_await Pause(config.latency + fault.latency);
  if (fault.kind == FaultDraw::Kind::kError) {
    co_return VisaError(fault.status, "VIDC-5000", "injected fault");
  }
  auto it = traces_.find(std::string(request.param("requestTraceId")));
  if (it == traces_.end()) co_return VisaError(404, "NOT_FOUND", "unknown requestTraceId");
  http::Reply reply =
      JsonReply(200, json::object{{"status", it->second.completed ? "COMPLETED" : "IN_PROGRESS"},
                                  {"details", it->second.details}});
  if (fault.kind == FaultDraw::Kind::kTimeout) {
    co_await Pause(sim_.config.timeout);
    reply.close = true;
  }
  co_return reply;
}

asio::awaitable<http::Reply> VisaDirectory::Write(http::Request& request, VisaCall call) {
  sim_.Bind(co_await asio::this_coro::executor);
  const NetworkConfig& config = sim_.config.visa;
  if (!config.api_key.empty() && request.header("x-api-key") != config.api_key) {
    co_return VisaError(401, "UNAUTHORIZED", "missing or wrong x-api-key");
  }
  if (request.header("x-request-id").empty()) {
    co_return VisaError(400, "VIDC-1001", "x-request-id is required");
  }
  const FaultDraw fault = sim_.faults.Draw(FaultTarget::kVisa);
  co_await Pause(config.latency + fault.latency);
  if (fault.kind == FaultDraw::Kind::kError) {
    co_return VisaError(fault.status, "VIDC-5000", "injected fault");
  }
  auto parsed = ReadVisaRequest(call, request.body(), sim_.keys.visa);
  if (!parsed) co_return VisaError(parsed.error());

  // Test cards that act before anything is applied: 0028 (503 twice), 0036 (slow).
  bool slow = false;
  for (const VisaCard& c : parsed->cards) {
    const TestCard kind = ClassifyPan(c.card.pan);
    if (kind == TestCard::kUnavailableTwice &&
        sim_.unavailable.Refuse("visa", c.external_card_id)) {
      co_return VisaError(503, "VIDC-5000", "service unavailable, retry later");
    }
    slow = slow || kind == TestCard::kSlow;
  }
  if (SimConsumer* consumer = sim_.visa.FindConsumer(parsed->consumer_id)) {
    for (const std::string& id : parsed->card_ids) {
      if (const SimCard* card = consumer->Find(id)) slow = slow || card->slow;
    }
    for (const VisaCardUpdate& u : parsed->updates) {
      if (const SimCard* card = consumer->Find(u.external_card_id)) slow = slow || card->slow;
    }
  }
  if (slow) co_await Pause(sim_.config.slow_card);

  std::string trace_id;
  http::Reply reply = Apply(*parsed, trace_id);
  if (fault.kind == FaultDraw::Kind::kTimeout) {
    co_await Pause(sim_.config.timeout);
    reply.close = true;
  }
  co_return reply;
}

http::Reply VisaDirectory::Apply(VisaRequest& r, std::string& trace_id) {
  DirectoryState& dir = sim_.visa;
  const bool enrol =
      r.call == VisaCall::kEnrollData || r.call == VisaCall::kEnrollPaymentInstruments;
  if (enrol) ++dir.counters.enrol_calls;
  SimConsumer* consumer = dir.FindConsumer(r.consumer_id);
  if (r.call == VisaCall::kGetData) return GetData(r);
  if (consumer != nullptr && consumer->in_progress > 0) {
    return VisaError(409, "VIDC-3000", "a request for this consumer is in progress");
  }
  if (r.call == VisaCall::kEnrollData) {
    if (consumer != nullptr) return VisaError(409, "VIDC-2000", "consumer already enrolled");
  } else if (consumer == nullptr) {
    return VisaError(404, "VIDC-2001", "consumer not enrolled");
  }
  if (enrol) return Enrol(r, trace_id);

  TokenService& tokens = *sim_.visa_tokens;
  switch (r.call) {
    case VisaCall::kManageConsumerInformation:
      consumer->info = std::move(r.consumer);
      consumer->email = AsciiLower(r.email);
      break;
    case VisaCall::kManagePaymentInstruments: {
      for (const VisaCardUpdate& u : r.updates) {
        if (consumer->Find(u.external_card_id) == nullptr) {
          return VisaError(404, "VIDC-2005", "payment instrument not enrolled");
        }
      }
      for (const VisaCardUpdate& u : r.updates) {
        SimCard& card = *consumer->Find(u.external_card_id);
        if (!u.name_on_card.empty()) card.name = u.name_on_card;
        if (!u.billing_address.empty()) card.billing_address = u.billing_address;
        if (!u.status.empty() && u.status != card.status && !card.digital_card_id.empty()) {
          card.status = u.status;
          tokens.PostEvent(sim_.executor, card.digital_card_id, card.c2p_card,
                           u.status == "SUSPENDED" ? "SUSPENDED" : "RESUMED");
        }
      }
      break;
    }
    case VisaCall::kDeletePaymentInstruments: {
      for (const std::string& id : r.card_ids) {
        if (consumer->Find(id) == nullptr) {
          return VisaError(404, "VIDC-2005", "payment instrument not enrolled");
        }
      }
      for (const std::string& id : r.card_ids) {
        const SimCard* card = consumer->Find(id);
        if (card == nullptr) continue;  // named twice
        if (!card->digital_card_id.empty()) {
          tokens.PostEvent(sim_.executor, card->digital_card_id, card->c2p_card, "DELETED");
        }
        dir.card_owner.erase(id);
        consumer->Remove(id);
      }
      break;
    }
    case VisaCall::kDeleteConsumerInformation:
      for (const SimCard& card : consumer->cards) {
        if (!card.digital_card_id.empty()) {
          tokens.PostEvent(sim_.executor, card.digital_card_id, card.c2p_card, "DELETED");
        }
        dir.card_owner.erase(card.external_card_id);
      }
      dir.consumers.erase(r.consumer_id);
      break;
    default:
      break;
  }
  trace_id = NewTrace(true);
  return JsonReply(202, json::object{{"requestTraceId", trace_id}});
}

http::Reply VisaDirectory::Enrol(VisaRequest& r, std::string& trace_id) {
  DirectoryState& dir = sim_.visa;
  std::set<std::string_view> named;
  for (const VisaCard& c : r.cards) {
    if (!named.insert(c.external_card_id).second) {
      return VisaError(400, "VIDC-1002", "an externalCardID appears twice");
    }
    if (dir.card_owner.contains(c.external_card_id)) {
      ++dir.counters.duplicate_enrolments;
      return VisaError(409, "VIDC-2004", "payment instrument already exists");
    }
    if (c.card.pan[0] != '4') return VisaError(400, "VIDC-2006", "not a Visa card");
    if (ClassifyPan(c.card.pan) == TestCard::kNotEligible) {
      return VisaError(400, "VIDC-2006", "card not eligible");
    }
    if (CardExpired(c.card)) return VisaError(400, "VIDC-2003", "card expired");
  }
  SimConsumer* consumer = dir.FindConsumer(r.consumer_id);
  if (consumer == nullptr) {
    consumer = &dir.consumers[r.consumer_id];
    consumer->info = std::move(r.consumer);
    consumer->email = AsciiLower(r.email);
    consumer->src_consumer_id = r.consumer_id;
  }
  std::vector<std::string> ids;
  for (VisaCard& c : r.cards) {
    SimCard card = sim_.visa_tokens->NewCard(c.external_card_id, c.card);
    dir.card_owner[c.external_card_id] = r.consumer_id;
    ids.push_back(c.external_card_id);
    consumer->cards.push_back(std::move(card));
  }
  ++consumer->in_progress;
  trace_id = NewTrace(false);
  asio::co_spawn(sim_.executor, Complete(trace_id, r.consumer_id, std::move(ids)), asio::detached);
  return JsonReply(202, json::object{{"requestTraceId", trace_id}});
}

asio::awaitable<void> VisaDirectory::Complete(std::string trace_id, std::string consumer_id,
                                              std::vector<std::string> card_ids) {
  json::array details;
  for (const std::string& id : card_ids) {
    std::string sealed;
    bool forced_decline = false;
    if (SimConsumer* c = sim_.visa.FindConsumer(consumer_id); c && c->Find(id)) {
      sealed = c->Find(id)->c2p_card;
      forced_decline = c->Find(id)->tsp_declines;
    }
    Decision decision = co_await sim_.visa_tokens->Decide(sealed);
    if (forced_decline && decision == Decision::kApproved) decision = Decision::kDeclined;
    // Looked up again: the consumer's state may have changed while c2p was asked.
    SimConsumer* consumer = sim_.visa.FindConsumer(consumer_id);
    SimCard* card = consumer != nullptr ? consumer->Find(id) : nullptr;
    if (card == nullptr) continue;
    if (decision == Decision::kApproved) {
      card->digital_card_id = sim_.visa_tokens->NewDigitalCardId();
      card->status = "ACTIVE";
      sim_.visa_tokens->PostEvent(sim_.executor, card->digital_card_id, card->c2p_card,
                                  "ACTIVATED");
      details.push_back(json::object{
          {"status", "SUCCESS"}, {"externalCardID", id}, {"tokenId", card->digital_card_id}});
    } else {
      const bool declined = decision == Decision::kDeclined;
      details.push_back(json::object{
          {"status", "FAILED"},
          {"externalCardID", id},
          {"errorDetails",
           json::array{json::object{
               {"reason", declined ? "VIDC-7000" : "VIDC-5000"},
               {"message", declined ? "tokenization declined" : "token service unavailable"}}}}});
      sim_.visa.card_owner.erase(id);
      consumer->Remove(id);
    }
  }
  if (SimConsumer* consumer = sim_.visa.FindConsumer(consumer_id)) --consumer->in_progress;
  auto trace = traces_.find(trace_id);
  if (trace == traces_.end()) co_return;  // forgotten already (kMaxTraces)
  trace->second.details = std::move(details);
  trace->second.completed = true;
}

http::Reply VisaDirectory::GetData(const VisaRequest& r) {
  const SimConsumer* consumer = sim_.visa.FindConsumer(r.consumer_id);
  if (consumer == nullptr) return VisaError(404, "VIDC-2001", "consumer not enrolled");
  json::array cards;
  for (const SimCard& c : consumer->cards) {
    json::object card{{"externalCardID", c.external_card_id},
                      {"last4", c.pan_last4},
                      {"expirationDate", YearMonth(c.exp_year, c.exp_month)},
                      {"status", c.status}};
    if (!c.name.empty()) card["nameOnCard"] = c.name;
    if (!c.billing_address.empty()) card["billingAddress"] = c.billing_address;
    if (!c.digital_card_id.empty()) card["tokenId"] = c.digital_card_id;
    cards.push_back(std::move(card));
  }
  return JsonReply(200, json::object{{"consumerInformation", consumer->info},
                                     {"paymentInstruments", std::move(cards)}});
}

}  // namespace c2p::sim
