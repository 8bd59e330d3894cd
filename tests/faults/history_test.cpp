// The checker on a planted world: a clean history passes, and each broken promise of
// quality.md ("nothing lost") is reported.

#include "tests/faults/history.hpp"

#include <algorithm>

#include <gtest/gtest.h>

namespace c2p::faults {
namespace {

class PlantedWorld : public World {
 public:
  std::optional<std::vector<StoredOperation>> CardOperations(const std::string& issuer,
                                                             const std::string& card) override {
    if (unreadable_card == card) return std::nullopt;
    std::vector<StoredOperation> out;
    for (const auto& op : operations) {
      if (op.issuer == issuer && op.card == card) out.push_back(op);
    }
    return out;
  }
  Lookup Operation(const std::string& issuer, const std::string& id,
                   std::chrono::seconds /*wait*/) override {
    ++reads[id];
    for (const auto& op : operations) {
      if (op.issuer == issuer && op.id == id) {
        Lookup found{Found::kYes, op};
        // A status that changes after its first read through the getter.
        if (auto flip = flips.find(id); flip != flips.end() && reads[id] > 1) {
          found.operation.status = flip->second;
        }
        return found;
      }
    }
    return {Found::kNo, {}};
  }
  std::optional<std::vector<Notified>> Notifications() override { return notified; }
  std::optional<std::map<std::string, std::int64_t>> DuplicateEnrolments() override {
    return duplicates;
  }
  void Pause(std::chrono::milliseconds /*pause*/) override {}

  std::vector<StoredOperation> operations;
  std::vector<Notified> notified;
  std::map<std::string, std::int64_t> duplicates{{"visa", 0}, {"mastercard", 0}};
  std::string unreadable_card;
  std::map<std::string, std::string> flips;
  std::map<std::string, int> reads;
};

constexpr const char* kIssuer = "ISSUER0002";

class HistoryCheck : public ::testing::Test {
 protected:
  HistoryCheck() {
    options.settle = std::chrono::seconds(0);
    options.notified_issuers = {kIssuer};
    options.all_successful = true;
    // Two cards, each registered then enrolled and notified.
    for (const std::string card : {"k-1", "k-2"}) {
      auto reg = history.Sent(kIssuer, card, "REGISTER");
      history.Acknowledged(reg, 201, "");
      auto enrol = history.Sent(kIssuer, card, kEnrolment);
      history.Acknowledged(enrol, 202, "op-" + card);
      world.operations.push_back(
          {kIssuer, "reg-" + card, "REGISTER", "SUCCESSFUL", card, "2026-12-06T17:00:00.000Z", ""});
      world.operations.push_back(
          {kIssuer, "op-" + card, kEnrolment, "SUCCESSFUL", card, "2026-12-06T17:00:01.000Z", ""});
      world.notified.push_back({kIssuer, "op-" + card, "SUCCESSFUL", card});
    }
  }

  std::vector<std::string> Violations() { return CheckHistory(history, world, options).violations; }

  static bool Mentions(const std::vector<std::string>& violations, const std::string& text) {
    return std::any_of(violations.begin(), violations.end(),
                       [&](const std::string& v) { return v.find(text) != std::string::npos; });
  }

  History history;
  PlantedWorld world;
  CheckOptions options;
};

TEST_F(HistoryCheck, ACleanHistoryHasNoViolationsAndCountsItsFigures) {
  const auto result = CheckHistory(history, world, options);
  EXPECT_TRUE(result.violations.empty()) << result.violations.front();
  EXPECT_EQ(result.figures.requests, 4U);
  EXPECT_EQ(result.figures.acknowledged, 4U);
  EXPECT_EQ(result.figures.stored_operations, 4U);
  EXPECT_EQ(result.figures.notified_operations, 2U);  // registrations are not notified
  EXPECT_NE(result.Summary().find("0 violations"), std::string::npos);
}

TEST_F(HistoryCheck, AnAcknowledgedOperationMissingFromTheStoreIsReported) {
  world.operations.erase(world.operations.begin() + 1);  // op-k-1
  EXPECT_TRUE(Mentions(Violations(),
                       "acknowledged operation ISSUER0002/op-k-1 (card k-1) is not "
                       "stored"));
}

TEST_F(HistoryCheck, AnAcknowledgedRegistrationMissingFromTheStoreIsReported) {
  world.operations.erase(world.operations.begin());  // reg-k-1
  EXPECT_TRUE(Mentions(Violations(), "acknowledged REGISTER of card ISSUER0002/k-1 is not stored"));
}

TEST_F(HistoryCheck, AnOperationStillPendingIsReported) {
  world.operations[1].status = "PENDING";
  world.notified.erase(world.notified.begin());
  EXPECT_TRUE(Mentions(Violations(), "op-k-1 (CLICK_TO_PAY_ENROLMENT, card k-1) is still PENDING"));
}

TEST_F(HistoryCheck, ATerminalStateThatChangesIsReported) {
  world.flips["op-k-2"] = "FAILED";
  EXPECT_TRUE(Mentions(Violations(), "op-k-2 was SUCCESSFUL, then FAILED"));
}

TEST_F(HistoryCheck, ARequestAppliedTwiceIsReported) {
  world.operations.push_back(
      {kIssuer, "op-k-1b", kEnrolment, "FAILED", "k-1", "2026-12-06T17:00:02.000Z", ""});
  world.notified.push_back({kIssuer, "op-k-1b", "FAILED", "k-1"});
  options.all_successful = false;
  const auto v = Violations();
  EXPECT_TRUE(Mentions(v,
                       "card ISSUER0002/k-1 has 2 CLICK_TO_PAY_ENROLMENT operations for 1 "
                       "requests"));
  EXPECT_FALSE(Mentions(v, "successful enrolments"));
}

TEST_F(HistoryCheck, TwoSuccessfulEnrolmentsOfACardAreReported) {
  history.Acknowledged(history.Sent(kIssuer, "k-1", kEnrolment), 202, "op-k-1b");
  world.operations.push_back(
      {kIssuer, "op-k-1b", kEnrolment, "SUCCESSFUL", "k-1", "2026-12-06T17:00:02.000Z", ""});
  world.notified.push_back({kIssuer, "op-k-1b", "SUCCESSFUL", "k-1"});
  EXPECT_TRUE(Mentions(Violations(), "card ISSUER0002/k-1 has 2 successful enrolments"));
}

TEST_F(HistoryCheck, AFailedOperationIsReportedWhenAllMustSucceed) {
  world.operations[3].status = "FAILED";
  world.notified[1].status = "FAILED";
  EXPECT_TRUE(Mentions(Violations(), "op-k-2 (CLICK_TO_PAY_ENROLMENT, card k-2) ended FAILED"));
  options.all_successful = false;
  EXPECT_TRUE(Violations().empty());
}

TEST_F(HistoryCheck, ATerminalOperationNeverNotifiedIsReported) {
  world.notified.erase(world.notified.begin() + 1);
  EXPECT_TRUE(Mentions(Violations(),
                       "ISSUER0002/op-k-2 (CLICK_TO_PAY_ENROLMENT, card k-2) was "
                       "never notified"));
}

TEST_F(HistoryCheck, AnOperationToldOnlyWhilePendingWasNotNotified) {
  world.notified[1].status = "PENDING";
  EXPECT_TRUE(Mentions(Violations(), "op-k-2 (CLICK_TO_PAY_ENROLMENT, card k-2) was never"));
}

TEST_F(HistoryCheck, OperationsOfAnIssuerWithoutNotificationsNeedNone) {
  world.notified.clear();
  options.notified_issuers.clear();
  EXPECT_TRUE(Violations().empty());
}

TEST_F(HistoryCheck, NotificationsOutOfEndOrderAreReportedWhenOrderIsChecked) {
  history.Acknowledged(history.Sent(kIssuer, "k-1", "CLICK_TO_PAY_OPTOUT"), 202, "out-k-1");
  world.operations.push_back({kIssuer, "out-k-1", "CLICK_TO_PAY_OPTOUT", "SUCCESSFUL", "k-1",
                              "2026-12-06T17:00:05.000Z", "2026-12-06T17:00:04.000Z"});
  // The opt-out, which started after the enrolment had ended, reached the issuer first.
  world.notified.insert(world.notified.begin(), {kIssuer, "out-k-1", "SUCCESSFUL", "k-1"});
  EXPECT_TRUE(Violations().empty());
  options.notified_in_order = true;
  EXPECT_TRUE(Mentions(Violations(),
                       "card ISSUER0002/k-1: operation out-k-1 (started "
                       "2026-12-06T17:00:04.000Z) was notified before op-k-1"));
  // Within the slack (the end stamp precedes the commit), either order is fine.
  options.order_slack = std::chrono::seconds(4);
  EXPECT_TRUE(Violations().empty());
}

TEST_F(HistoryCheck, DuplicateEnrolmentsAtANetworkAreReportedAboveTheBaseline) {
  world.duplicates["visa"] = 3;
  EXPECT_TRUE(Mentions(Violations(), "visa saw 3 duplicate enrolments"));
  options.duplicates_before["visa"] = 3;
  EXPECT_TRUE(Violations().empty());
}

TEST_F(HistoryCheck, ARequestLeftUnresolvedAndUnreadableCardsAreReported) {
  history.Sent(kIssuer, "k-3", kEnrolment);
  world.unreadable_card = "k-2";
  const auto v = Violations();
  EXPECT_TRUE(Mentions(v, "on card ISSUER0002/k-3 was sent but never resolved"));
  EXPECT_TRUE(Mentions(v, "the operations of card ISSUER0002/k-2 could not be read"));
}

TEST_F(HistoryCheck, LostAndRefusedAnswersAreCountedNotBlamed) {
  history.AnswerLost(history.Sent(kIssuer, "k-4", kEnrolment));
  history.Refused(history.Sent(kIssuer, "k-5", kEnrolment), 409, "ALREADY_ENROLLED");
  const auto result = CheckHistory(history, world, options);
  EXPECT_TRUE(result.violations.empty());
  EXPECT_EQ(result.figures.answers_lost, 1U);
  EXPECT_EQ(result.figures.refused, 1U);
}

}  // namespace
}  // namespace c2p::faults
