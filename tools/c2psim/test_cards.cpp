#include "test_cards.hpp"

namespace c2p::sim {

TestCard ClassifyPan(std::string_view pan) {
  if (pan.size() < 4) return TestCard::kApproved;
  const std::string_view last4 = pan.substr(pan.size() - 4);
  if (last4 == "0002") return TestCard::kTokenDeclined;
  if (last4 == "0010") return TestCard::kNotEligible;
  if (last4 == "0028") return TestCard::kUnavailableTwice;
  if (last4 == "0036") return TestCard::kSlow;
  return TestCard::kApproved;
}

bool UnavailableTwice::Refuse(std::string_view network, std::string_view card_id) {
  std::string key(network);
  key += '/';
  key += card_id;
  int& count = seen_[key];
  if (count >= 2) return false;
  ++count;
  return true;
}

}  // namespace c2p::sim
