#include "networks/token_decision.hpp"

namespace c2p::networks {

std::string_view WireName(TokenDecision decision) {
  switch (decision) {
    case TokenDecision::kGreen:
      return "GREEN";
    case TokenDecision::kYellow:
      return "YELLOW";
    case TokenDecision::kRed:
      return "RED";
  }
  return "RED";
}

TokenVerdict DecideToken(const TokenRequestFacts& facts) {
  const auto red = [](std::string_view reason) {
    return TokenVerdict{TokenDecision::kRed, reason};
  };
  if (facts.ambiguous) return red("CARD_AMBIGUOUS");
  if (!facts.card) return red("CARD_NOT_FOUND");
  const TokenCardFacts& card = *facts.card;
  // Another network's card: that network's token service is the one to ask.
  if (card.network != facts.network) return red("CARD_NOT_FOUND");
  if (card.state != domain::CardState::kActive) return red("CARD_NOT_ACTIVE");
  if (card.consumer != domain::ConsumerState::kActive) return red("CONSUMER_NOT_ACTIVE");
  if (domain::IsExpired(card.expiry, facts.now) ||
      domain::IsExpired(facts.presented_expiry, facts.now)) {
    return red("CARD_EXPIRED");
  }
  if (!(card.expiry == facts.presented_expiry)) return red("CARD_DATA_MISMATCH");
  if (card.step_up) return {TokenDecision::kYellow, "STEP_UP_REQUIRED"};
  return {TokenDecision::kGreen, {}};
}

}  // namespace c2p::networks
