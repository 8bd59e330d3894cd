// Issue 10: three c2pd nodes on one PostgreSQL behind nginx (the
// deploy/nginx/c2p.conf.template of the repository, tests/faults/cluster_fixture.hpp),
// under enrolment load, have every store connection cut mid-load (what a PostgreSQL
// restart does to them, without restarting the shared test server): clients see 503 at
// most, the history checker finds nothing acknowledged lost, and every node serves again
// without a restart. The node-loss scenario (quality.md R4) is tests/faults/node_loss_test;
// a real PostgreSQL restart is tests/faults/store_outage_test.
//
// Runs only on PostgreSQL (ctest sets C2P_E2E_STORE=postgresql and starts the server).

#include "tests/faults/cluster_fixture.hpp"

namespace c2p::testing {
namespace {

class MultiNode : public ClusterE2e {};

TEST_F(MultiNode, StoreConnectionsCutUnderLoadLoseNothingAndRecover) {
  const auto dup_before = faults::DuplicatesNow(sim_->sim_port);
  Load load;
  load.first = 0;
  load.last = kConsumers;
  RunLoad(load, 4, [] { ASSERT_TRUE(pg_->CutConnections()); });
  std::cout << "multi-node: " << load.acknowledged << " enrolments acknowledged, "
            << Statuses(load, 502) + Statuses(load, 503) + Statuses(load, 0)
            << " calls retried across the cut\n";
  EXPECT_EQ(Statuses(load, 500), 0);
  const auto check = CheckHistory(load, {port_}, dup_before);
  EXPECT_GT(check.figures.acknowledged, 40U);
  // Every node serves again without a restart.
  for (auto port : node_ports_) {
    auto r = Fetch(port, "GET", "/readyz");
    EXPECT_TRUE(r && r->status == 200) << "node on " << port;
  }
}

}  // namespace
}  // namespace c2p::testing
