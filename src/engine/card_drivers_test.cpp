// The card drivers' decisions that need no network: the cascade's parameter in a job's
// progress, what an update sends to each network, and where giving up leaves the card.

#include <gtest/gtest.h>

#include "core/metrics.hpp"
#include "engine/card_optout_driver.hpp"
#include "engine/card_update_driver.hpp"
#include "tests/support/scratch_dir.hpp"

namespace c2p::engine {
namespace {

domain::BillingAddress Address() {
  domain::BillingAddress a;
  a.address_line1 = "1 rue X";
  a.city = "Paris";
  a.postal_code = "75001";
  a.country_code = "FR";
  return a;
}

TEST(CardOptOut, TheCascadedOperationTravelsInTheProgress) {
  EXPECT_EQ(CascadedOptOut(DeleteCascadeProgress("op_123")), "op_123");
  EXPECT_EQ(CascadedOptOut("{}"), std::nullopt);
  EXPECT_EQ(CascadedOptOut(R"({"optOutOperationId": 7})"), std::nullopt);
  EXPECT_EQ(CascadedOptOut(R"({"optOutOperationId": ""})"), std::nullopt);
  EXPECT_EQ(CascadedOptOut("not json"), std::nullopt);
}

TEST(CardOptOut, GivingUpLeavesTheCardEnrolledAndEndsTheCascadedOperation) {
  c2p::testing::ScratchDir dir;
  core::metrics::Registry metrics;
  auto store = store::OpenStore("sqlite:" + dir.File("c2p.db"), {}, metrics);
  ASSERT_TRUE(store) << store.error().message;
  CardOptOutDriver driver(**store, {});

  store::JobRecord job;
  job.card_ref = 42;
  Finished own = driver.GiveUp(job, "NETWORK_UNAVAILABLE", "retries exhausted");
  EXPECT_FALSE(own.successful);
  EXPECT_EQ(own.error_code, "NETWORK_UNAVAILABLE");
  EXPECT_EQ(own.card_status, "ENROLLED");
  EXPECT_EQ(own.digital_card_id, std::nullopt);  // the network still holds it
  EXPECT_TRUE(own.cards.empty());

  job.progress = DeleteCascadeProgress("op_d1");
  Finished cascade = driver.GiveUp(job, "NETWORK_UNAVAILABLE", "retries exhausted");
  ASSERT_EQ(cascade.cards.size(), 1u);
  EXPECT_EQ(cascade.cards[0].card_ref, 42);
  EXPECT_EQ(cascade.cards[0].card_status, "ENROLLED");
  EXPECT_EQ(cascade.cards[0].operation_id, "op_d1");
  (*store)->Close();
}

TEST(CardUpdate, TheNameGoesToVisaOnly) {
  const std::optional<std::string> name = "JANE DOE";
  auto visa = CardUpdateFor("VISA", "ext-1", name, Address());
  EXPECT_EQ(visa.external_card_id, "ext-1");
  EXPECT_EQ(visa.name_on_card, "JANE DOE");
  EXPECT_TRUE(visa.billing);
  EXPECT_FALSE(visa.status);

  auto mc = CardUpdateFor("MASTERCARD", "ext-2", name, Address());
  EXPECT_EQ(mc.name_on_card, std::nullopt);
  EXPECT_TRUE(mc.billing);

  auto nothing = CardUpdateFor("MASTERCARD", "ext-3", name, std::nullopt);
  EXPECT_FALSE(nothing.name_on_card);
  EXPECT_FALSE(nothing.billing);
}

}  // namespace
}  // namespace c2p::engine
