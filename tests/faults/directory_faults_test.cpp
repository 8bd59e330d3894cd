// quality.md R2: both directories answer 20% of calls 503 and let 5% time out (the call is
// applied, its answer held past c2p's timeout) while clients enrol cards on both networks.
// Every operation still ends SUCCESSFUL, once, notified, and no card is enrolled twice:
// a lost answer is followed by a look-up, never a blind second enrolment.
//
// C2P_FAULT_CARDS sets the cards enrolled (default 40); C2P_FAULT_SEED the faults' seed.

#include "tests/faults/fault_fixture.hpp"

namespace c2p::testing {
namespace {

class DirectoryFaults : public FaultSuite {
 protected:
  static void SetFaults(const std::string& body) {
    for (const char* network : {"visa", "mastercard"}) {
      auto r = Fetch(sim_->sim_port, "POST", "/sim/v1/faults",
                     std::string(R"({"network":")") + network + "\"," + body + "}",
                     "Content-Type: application/json\r\n");
      ASSERT_TRUE(r && r->status / 100 == 2) << (r ? r->body : "no answer");
    }
  }
  void TearDown() override { Fetch(sim_->sim_port, "DELETE", "/sim/v1/faults"); }
};

TEST_F(DirectoryFaults, ErrorsAndTimeoutsStillEndEveryEnrolmentSuccessfulOnce) {
  const int cards = EnvInt("C2P_FAULT_CARDS", 40);
  const int seed = EnvInt("C2P_FAULT_SEED", 7);
  std::cout << "R2: " << cards << " cards, C2P_FAULT_SEED=" << seed << "\n";
  auto options = Options();
  options.all_successful = true;
  options.notified_in_order = true;
  SetFaults(R"("errorRate":0.2,"status":503,"timeoutRate":0.05,"seed":)" + std::to_string(seed));

  Load load;
  RunClients(load, cards);
  EXPECT_EQ(load.history.Count(faults::Request::Outcome::kAcknowledged),
            static_cast<std::size_t>(2 * cards));

  const auto result = ExpectHistoryHolds("R2", load, options);
  EXPECT_EQ(result.figures.notified_operations, static_cast<std::size_t>(2 * cards))
      << "each card: its enrolment and its token's activation";
  // The faults were met: some enrolments needed more than one attempt.
  EXPECT_NE(ReadFile(dir_ + "/c2pd.out").find("\"engine.retry_later\""), std::string::npos);
}

}  // namespace
}  // namespace c2p::testing
