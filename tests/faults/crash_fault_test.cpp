// quality.md R1: c2pd is killed with SIGKILL at random moments while clients register and
// enrol cards, then restarted. The history checker then holds: every acknowledged request
// is stored, every operation ended exactly once (SUCCESSFUL), every one was notified to the
// issuer, and c2psim never saw a card enrolled twice; no job is left.
//
// C2P_CRASH_KILLS sets the number of kills (default 5, the CI version; scripts/faults.sh
// long and scripts/crash_soak.sh run 60). C2P_CRASH_SEED replays a run's moments.

#include <signal.h>

#include <random>

#include "tests/faults/fault_fixture.hpp"

namespace c2p::testing {
namespace {

class Crash : public FaultSuite {
 protected:
  static void SetUpTestSuite() {
    // Enough consumers for the load between every kill (about 50 cards a kill here).
    default_consumers_ = 1000 + 150 * EnvInt("C2P_CRASH_KILLS", 5);
    FaultSuite::SetUpTestSuite();
  }
};

TEST_F(Crash, KillNineUnderEnrolmentLoadLosesAndDuplicatesNothing) {
  const int kills = EnvInt("C2P_CRASH_KILLS", 5);
  const unsigned seed =
      static_cast<unsigned>(EnvInt("C2P_CRASH_SEED", static_cast<int>(std::random_device{}())));
  RecordProperty("seed", static_cast<int>(seed));
  std::cout << "R1: " << kills << " kills, C2P_CRASH_SEED=" << seed << "\n";
  std::mt19937 rng(seed);
  auto options = Options();
  options.all_successful = true;
  options.notified_in_order = true;

  Load load;
  std::vector<std::thread> clients;
  for (int w = 0; w < 4; ++w) {
    clients.emplace_back([&, w] { Client(w, load); });
  }
  for (int k = 0; k < kills; ++k) {
    // A random moment: anywhere in accepting, committing, calling a directory, polling,
    // notifying.
    std::this_thread::sleep_for(std::chrono::milliseconds(50 + rng() % 450));
    daemon_->Signal(SIGKILL);
    ASSERT_TRUE(daemon_->Wait(std::chrono::seconds(10)));
    StartDaemon({"pan-v1.jwk"});
  }
  // Some load after the last restart: enough acknowledgements to see it serving again.
  const auto at_last = load.history.Count(faults::Request::Outcome::kAcknowledged);
  EXPECT_TRUE(Eventually(
      [&] { return load.history.Count(faults::Request::Outcome::kAcknowledged) >= at_last + 8; },
      std::chrono::seconds(60), std::chrono::milliseconds(5)))
      << "no acknowledgement after the last restart (consumers exhausted?)";
  load.stop = true;
  for (auto& t : clients) t.join();
  ASSERT_GT(load.history.Count(faults::Request::Outcome::kAcknowledged), 0U);

  const auto result = ExpectHistoryHolds("R1 (" + std::to_string(kills) + " kills)", load, options);
  EXPECT_GT(result.figures.notified_operations, 0U);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM jobs"), 0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM operations WHERE status = 'PENDING'"), 0);
}

}  // namespace
}  // namespace c2p::testing
