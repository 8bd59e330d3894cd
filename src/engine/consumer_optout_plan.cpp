#include "engine/consumer_optout_plan.hpp"

#include <algorithm>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace c2p::engine {

namespace json = boost::json;

namespace {

json::array Strings(const std::vector<std::string>& values) {
  json::array out;
  for (const auto& v : values) out.emplace_back(v);
  return out;
}

bool ReadStrings(const json::object& o, std::string_view key, std::vector<std::string>& out) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return true;  // absent: empty
  if (!v->is_array()) return false;
  for (const auto& item : v->as_array()) {
    if (!item.is_string()) return false;
    out.emplace_back(item.as_string());
  }
  return true;
}

}  // namespace

bool OptOutPlan::Done(std::string_view network) const {
  return std::find(done.begin(), done.end(), network) != done.end();
}

std::string ToProgress(const OptOutPlan& plan) {
  json::array cards;
  for (const auto& c : plan.cards) {
    cards.emplace_back(json::object{
        {"cardRef", c.card_ref}, {"network", c.network}, {"operations", Strings(c.operation_ids)}});
  }
  return json::serialize(json::object{{"networks", Strings(plan.networks)},
                                      {"cards", std::move(cards)},
                                      {"operations", Strings(plan.related_operations)},
                                      {"done", Strings(plan.done)}});
}

std::optional<OptOutPlan> ReadOptOutPlan(std::string_view progress) {
  boost::system::error_code ec;
  auto value = json::parse(progress, ec);
  if (ec || !value.is_object()) return std::nullopt;
  const auto& o = value.as_object();
  OptOutPlan plan;
  if (!o.contains("networks")) return std::nullopt;
  if (!ReadStrings(o, "networks", plan.networks) ||
      !ReadStrings(o, "operations", plan.related_operations) ||
      !ReadStrings(o, "done", plan.done)) {
    return std::nullopt;
  }
  if (const auto* cards = o.if_contains("cards")) {
    if (!cards->is_array()) return std::nullopt;
    for (const auto& item : cards->as_array()) {
      if (!item.is_object()) return std::nullopt;
      const auto& c = item.as_object();
      const auto* ref = c.if_contains("cardRef");
      const auto* network = c.if_contains("network");
      if (ref == nullptr || !ref->is_int64() || network == nullptr || !network->is_string()) {
        return std::nullopt;
      }
      OptOutCard card{ref->as_int64(), std::string(network->as_string()), {}};
      if (!ReadStrings(c, "operations", card.operation_ids)) return std::nullopt;
      plan.cards.push_back(std::move(card));
    }
  }
  return plan;
}

Finished EndOptOut(const OptOutPlan& plan, bool successful, std::string error_code,
                   std::string error_message) {
  Finished end;
  end.successful = successful;
  if (!successful) {
    end.error_code = std::move(error_code);
    end.error_message = std::move(error_message);
  }
  const auto gone = [&](const std::string& network) { return successful || plan.Done(network); };
  for (const auto& network : plan.networks) {
    if (gone(network)) end.profiles_removed.push_back(network);
  }
  end.details["profilesRemoved"] = Strings(end.profiles_removed);
  for (const auto& card : plan.cards) {
    const bool out = gone(card.network);
    CardEffect effect;
    effect.card_ref = card.card_ref;
    effect.card_status = out ? "OPTED_OUT" : "ENROLLED";
    if (out) effect.digital_card_id = "";
    if (card.operation_ids.empty()) {
      end.cards.push_back(effect);
      continue;
    }
    // One effect per operation: each ends with the job's; the card's status is the same.
    for (const auto& id : card.operation_ids) {
      effect.operation_id = id;
      end.cards.push_back(effect);
    }
  }
  end.related_operations = plan.related_operations;
  return end;
}

}  // namespace c2p::engine
