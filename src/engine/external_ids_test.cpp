#include "engine/external_ids.hpp"

#include <regex>

#include <gtest/gtest.h>

namespace c2p::engine {
namespace {

TEST(ExternalIds, StableOpaqueAndDistinct) {
  const std::string consumer = ExternalConsumerId("ISSUER0001", "cons_1");
  EXPECT_EQ(consumer, ExternalConsumerId("ISSUER0001", "cons_1"));
  EXPECT_NE(consumer, ExternalConsumerId("ISSUER0002", "cons_1"));
  EXPECT_NE(ExternalConsumerId("ISSUER0001", "ab"), ExternalConsumerId("ISSUER000", "1ab"));
  EXPECT_EQ(consumer.find("cons_1"), std::string::npos);
  // The networks' id rule: 1 to 64 of [A-Za-z0-9._:-].
  const std::regex rule("[A-Za-z0-9._:-]{1,64}");
  EXPECT_TRUE(std::regex_match(consumer, rule));
  const std::string card = ExternalCardId("ISSUER0001", "crd_1", 1700000000000);
  EXPECT_TRUE(std::regex_match(card, rule));
  EXPECT_EQ(card, ExternalCardId("ISSUER0001", "crd_1", 1700000000000));
  // A new incarnation of the cardId is a new card at the network.
  EXPECT_NE(card, ExternalCardId("ISSUER0001", "crd_1", 1700000000001));
}

}  // namespace
}  // namespace c2p::engine
