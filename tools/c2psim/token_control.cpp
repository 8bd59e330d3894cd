#include "token_control.hpp"

#include "core/strict_json.hpp"

namespace c2p::sim {
namespace json = boost::json;

namespace {

http::Reply ControlError(unsigned status, std::string_view code, std::string_view message) {
  return JsonReply(status, json::object{{"errorCode", code}, {"error", message}});
}

struct Found {
  const char* network = nullptr;
  DirectoryState* directory = nullptr;
  SimConsumer* consumer = nullptr;
  SimCard* card = nullptr;
  TokenService* tokens = nullptr;
};

std::optional<Found> FindToken(SimContext& sim, std::string_view digital_card_id) {
  const struct {
    const char* name;
    DirectoryState* dir;
    TokenService* tokens;
  } directories[] = {{"visa", &sim.visa, sim.visa_tokens.get()},
                     {"mastercard", &sim.mastercard, sim.mastercard_tokens.get()}};
  for (const auto& d : directories) {
    for (auto& [id, consumer] : d.dir->consumers) {
      for (SimCard& card : consumer.cards) {
        if (!card.digital_card_id.empty() && card.digital_card_id == digital_card_id) {
          return Found{d.name, d.dir, &consumer, &card, d.tokens};
        }
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<NetworkTokenEvent> ReadTokenEventControl(std::string_view body, std::string& error) {
  auto parsed = core::ParseStrictJson(body, 4);
  if (!parsed || !parsed->is_object()) {
    error = "the body must be a JSON object";
    return std::nullopt;
  }
  const json::object& o = parsed->get_object();
  if (o.size() != 1 || !o.contains("event")) {
    error = "the body must hold exactly one member: event";
    return std::nullopt;
  }
  const json::value& v = o.at("event");
  if (v.is_string()) {
    const std::string_view e = v.get_string();
    if (e == "SUSPENDED") return NetworkTokenEvent::kSuspended;
    if (e == "RESUMED") return NetworkTokenEvent::kResumed;
    if (e == "DELETED") return NetworkTokenEvent::kDeleted;
  }
  error = "event must be SUSPENDED, RESUMED or DELETED";
  return std::nullopt;
}

http::Reply ApplyTokenEventControl(SimContext& sim, std::string_view digital_card_id,
                                   NetworkTokenEvent event) {
  auto found = FindToken(sim, digital_card_id);
  if (!found) return ControlError(404, "NOT_FOUND", "no card holds that digitalCardId");
  SimCard& card = *found->card;
  const std::string token = card.digital_card_id;
  std::string status;
  const char* wire = "DELETED";
  switch (event) {
    case NetworkTokenEvent::kSuspended:
      if (card.status != "ACTIVE") return ControlError(409, "INVALID_STATE", "token not ACTIVE");
      card.status = status = "SUSPENDED";
      wire = "SUSPENDED";
      break;
    case NetworkTokenEvent::kResumed:
      if (card.status != "SUSPENDED") {
        return ControlError(409, "INVALID_STATE", "token not SUSPENDED");
      }
      card.status = status = "ACTIVE";
      wire = "RESUMED";
      break;
    case NetworkTokenEvent::kDeleted:
      status = "DELETED";
      break;
  }
  if (sim.executor) found->tokens->PostEvent(sim.executor, token, card.c2p_card, wire);
  if (event == NetworkTokenEvent::kDeleted) {
    const std::string card_id = card.external_card_id;
    found->directory->card_owner.erase(card_id);
    found->consumer->Remove(card_id);  // `card` is gone from here on
  }
  return JsonReply(
      200, json::object{{"network", found->network}, {"digitalCardId", token}, {"status", status}});
}

}  // namespace c2p::sim
