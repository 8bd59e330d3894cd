// quality.md R3: the issuer's notification endpoint is down for "an hour" on an
// accelerated clock: c2pd's real retry schedule (5 s, 30 s, 2 min, … 8 h, jittered) and
// horizon divided by C2P_FAULT_CLOCK_SCALE (default 1000: the hour lasts 3.6 s). During
// the first half the stand-in issuer answers 503, during the second it answers only after
// c2pd's timeout. Cards are enrolled, then opted out, meanwhile. Once it is back, every operation's
// notification is delivered, in the order the card's operations ended, and the history checker
// holds.
//
// C2P_FAULT_CARDS sets the cards enrolled during the outage (default 40).

#include "tests/faults/fault_fixture.hpp"

namespace c2p::testing {
namespace {

int Scale() { return std::max(1, EnvInt("C2P_FAULT_CLOCK_SCALE", 1000)); }

class IssuerOutage : public FaultSuite {
 protected:
  static void SetUpTestSuite() {
    // outbound.md §3's schedule and horizon, on the accelerated clock.
    std::string schedule;
    for (long long ms : {5000LL, 30000LL, 120000LL, 600000LL, 1800000LL, 3600000LL, 7200000LL,
                         14400000LL, 28800000LL}) {
      schedule += (schedule.empty() ? "" : ", ") + std::to_string(std::max(1LL, ms / Scale()));
    }
    notifications_config_ = "[notifications]\nretry_schedule_ms = [" + schedule +
                            "]\nhorizon_ms = " + std::to_string(259200000LL / Scale()) +
                            "\njitter_percent = 20\ntimeout_ms = 1000\nlease_ms = 3000\n";
    FaultSuite::SetUpTestSuite();
  }
  static void TearDownTestSuite() {
    FaultSuite::TearDownTestSuite();
    notifications_config_.clear();
  }
  void TearDown() override { Behave(""); }

  static std::size_t Received() {
    auto r = Fetch(sim_->sim_port, "GET", "/sim/v1/issuer/notifications");
    return r && r->status == 200 ? json::parse(r->body).at("notifications").as_array().size()
                                 : static_cast<std::size_t>(-1);
  }
};

TEST_F(IssuerOutage, AnHourDownThenBackDeliversEverythingInOrderPerCard) {
  const int cards = EnvInt("C2P_FAULT_CARDS", 40);
  const auto hour = std::chrono::milliseconds(3600000 / Scale());
  std::cout << "R3: " << cards << " cards, an hour = " << hour.count() << " ms\n";
  auto options = Options();
  options.all_successful = true;
  options.notified_in_order = true;
  const auto received_before = Received();
  const auto retried_before = Metric("c2p_notifications_retried_total");

  Behave(R"({"status":503})");
  const auto outage_start = std::chrono::steady_clock::now();
  Load load;
  RunClients(load, cards);
  // Then each card is opted out, once its enrolment has ended: operations that start after
  // others ended, so the order of the card's notifications is checked (CheckOptions).
  std::vector<std::pair<std::string, std::string>> enrolled;  // card, operation
  for (const auto& r : load.history.Requests()) {
    if (r.operation == faults::kEnrolment && !r.operation_id.empty()) {
      enrolled.emplace_back(r.card, r.operation_id);
    }
  }
  for (const auto& [card, op] : enrolled) Ended(op, kIssuerB);
  // Not a wait for work: it separates the opt-outs' start stamps from the enrolments' ends.
  std::this_thread::sleep_for(2 * options.order_slack);
  for (const auto& [card, op] : enrolled) {
    const auto id = load.history.Sent(kIssuerB, card, "CLICK_TO_PAY_OPTOUT");
    Record(load, id,
           Persist(load, "POST",
                   "/banking/v1/issuers/" + std::string(kIssuerB) + "/cards/" + card +
                       "/operations:clickToPayOptOut",
                   "", "o-" + card));
  }
  // c2pd keeps trying: at least one failed attempt per card's first notification.
  EXPECT_TRUE(Eventually(
      [&] { return Metric("c2p_notifications_retried_total") >= retried_before + cards; },
      std::chrono::seconds(60), std::chrono::milliseconds(20)));
  EXPECT_EQ(Received(), received_before) << "the issuer was down: nothing may have arrived";
  // The outage's length is the fault itself, not a wait for work: its first half 503s,
  // its second half answers after c2pd has given up on the attempt (timeout_ms 1000).
  std::this_thread::sleep_until(outage_start + hour / 2);
  Behave(R"({"delayMs":1500})");
  std::this_thread::sleep_until(outage_start + hour);
  Behave("");
  const auto retried_during = Metric("c2p_notifications_retried_total") - retried_before;

  const auto result = ExpectHistoryHolds("R3", load, options);
  // Each card: its enrolment, its token's activation, its opt-out and its token's deletion.
  EXPECT_GE(result.figures.notified_operations, static_cast<std::size_t>(3 * cards));
  std::cout << "R3: " << retried_during << " notification attempts retried during the outage\n";
}

}  // namespace
}  // namespace c2p::testing
