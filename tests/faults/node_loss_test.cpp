// quality.md R4 (issue 11): one of three c2pd nodes on one PostgreSQL, behind nginx, is
// killed with SIGKILL mid-load. Its leased jobs and notification messages are taken over
// by the others once their lease (3 s here) lapses; the history checker finds every
// acknowledged enrolment stored, ended once (SUCCESSFUL) and notified, and no card
// enrolled twice at a network.

#include <signal.h>

#include "core/time_format.hpp"
#include "tests/faults/cluster_fixture.hpp"

namespace c2p::testing {
namespace {

// Enough clients that a dozen enrolments are in flight across the nodes.
constexpr int kClients = 10;

class NodeLoss : public ClusterE2e {};

// Operations the surviving nodes ended after `killed_at` at a second attempt or later: the
// dead node's leased jobs, run again.
int TakenOver(const std::vector<std::string>& logs, const std::string& killed_at) {
  int taken_over = 0;
  for (const auto& path : logs) {
    std::istringstream lines(ReadFile(path));
    for (std::string line; std::getline(lines, line);) {
      // "ts" is ISO-8601 UTC, so it orders as text; a directory retry before the kill (a
      // second attempt on the same node) does not count.
      const auto ts = line.find("{\"ts\":\"");
      if (ts == 0 && line.compare(7, killed_at.size(), killed_at) > 0 &&
          line.find("\"engine.operation_ended\"") != std::string::npos &&
          line.find("\"attempts\":1}") == std::string::npos) {
        ++taken_over;
      }
    }
  }
  return taken_over;
}

TEST_F(NodeLoss, ANodeKilledMidLoadHasItsWorkTakenOverExactlyOnce) {
  auto options = Options();
  options.all_successful = true;
  // Slow directories keep enrolments in flight, so the killed node holds leased jobs.
  SetLatency(150);
  Load load;
  std::string killed_at;
  RunLoad(load, kClients, [&killed_at] {
    // Strike when many jobs are leased (held by the three nodes, a third of them by the
    // victim on average), so the takeover is exercised.
    EXPECT_TRUE(Eventually(
        [] {
          const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
          return QueryInt("SELECT COUNT(*) FROM jobs WHERE lease_until_ms > " +
                          std::to_string(now)) >= 9;
        },
        std::chrono::seconds(20), std::chrono::milliseconds(2)));
    killed_at = core::FormatIsoMillis(std::chrono::system_clock::now());
    nodes_.back().Signal(SIGKILL);
    ASSERT_TRUE(nodes_.back().Wait(std::chrono::seconds(10)));
  });
  SetLatency(0);
  // Read through nginx and the surviving nodes themselves.
  const auto check =
      CheckHistory("R4 node loss", load, options, {port_, node_ports_[0], node_ports_[1]});
  EXPECT_GT(check.figures.acknowledged, 60U);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM jobs"), 0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM operations WHERE status = 'PENDING'"), 0);
  const int taken_over = TakenOver({dir_ + "/c2pd.out", dir_ + "/c2pd-1.out"}, killed_at);
  std::cout << "R4 node loss: " << taken_over
            << " operations ended after the kill at a second attempt or later\n";
  EXPECT_GT(taken_over, 0) << "the killed node held no job: the takeover was not exercised";
  for (const char* log : {"/c2pd.out", "/c2pd-1.out", "/c2pd-2.out"}) ExpectLogClean(dir_ + log);
}

}  // namespace
}  // namespace c2p::testing
