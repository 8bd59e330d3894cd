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

constexpr int kClients = 4;

class NodeLoss : public ClusterE2e {
 protected:
  // One consumer, card and enrolment sent to the node on `port` alone, recorded in the
  // history like the clients' own.
  static void EnrolAt(std::uint16_t port, Load& load) {
    const std::string consumer = NextConsumer();
    ASSERT_FALSE(consumer.empty());
    const std::string card = "k-" + consumer.substr(std::string("c-fetch-").size());
    const std::string headers = "Authorization: Bearer " + Token(kIssuerB) +
                                "\r\nContent-Type: application/json\r\nIdempotency-Key: ";
    auto c =
        Fetch(port, "PUT", Consumer(kIssuerB, consumer), "{}", headers + "pc-" + card + "\r\n");
    ASSERT_TRUE(c && (c->status == 200 || c->status == 201));
    const auto reg = load.history.Sent(kIssuerB, card, "REGISTER");
    ASSERT_TRUE(Record(
        load, reg,
        Fetch(port, "PUT", Card(kIssuerB, card), CardBody(consumer, TestPan("4"), "VISA_CLASSIC"),
              headers + "pk-" + card + "\r\n")));
    const auto enrol = load.history.Sent(kIssuerB, card, faults::kEnrolment);
    ASSERT_TRUE(
        Record(load, enrol,
               Fetch(port, "POST", Enrolment(kIssuerB, card), "", headers + "e-" + card + "\r\n")));
  }
};

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
  RunLoad(load, kClients, [&] {
    // The victim is given enrolments of its own just before the kill: its engine, woken by
    // their commit, claims them at once (the others poll), and the directories' latency
    // keeps them leased there when it dies, so the takeover is always exercised.
    const std::uint16_t victim = node_ports_.back();
    for (int i = 0; i < 3; ++i) EnrolAt(victim, load);
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
