#include "domain/lifecycle.hpp"

#include <gtest/gtest.h>

namespace c2p::domain {
namespace {

constexpr CardState kCardStates[] = {CardState::kActive, CardState::kInactive,
                                     CardState::kSuspended, CardState::kDeleted};
constexpr ConsumerState kConsumerStates[] = {ConsumerState::kActive, ConsumerState::kInactive,
                                             ConsumerState::kDeleted};

template <typename T>
void ExpectInvalidState(const core::Result<T>& result, const char* what) {
  ASSERT_FALSE(result) << what;
  EXPECT_EQ(result.error().code, core::ErrorCode::kInvalidState) << what;
  EXPECT_TRUE(result.error().field.empty());
}

TEST(Lifecycle, SuspendOnlyFromActive) {
  for (CardState s : kCardStates) {
    auto next = SuspendCard(s);
    if (s == CardState::kActive) {
      ASSERT_TRUE(next);
      EXPECT_EQ(*next, CardState::kSuspended);
    } else {
      ExpectInvalidState(next, "suspend");
    }
  }
}

TEST(Lifecycle, ResumeOnlyFromSuspendedWithAnActiveConsumer) {
  for (CardState card : kCardStates) {
    for (ConsumerState consumer : kConsumerStates) {
      auto next = ResumeCard(card, consumer);
      if (card == CardState::kSuspended && consumer == ConsumerState::kActive) {
        ASSERT_TRUE(next);
        EXPECT_EQ(*next, CardState::kActive);
      } else {
        ExpectInvalidState(next, "resume");
      }
    }
  }
  auto inactive_consumer = ResumeCard(CardState::kSuspended, ConsumerState::kInactive);
  ASSERT_FALSE(inactive_consumer);
  EXPECT_NE(inactive_consumer.error().message.find("consumer is INACTIVE"), std::string::npos);
}

TEST(Lifecycle, DeleteFromAnyLiveStateAndDeletedIsFinal) {
  for (CardState s : kCardStates) {
    auto next = DeleteCard(s);
    if (s == CardState::kDeleted) {
      ExpectInvalidState(next, "delete card");
    } else {
      ASSERT_TRUE(next);
      EXPECT_EQ(*next, CardState::kDeleted);
    }
  }
  for (ConsumerState s : kConsumerStates) {
    auto next = DeleteConsumer(s);
    if (s == ConsumerState::kDeleted) {
      ExpectInvalidState(next, "delete consumer");
    } else {
      ASSERT_TRUE(next);
      EXPECT_EQ(*next, ConsumerState::kDeleted);
    }
  }
}

TEST(Lifecycle, DeletedCardAcceptsNothing) {
  ExpectInvalidState(SuspendCard(CardState::kDeleted), "suspend");
  ExpectInvalidState(ResumeCard(CardState::kDeleted, ConsumerState::kActive), "resume");
  ExpectInvalidState(DeleteCard(CardState::kDeleted), "delete");
}

TEST(Lifecycle, MessagesNameTheState) {
  auto r = SuspendCard(CardState::kInactive);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "card is INACTIVE; only an ACTIVE card can be suspended");
}

}  // namespace
}  // namespace c2p::domain
