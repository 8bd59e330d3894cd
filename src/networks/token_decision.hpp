#pragma once
// The digitization decision c2p gives a network's token service on the issuer's behalf
// (spec/outbound.md §4). Pure: the caller finds the card and its consumer, this says
// GREEN, YELLOW or RED and why. RED when the PAN names no live card of this network (or
// names one at several issuers), the card or its consumer is not ACTIVE, the card has
// expired, or the token service's expiry is not the card's; otherwise GREEN, or YELLOW
// when the card's product asks for step-up (decision = "YELLOW").

#include <optional>
#include <string_view>

#include "core/time_format.hpp"
#include "domain/card_data.hpp"
#include "domain/states.hpp"

namespace c2p::networks {

enum class TokenDecision { kGreen, kYellow, kRed };

std::string_view WireName(TokenDecision decision);  // "GREEN" | "YELLOW" | "RED"

// What c2p knows about the card a token request names. `card` is empty when no live card
// holds the PAN; `ambiguous` when live cards of several issuers hold it (c2p cannot tell
// on whose behalf it would answer).
struct TokenCardFacts {
  domain::CardState state = domain::CardState::kActive;
  domain::Network network = domain::Network::kVisa;
  domain::CardExpiry expiry;                      // the card's stored expiry
  std::optional<domain::ConsumerState> consumer;  // empty: the consumer row is missing
  bool step_up = false;                           // the card product's decision = "YELLOW"
};

struct TokenRequestFacts {
  domain::Network network = domain::Network::kVisa;  // whose token service asks
  domain::CardExpiry presented_expiry;               // from encryptedCard
  std::optional<TokenCardFacts> card;
  bool ambiguous = false;
  core::SystemTime now;
};

struct TokenVerdict {
  TokenDecision decision = TokenDecision::kRed;
  // A fixed code for RED and YELLOW, empty for GREEN. Never card or personal data.
  std::string_view reason;
};

TokenVerdict DecideToken(const TokenRequestFacts& facts);

}  // namespace c2p::networks
