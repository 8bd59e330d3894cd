#include "engine/consumer_optout_plan.hpp"

#include <gtest/gtest.h>

namespace c2p::engine {
namespace {

OptOutPlan TwoNetworks() {
  OptOutPlan plan;
  plan.networks = {"VISA", "MASTERCARD"};
  plan.cards = {{11, "VISA", {"op-v"}}, {12, "MASTERCARD", {"op-m1", "op-m2"}}};
  plan.related_operations = {"op-delete"};
  return plan;
}

TEST(ConsumerOptOutPlan, SurvivesTheProgressRoundTrip) {
  OptOutPlan plan = TwoNetworks();
  plan.done = {"VISA"};
  auto back = ReadOptOutPlan(ToProgress(plan));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, plan);
  EXPECT_TRUE(back->Done("VISA"));
  EXPECT_FALSE(back->Done("MASTERCARD"));
}

TEST(ConsumerOptOutPlan, RefusesWhatIsNotAPlan) {
  EXPECT_FALSE(ReadOptOutPlan("{}").has_value());  // a job of another kind
  EXPECT_FALSE(ReadOptOutPlan("not json").has_value());
  EXPECT_FALSE(ReadOptOutPlan(R"({"networks":"VISA"})").has_value());
  EXPECT_FALSE(
      ReadOptOutPlan(R"({"networks":[],"cards":[{"cardRef":"x","network":"VISA"}]})").has_value());
  EXPECT_FALSE(ReadOptOutPlan(R"({"networks":[1]})").has_value());
}

TEST(ConsumerOptOutPlan, SuccessOptsEveryCardOutAndEndsEachOperation) {
  const Finished end = EndOptOut(TwoNetworks(), true);
  EXPECT_TRUE(end.successful);
  EXPECT_EQ(end.profiles_removed, (std::vector<std::string>{"VISA", "MASTERCARD"}));
  ASSERT_EQ(end.cards.size(), 3U);  // one effect per card operation
  for (const auto& c : end.cards) {
    EXPECT_EQ(c.card_status, "OPTED_OUT");
    EXPECT_EQ(c.digital_card_id, std::optional<std::string>(""));
  }
  EXPECT_EQ(end.cards[0].operation_id, std::optional<std::string>("op-v"));
  EXPECT_EQ(end.cards[2].operation_id, std::optional<std::string>("op-m2"));
  EXPECT_EQ(end.related_operations, (std::vector<std::string>{"op-delete"}));
}

TEST(ConsumerOptOutPlan, FailureKeepsWhatTheNetworksStillHold) {
  OptOutPlan plan = TwoNetworks();
  plan.done = {"VISA"};
  const Finished end = EndOptOut(plan, false, "NETWORK_UNAVAILABLE", "retries exhausted");
  EXPECT_FALSE(end.successful);
  EXPECT_EQ(end.error_code, "NETWORK_UNAVAILABLE");
  EXPECT_EQ(end.profiles_removed, (std::vector<std::string>{"VISA"}));
  ASSERT_EQ(end.cards.size(), 3U);
  EXPECT_EQ(end.cards[0].card_status, "OPTED_OUT");  // its profile is gone
  EXPECT_EQ(end.cards[1].card_status, "ENROLLED");   // still enrolled there
  EXPECT_FALSE(end.cards[1].digital_card_id.has_value());
}

TEST(ConsumerOptOutPlan, ACardWithoutOperationStillChanges) {
  OptOutPlan plan;
  plan.networks = {"VISA"};
  plan.cards = {{5, "VISA", {}}};
  const Finished end = EndOptOut(plan, true);
  ASSERT_EQ(end.cards.size(), 1U);
  EXPECT_FALSE(end.cards[0].operation_id.has_value());
}

}  // namespace
}  // namespace c2p::engine
