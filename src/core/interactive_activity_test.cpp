#include "core/interactive_activity.hpp"

#include <gtest/gtest.h>

namespace c2p::core {
namespace {

TEST(InteractiveActivity, QuietUntilTouchedThenRecent) {
  InteractiveActivity activity;
  EXPECT_FALSE(activity.Recent());
  activity.Touch();
  EXPECT_TRUE(activity.Recent());
}

}  // namespace
}  // namespace c2p::core
