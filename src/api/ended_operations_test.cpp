#include "api/ended_operations.hpp"

#include <gtest/gtest.h>

#include <string>

namespace c2p::api {
namespace {

EndedOperations::View ViewOf(const std::string& body) { return {body, "crd_1", std::nullopt}; }

TEST(EndedOperations, AKeptViewIsFoundByIssuerAndOperation) {
  EndedOperations views(4);
  views.Keep("ISSUER0001", "op_1", ViewOf("{\"a\":1}"));
  const auto* found = views.Find("ISSUER0001", "op_1");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->body, "{\"a\":1}");
  EXPECT_EQ(found->card_id, "crd_1");
  EXPECT_EQ(views.Find("ISSUER0002", "op_1"), nullptr);  // another issuer's is another key
  EXPECT_EQ(views.Find("ISSUER0001", "op_2"), nullptr);
}

TEST(EndedOperations, PastItsCapacityTheOldestIsDropped) {
  EndedOperations views(2);
  views.Keep("I", "op_1", ViewOf("1"));
  views.Keep("I", "op_2", ViewOf("2"));
  views.Keep("I", "op_3", ViewOf("3"));
  EXPECT_EQ(views.size(), 2U);
  EXPECT_EQ(views.Find("I", "op_1"), nullptr);
  ASSERT_NE(views.Find("I", "op_2"), nullptr);
  ASSERT_NE(views.Find("I", "op_3"), nullptr);
  views.Keep("I", "op_4", ViewOf("4"));
  EXPECT_EQ(views.Find("I", "op_2"), nullptr);
  EXPECT_EQ(views.Find("I", "op_4")->body, "4");
}

TEST(EndedOperations, KeepingTheSameOperationAgainChangesNothing) {
  EndedOperations views(2);
  views.Keep("I", "op_1", ViewOf("1"));
  views.Keep("I", "op_1", ViewOf("other"));
  views.Keep("I", "op_2", ViewOf("2"));
  EXPECT_EQ(views.size(), 2U);
  EXPECT_EQ(views.Find("I", "op_1")->body, "1");
}

}  // namespace
}  // namespace c2p::api
