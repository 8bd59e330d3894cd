#include "networks/token_decision.hpp"

#include <gtest/gtest.h>

namespace c2p::networks {
namespace {

using domain::CardState;
using domain::ConsumerState;
using domain::Network;

// 2026-06-15T00:00:00Z.
const core::SystemTime kNow = core::FromUnixMillis(1'781'481'600'000);
constexpr domain::CardExpiry kValid{2028, 12};

TokenRequestFacts Approvable() {
  TokenRequestFacts f;
  f.network = Network::kVisa;
  f.presented_expiry = kValid;
  f.card = TokenCardFacts{CardState::kActive, Network::kVisa, kValid, ConsumerState::kActive};
  f.now = kNow;
  return f;
}

TEST(TokenDecision, ActiveCardOfAnActiveConsumerIsGreenWithoutReason) {
  const auto v = DecideToken(Approvable());
  EXPECT_EQ(v.decision, TokenDecision::kGreen);
  EXPECT_TRUE(v.reason.empty());
  EXPECT_EQ(WireName(v.decision), "GREEN");
}

TEST(TokenDecision, ProductStepUpTurnsGreenIntoYellowButNeverRedIntoYellow) {
  auto f = Approvable();
  f.card->step_up = true;
  EXPECT_EQ(DecideToken(f).decision, TokenDecision::kYellow);
  EXPECT_EQ(DecideToken(f).reason, "STEP_UP_REQUIRED");
  f.card->state = CardState::kSuspended;
  EXPECT_EQ(DecideToken(f).decision, TokenDecision::kRed);
}

TEST(TokenDecision, EveryRefusalIsRedWithItsReason) {
  struct Case {
    const char* what;
    void (*change)(TokenRequestFacts&);
    std::string_view reason;
  };
  const Case cases[] = {
      {"unknown PAN", [](TokenRequestFacts& f) { f.card.reset(); }, "CARD_NOT_FOUND"},
      {"PAN live at two issuers", [](TokenRequestFacts& f) { f.ambiguous = true; },
       "CARD_AMBIGUOUS"},
      {"another network's card", [](TokenRequestFacts& f) { f.network = Network::kMastercard; },
       "CARD_NOT_FOUND"},
      {"inactive card", [](TokenRequestFacts& f) { f.card->state = CardState::kInactive; },
       "CARD_NOT_ACTIVE"},
      {"suspended card", [](TokenRequestFacts& f) { f.card->state = CardState::kSuspended; },
       "CARD_NOT_ACTIVE"},
      {"deleted card", [](TokenRequestFacts& f) { f.card->state = CardState::kDeleted; },
       "CARD_NOT_ACTIVE"},
      {"inactive consumer",
       [](TokenRequestFacts& f) { f.card->consumer = ConsumerState::kInactive; },
       "CONSUMER_NOT_ACTIVE"},
      {"deleted consumer", [](TokenRequestFacts& f) { f.card->consumer = ConsumerState::kDeleted; },
       "CONSUMER_NOT_ACTIVE"},
      {"missing consumer", [](TokenRequestFacts& f) { f.card->consumer.reset(); },
       "CONSUMER_NOT_ACTIVE"},
      {"stored expiry past",
       [](TokenRequestFacts& f) {
         f.card->expiry = {2026, 5};
         f.presented_expiry = {2026, 5};
       },
       "CARD_EXPIRED"},
      {"presented expiry past",
       [](TokenRequestFacts& f) {
         f.presented_expiry = {2025, 12};
       },
       "CARD_EXPIRED"},
      {"expiry not the card's",
       [](TokenRequestFacts& f) {
         f.presented_expiry = {2029, 1};
       },
       "CARD_DATA_MISMATCH"},
  };
  for (const auto& c : cases) {
    auto f = Approvable();
    c.change(f);
    const auto v = DecideToken(f);
    EXPECT_EQ(v.decision, TokenDecision::kRed) << c.what;
    EXPECT_EQ(v.reason, c.reason) << c.what;
  }
}

TEST(TokenDecision, ACardExpiringThisMonthIsStillGreen) {
  auto f = Approvable();
  f.card->expiry = {2026, 6};
  f.presented_expiry = {2026, 6};
  EXPECT_EQ(DecideToken(f).decision, TokenDecision::kGreen);
}

}  // namespace
}  // namespace c2p::networks
