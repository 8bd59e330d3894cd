#include "domain/states.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace c2p::domain {
namespace {

template <typename Enum>
void ExpectNames(const std::vector<std::pair<Enum, std::string_view>>& names,
                 std::optional<Enum> (*parse)(std::string_view)) {
  for (const auto& [value, name] : names) {
    EXPECT_EQ(WireName(value), name);
    EXPECT_EQ(parse(name), value) << name;
  }
}

TEST(States, WireNamesRoundTrip) {
  ExpectNames<CardState>({{CardState::kActive, "ACTIVE"},
                          {CardState::kInactive, "INACTIVE"},
                          {CardState::kSuspended, "SUSPENDED"},
                          {CardState::kDeleted, "DELETED"}},
                         ParseCardState);
  ExpectNames<ConsumerState>({{ConsumerState::kActive, "ACTIVE"},
                              {ConsumerState::kInactive, "INACTIVE"},
                              {ConsumerState::kDeleted, "DELETED"}},
                             ParseConsumerState);
  ExpectNames<ClickToPayStatus>({{ClickToPayStatus::kNotEnrolled, "NOT_ENROLLED"},
                                 {ClickToPayStatus::kEnrolling, "ENROLLING"},
                                 {ClickToPayStatus::kEnrolled, "ENROLLED"},
                                 {ClickToPayStatus::kOptingOut, "OPTING_OUT"},
                                 {ClickToPayStatus::kOptedOut, "OPTED_OUT"},
                                 {ClickToPayStatus::kFailed, "FAILED"}},
                                ParseClickToPayStatus);
  ExpectNames<Network>({{Network::kVisa, "VISA"}, {Network::kMastercard, "MASTERCARD"}},
                       ParseNetwork);
  ExpectNames<ReasonCode>({{ReasonCode::kIssuerDecision, "ISSUER_DECISION"},
                           {ReasonCode::kUserDecision, "USER_DECISION"}},
                          ParseReasonCode);
  ExpectNames<OperationType>({{OperationType::kClickToPayEnrolment, "CLICK_TO_PAY_ENROLMENT"},
                              {OperationType::kClickToPayUpdate, "CLICK_TO_PAY_UPDATE"},
                              {OperationType::kClickToPayOptOut, "CLICK_TO_PAY_OPTOUT"},
                              {OperationType::kRegister, "REGISTER"},
                              {OperationType::kSuspend, "SUSPEND"},
                              {OperationType::kResume, "RESUME"},
                              {OperationType::kDelete, "DELETE"},
                              {OperationType::kDigitize, "DIGITIZE"}},
                             ParseOperationType);
  ExpectNames<OperationStatus>({{OperationStatus::kPending, "PENDING"},
                                {OperationStatus::kSuccessful, "SUCCESSFUL"},
                                {OperationStatus::kFailed, "FAILED"}},
                               ParseOperationStatus);
  ExpectNames<RequestorType>({{RequestorType::kIssuer, "ISSUER"},
                              {RequestorType::kD1, "D1"},
                              {RequestorType::kTsp, "TSP"},
                              {RequestorType::kCci, "CCI"}},
                             ParseRequestorType);
}

TEST(States, ParsingIsExact) {
  for (std::string_view name : {"active", "Active", " ACTIVE", "ACTIVE ", "", "ACTIV"}) {
    EXPECT_FALSE(ParseCardState(name)) << name;
  }
  EXPECT_FALSE(ParseClickToPayStatus("OPTED-OUT"));
  EXPECT_FALSE(ParseNetwork("AMEX"));
}

TEST(States, PutMayOnlyAskForActiveOrInactive) {
  EXPECT_EQ(ParseRequestedCardState("ACTIVE"), CardState::kActive);
  EXPECT_EQ(ParseRequestedCardState("INACTIVE"), CardState::kInactive);
  EXPECT_FALSE(ParseRequestedCardState("SUSPENDED"));
  EXPECT_FALSE(ParseRequestedCardState("DELETED"));
  EXPECT_EQ(ParseRequestedConsumerState("ACTIVE"), ConsumerState::kActive);
  EXPECT_EQ(ParseRequestedConsumerState("INACTIVE"), ConsumerState::kInactive);
  EXPECT_FALSE(ParseRequestedConsumerState("DELETED"));
}

TEST(States, OperationKinds) {
  EXPECT_TRUE(IsConsumerOperation(OperationType::kRegister));
  EXPECT_TRUE(IsConsumerOperation(OperationType::kDelete));
  EXPECT_TRUE(IsConsumerOperation(OperationType::kClickToPayUpdate));
  EXPECT_TRUE(IsConsumerOperation(OperationType::kClickToPayOptOut));
  EXPECT_FALSE(IsConsumerOperation(OperationType::kClickToPayEnrolment));
  EXPECT_FALSE(IsConsumerOperation(OperationType::kSuspend));
  EXPECT_FALSE(IsConsumerOperation(OperationType::kResume));
  EXPECT_FALSE(IsConsumerOperation(OperationType::kDigitize));
  EXPECT_FALSE(IsTerminal(OperationStatus::kPending));
  EXPECT_TRUE(IsTerminal(OperationStatus::kSuccessful));
  EXPECT_TRUE(IsTerminal(OperationStatus::kFailed));
}

}  // namespace
}  // namespace c2p::domain
