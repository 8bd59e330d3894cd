#pragma once
// What the store-outage and node-loss scenarios add to the fault suite's harness
// (fault_fixture.hpp: its clients, history and checker): 3 s job leases (a lease outlived
// by an outage is taken over within the test), a load that builds up, is struck, and must
// be acknowledged again afterwards, and the log scan.

#include <functional>

#include "tests/faults/fault_fixture.hpp"

namespace c2p::testing {

class OutageSuite : public FaultSuite {
 protected:
  static void SetUpTestSuite() {
    engine_extra_ = "lease_ms = 3000\n";
    FaultSuite::SetUpTestSuite();
  }
  static void TearDownTestSuite() {
    FaultSuite::TearDownTestSuite();
    engine_extra_.clear();
  }

  static std::size_t Acknowledged(const Load& load) {
    return load.history.Count(faults::Request::Outcome::kAcknowledged);
  }

  // `clients` clients: the load builds up (20 requests acknowledged), `strike` runs, and
  // the load goes on until 40 more are acknowledged (c2pd serves again by itself).
  static void RunLoad(Load& load, int clients, const std::function<void()>& strike) {
    std::vector<std::thread> threads;
    for (int w = 0; w < clients; ++w) threads.emplace_back([&load, w] { Client(w, load); });
    EXPECT_TRUE(Eventually([&] { return Acknowledged(load) >= 20; }, std::chrono::seconds(60),
                           std::chrono::milliseconds(5)))
        << "the load did not build up";
    strike();
    const std::size_t at_strike = Acknowledged(load);
    EXPECT_TRUE(Eventually([&] { return Acknowledged(load) >= at_strike + 40; },
                           std::chrono::seconds(60), std::chrono::milliseconds(5)))
        << "c2pd did not acknowledge requests again after the fault";
    load.stop = true;
    for (auto& t : threads) t.join();
  }

  // Every acknowledged request stored, every operation ended once and SUCCESSFUL, notified;
  // no card enrolled twice (fault_fixture.hpp's checker, against `ports`).
  static faults::CheckResult CheckHistory(const std::string& scenario, const Load& load,
                                          const faults::CheckOptions& options,
                                          const std::vector<std::uint16_t>& ports = {}) {
    auto endpoints = Endpoints();
    if (!ports.empty()) endpoints.c2pd_ports = ports;
    auto result = faults::Check(load.history, endpoints, options);
    std::cout << scenario << ": " << result.Summary() << ", " << load.retried
              << " calls asked again\n";
    for (const auto& v : result.violations) ADD_FAILURE() << scenario << ": " << v;
    return result;
  }

  // No test PAN or email in a c2pd log (quality.md S4).
  static void ExpectLogClean(const std::string& log_path) {
    const std::string log = ReadFile(log_path);
    std::lock_guard lock(responses_mu_);
    for (const auto& pan : pans_) EXPECT_EQ(log.find(pan), std::string::npos) << "a PAN in the log";
    EXPECT_EQ(log.find("fetched@example.com"), std::string::npos) << "an email in the log";
    EXPECT_EQ(log.find(kTestEmail), std::string::npos) << "an email in the log";
  }
};

}  // namespace c2p::testing
