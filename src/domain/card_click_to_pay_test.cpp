#include "domain/card_click_to_pay.hpp"

#include <gtest/gtest.h>

namespace c2p::domain {
namespace {

TEST(CardClickToPayChange, OnlyAnEnrolledCardMayChange) {
  EXPECT_TRUE(CheckCardClickToPayChange(ClickToPayStatus::kEnrolled));
  for (auto s :
       {ClickToPayStatus::kNotEnrolled, ClickToPayStatus::kOptedOut, ClickToPayStatus::kFailed}) {
    auto r = CheckCardClickToPayChange(s);
    ASSERT_FALSE(r) << WireName(s);
    EXPECT_EQ(r.error().code, core::ErrorCode::kNotEnrolled) << WireName(s);
  }
  for (auto s : {ClickToPayStatus::kEnrolling, ClickToPayStatus::kOptingOut}) {
    auto r = CheckCardClickToPayChange(s);
    ASSERT_FALSE(r) << WireName(s);
    EXPECT_EQ(r.error().code, core::ErrorCode::kOperationInProgress) << WireName(s);
  }
}

}  // namespace
}  // namespace c2p::domain
