#include "checkout.hpp"

#include <cstdio>

#include <boost/json/array.hpp>

#include "fields.hpp"

namespace c2p::sim {
namespace json = boost::json;

namespace {

void AddProfile(std::string_view network, std::string_view email, const DirectoryState& dir,
                json::array& profiles) {
  json::array cards;
  bool found = false;
  for (const auto& [id, consumer] : dir.consumers) {
    if (consumer.email != email) continue;
    found = true;
    for (const SimCard& card : consumer.cards) {
      if (card.status != "ACTIVE") continue;
      char exp[8];
      std::snprintf(exp, sizeof exp, "%02d%02d", card.exp_month, card.exp_year % 100);
      cards.push_back(json::object{{"panLast4", card.pan_last4}, {"exp", exp}});
    }
  }
  if (found)
    profiles.push_back(json::object{{"network", network}, {"maskedCards", std::move(cards)}});
}

}  // namespace

json::object CheckoutLookup(std::string_view email, const DirectoryState& visa,
                            const DirectoryState& mastercard) {
  const std::string lower = AsciiLower(email);
  json::array profiles;
  AddProfile("visa", lower, visa, profiles);
  AddProfile("mastercard", lower, mastercard, profiles);
  return {{"profiles", std::move(profiles)}};
}

}  // namespace c2p::sim
