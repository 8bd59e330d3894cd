#include "domain/registration.hpp"

#include <gtest/gtest.h>

#include "domain/network_effect.hpp"

namespace c2p::domain {
namespace {

template <typename T>
void ExpectRefused(const core::Result<T>& result, core::ErrorCode code) {
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, code);
}

TEST(ConsumerStateAfterPut, CreationTakesTheRequestedStateOrActive) {
  EXPECT_EQ(*ConsumerStateAfterPut(std::nullopt, std::nullopt), ConsumerState::kActive);
  EXPECT_EQ(*ConsumerStateAfterPut(std::nullopt, ConsumerState::kInactive),
            ConsumerState::kInactive);
}

TEST(ConsumerStateAfterPut, AbsentStateKeepsTheCurrentOne) {
  EXPECT_EQ(*ConsumerStateAfterPut(ConsumerState::kInactive, std::nullopt),
            ConsumerState::kInactive);
}

TEST(ConsumerStateAfterPut, ActiveAndInactiveSwitchBothWays) {
  EXPECT_EQ(*ConsumerStateAfterPut(ConsumerState::kActive, ConsumerState::kInactive),
            ConsumerState::kInactive);
  EXPECT_EQ(*ConsumerStateAfterPut(ConsumerState::kInactive, ConsumerState::kActive),
            ConsumerState::kActive);
}

TEST(ConsumerStateAfterPut, DeletedConsumerAcceptsNothing) {
  ExpectRefused(ConsumerStateAfterPut(ConsumerState::kDeleted, std::nullopt),
                core::ErrorCode::kInvalidState);
  ExpectRefused(ConsumerStateAfterPut(ConsumerState::kDeleted, ConsumerState::kActive),
                core::ErrorCode::kInvalidState);
  ExpectRefused(CheckConsumerTakesCards(ConsumerState::kDeleted), core::ErrorCode::kInvalidState);
  EXPECT_TRUE(CheckConsumerTakesCards(ConsumerState::kInactive));
}

TEST(CardStateAfterPut, CreationTakesTheRequestedStateOrActive) {
  EXPECT_EQ(*CardStateAfterPut(std::nullopt, std::nullopt), CardState::kActive);
  EXPECT_EQ(*CardStateAfterPut(std::nullopt, CardState::kInactive), CardState::kInactive);
}

TEST(CardStateAfterPut, AbsentOrSameStateKeepsTheCurrentOne) {
  for (CardState s : {CardState::kActive, CardState::kInactive, CardState::kSuspended}) {
    EXPECT_EQ(*CardStateAfterPut(s, std::nullopt), s);
  }
  EXPECT_EQ(*CardStateAfterPut(CardState::kActive, CardState::kActive), CardState::kActive);
}

TEST(CardStateAfterPut, InactiveCardIsActivatedByPut) {
  EXPECT_EQ(*CardStateAfterPut(CardState::kInactive, CardState::kActive), CardState::kActive);
}

TEST(CardStateAfterPut, ActiveCardIsNotDeactivatedByPut) {
  ExpectRefused(CardStateAfterPut(CardState::kActive, CardState::kInactive),
                core::ErrorCode::kInvalidState);
}

TEST(CardStateAfterPut, SuspendedCardChangesOnlyByResume) {
  ExpectRefused(CardStateAfterPut(CardState::kSuspended, CardState::kActive),
                core::ErrorCode::kInvalidState);
  ExpectRefused(CardStateAfterPut(CardState::kSuspended, CardState::kInactive),
                core::ErrorCode::kInvalidState);
}

TEST(CardStateAfterPut, LifecycleStatesCannotBeRequested) {
  ExpectRefused(CardStateAfterPut(std::nullopt, CardState::kSuspended),
                core::ErrorCode::kInvalidState);
  ExpectRefused(CardStateAfterPut(CardState::kActive, CardState::kDeleted),
                core::ErrorCode::kInvalidState);
}

TEST(CheckCardIdBinding, SamePanConsumerAndProductMayReplace) {
  EXPECT_TRUE(CheckCardIdBinding({true, true, true}));
}

TEST(CheckCardIdBinding, AnythingElseIsCardIdInUse) {
  ExpectRefused(CheckCardIdBinding({false, true, true}), core::ErrorCode::kCardIdInUse);
  auto consumer = CheckCardIdBinding({true, false, true});
  ExpectRefused(consumer, core::ErrorCode::kCardIdInUse);
  EXPECT_EQ(consumer.error().field, "/consumerId");
  auto product = CheckCardIdBinding({true, true, false});
  ExpectRefused(product, core::ErrorCode::kCardIdInUse);
  EXPECT_EQ(product.error().field, "/cardProductId");
}

TEST(LifecycleNetworkEffect, NotEnrolledCardsCompleteAtOnce) {
  for (auto s :
       {ClickToPayStatus::kNotEnrolled, ClickToPayStatus::kOptedOut, ClickToPayStatus::kFailed}) {
    EXPECT_EQ(*LifecycleNetworkEffect(s), NetworkEffect::kNone) << WireName(s);
  }
}

TEST(LifecycleNetworkEffect, EnrolledCardsWaitForTheNetwork) {
  EXPECT_EQ(*LifecycleNetworkEffect(ClickToPayStatus::kEnrolled), NetworkEffect::kPropagate);
}

TEST(LifecycleNetworkEffect, PendingClickToPayOperationIsInProgress) {
  ExpectRefused(LifecycleNetworkEffect(ClickToPayStatus::kEnrolling),
                core::ErrorCode::kOperationInProgress);
  ExpectRefused(LifecycleNetworkEffect(ClickToPayStatus::kOptingOut),
                core::ErrorCode::kOperationInProgress);
}

}  // namespace
}  // namespace c2p::domain
