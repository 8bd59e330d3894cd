#pragma once
// The test cards of spec/networks.md §4: the last four digits of a (Luhn-valid) PAN decide
// how the simulated network treats it, like a payment sandbox.

#include <string>
#include <string_view>
#include <unordered_map>

namespace c2p::sim {

enum class TestCard {
  kApproved,          // anything else
  kTokenDeclined,     // 0002: the directory accepts, the token service declines
  kNotEligible,       // 0010: the directory rejects the card
  kUnavailableTwice,  // 0028: the directory answers 503 twice, then succeeds
  kSlow,              // 0036: the directory takes slow_card_ms (3 s) per call
};

TestCard ClassifyPan(std::string_view pan);

// Counts the 503s already given to each 0028 card (by network and externalCardId), so the
// third call succeeds.
class UnavailableTwice {
 public:
  // True while this card should still get a 503 (and counts it).
  bool Refuse(std::string_view network, std::string_view card_id);
  void Clear() { seen_.clear(); }

 private:
  std::unordered_map<std::string, int> seen_;
};

}  // namespace c2p::sim
