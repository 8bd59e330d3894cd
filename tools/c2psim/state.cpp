#include "state.hpp"

#include <algorithm>

namespace c2p::sim {

SimCard* SimConsumer::Find(std::string_view card_id) {
  auto it = std::find_if(cards.begin(), cards.end(),
                         [&](const SimCard& c) { return c.external_card_id == card_id; });
  return it == cards.end() ? nullptr : &*it;
}

void SimConsumer::Remove(std::string_view card_id) {
  std::erase_if(cards, [&](const SimCard& c) { return c.external_card_id == card_id; });
}

SimConsumer* DirectoryState::FindConsumer(std::string_view id) {
  auto it = consumers.find(std::string(id));
  return it == consumers.end() ? nullptr : &it->second;
}

boost::json::object DirectoryState::Stats() const {
  std::uint64_t cards = 0;
  std::uint64_t tokens = 0;
  for (const auto& [id, consumer] : consumers) {
    for (const SimCard& card : consumer.cards) {
      ++cards;
      if (!card.digital_card_id.empty()) ++tokens;
    }
  }
  boost::json::object o;
  o["profiles"] = consumers.size();
  o["cards"] = cards;
  o["tokens"] = tokens;
  o["enrolCalls"] = counters.enrol_calls;
  o["duplicateEnrolments"] = counters.duplicate_enrolments;
  boost::json::object ids;
  for (const auto& [kind, id] : last_correlation_ids) ids[kind] = id;
  o["lastCorrelationIds"] = std::move(ids);
  boost::json::object calls_by_kind;
  for (const auto& [kind, n] : calls) calls_by_kind[kind] = n;
  o["calls"] = std::move(calls_by_kind);
  return o;
}

void DirectoryState::Clear() {
  consumers.clear();
  card_owner.clear();
  counters = {};
  last_correlation_ids.clear();
  calls.clear();
}

void DirectoryState::SawRequest(std::string_view kind, std::string_view correlation_id) {
  auto it = last_correlation_ids.find(kind);
  if (it == last_correlation_ids.end()) it = last_correlation_ids.emplace(kind, "").first;
  it->second = correlation_id;
  ++calls[it->first];
}

}  // namespace c2p::sim
