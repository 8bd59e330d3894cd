// quality.md R4 and issue 10: three c2pd nodes on one PostgreSQL behind nginx (the
// deploy/nginx/c2p.conf.template of the repository), under enrolment load.
//
// - One node is killed with SIGKILL mid-load: every operation a client saw acknowledged
//   ends exactly once (SUCCESSFUL), no card is enrolled twice at a network, and the issuer
//   is notified of every one. The dead node's leased jobs and messages are taken over by
//   the others once their lease (3 s here) lapses.
// - The store's connections are cut mid-load (what a PostgreSQL restart does to them):
//   clients see 503 at most, nothing acknowledged is lost, and the nodes recover alone.
//
// Runs only on PostgreSQL (ctest sets C2P_E2E_STORE=postgresql and starts the server).

#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/time_format.hpp"
#include "tests/e2e/enrol_fixture.hpp"

namespace c2p::testing {
namespace {

constexpr int kWorkers = 4;
constexpr int kConsumersPerWorker = 100;

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

class MultiNode : public EnrolE2e {
 protected:
  static void SetUpTestSuite() {
    const char* store = std::getenv("C2P_E2E_STORE");
    ASSERT_TRUE(store != nullptr && std::string(store) == "postgresql")
        << "this suite needs C2P_E2E_STORE=postgresql (ctest sets it)";
    fetched_consumers_ = kWorkers * kConsumersPerWorker * 2;
    engine_extra_ = "lease_ms = 3000\n";
    notify_issuer_b_ = true;
    notifications_config_ =
        "[notifications]\nretry_schedule_ms = [50, 100, 200]\njitter_percent = 0\n"
        "timeout_ms = 1000\nlease_ms = 3000\n";
    EnrolE2e::SetUpTestSuite();  // node 0, on port_ (c2psim's token services call it)
    ASSERT_TRUE(daemon_);
    const std::string config = ReadFile(ConfigPath());
    const std::string own_port = "port = " + std::to_string(port_) + "\n";
    ASSERT_NE(config.find(own_port), std::string::npos);
    node_ports_ = {port_};
    for (int n = 1; n < 3; ++n) {
      const std::uint16_t port = FreePort();
      const std::string path = dir_ + "/c2pd-" + std::to_string(n) + ".toml";
      std::ofstream(path) << Replace(config, own_port, "port = " + std::to_string(port) + "\n");
      auto node = Process::Start({BinDir() + "/c2pd", "--config", path},
                                 dir_ + "/c2pd-" + std::to_string(n) + ".out");
      ASSERT_TRUE(node);
      ASSERT_TRUE(WaitC2pdReady(port)) << ReadFile(dir_ + "/c2pd-" + std::to_string(n) + ".out");
      nodes_.push_back(std::move(*node));
      node_ports_.push_back(port);
    }
    StartNginx();
  }

  static void TearDownTestSuite() {
    if (nginx_) nginx_->Stop();
    nginx_.reset();
    for (auto& n : nodes_) n.Stop();
    nodes_.clear();
    port_ = node_ports_.empty() ? port_ : node_ports_[0];
    EnrolE2e::TearDownTestSuite();
    engine_extra_.clear();
    notifications_config_.clear();
    notify_issuer_b_ = false;
    fetched_consumers_ = 8;
  }

  // nginx from the repository's template, in front of the three nodes; the fixture's
  // calls (tokens, operations) go through it from now on.
  static void StartNginx() {
    std::ifstream in(std::string(C2P_SOURCE_DIR) + "/deploy/nginx/c2p.conf.template");
    ASSERT_TRUE(in) << "deploy/nginx/c2p.conf.template not found";
    std::stringstream text;
    text << in.rdbuf();
    const std::string prefix = dir_ + "/nginx";
    std::filesystem::create_directories(prefix);
    std::string upstreams;
    for (auto port : node_ports_) {
      upstreams += "server 127.0.0.1:" + std::to_string(port) + " max_fails=3 fail_timeout=2s;\n";
    }
    const std::uint16_t port = FreePort();
    std::string conf = Replace(text.str(), "${C2P_NODES}", upstreams);
    conf = Replace(conf, "${C2P_LISTEN}", "127.0.0.1:" + std::to_string(port));
    conf = Replace(conf, "${NGINX_PREFIX}", prefix);
    // Two workers are plenty on loopback (the template says auto).
    conf = Replace(conf, "worker_processes auto;", "worker_processes 2;");
    std::ofstream(prefix + "/nginx.conf") << conf;
    auto nginx = Process::Start({"/usr/sbin/nginx", "-p", prefix, "-c", prefix + "/nginx.conf"},
                                prefix + "/nginx.out");
    ASSERT_TRUE(nginx);
    nginx_ = std::move(*nginx);
    ASSERT_TRUE(WaitReady(port)) << ReadFile(prefix + "/error.log");
    port_ = port;
  }

  struct Acked {
    std::string card;
    std::string operation;  // empty: committed by an attempt whose answer was lost
  };

  struct Load {
    std::atomic<bool> stop{false};
    std::atomic<int> unavailable{0};  // 503s and lost connections the clients rode out
    std::mutex mu;
    std::vector<Acked> acked;
  };

  // One client: registers ISSUER0002 consumers (their data comes from the stand-in issuer)
  // with one card each and enrols it, retrying each call with the same Idempotency-Key
  // until some node answers it.
  static void Client(const std::string& tag, int worker, Load& load) {
    const std::string token = Token(kIssuerB);
    auto call = [&](const std::string& method, const std::string& path, const std::string& body,
                    const std::string& key) -> std::optional<HttpResponse> {
      const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      while (std::chrono::steady_clock::now() < until) {
        auto r = Fetch(port_, method, path, body,
                       "Authorization: Bearer " + token + "\r\nIdempotency-Key: " + key +
                           "\r\nContent-Type: application/json\r\n");
        const bool retry = !r || r->status == 502 || r->status == 503 ||
                           (r->status == 409 && ErrorCodeOf(*r) == "IDEMPOTENCY_KEY_IN_USE");
        if (!retry) return r;
        ++load.unavailable;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a client's back-off
      }
      return std::nullopt;
    };
    for (int i = 0; !load.stop && i < kConsumersPerWorker; ++i) {
      const int n = worker * kConsumersPerWorker + i + (tag == "kill" ? 0 : kWorkers * 100);
      const std::string consumer = "c-fetch-" + std::to_string(n);
      const std::string card = "k-" + tag + "-" + std::to_string(n);
      const bool visa = i % 2 == 0;
      auto c = call("PUT", Consumer(kIssuerB, consumer), "{}", "pc-" + card);
      if (!c || (c->status != 200 && c->status != 201)) {
        ADD_FAILURE() << "consumer answered " << (c ? c->status : 0);
        continue;
      }
      auto k = call(
          "PUT", Card(kIssuerB, card),
          CardBody(consumer, TestPan(visa ? "4" : "51"), visa ? "VISA_CLASSIC" : "MC_STANDARD"),
          "pk-" + card);
      if (!k || (k->status != 200 && k->status != 201)) {
        ADD_FAILURE() << "card answered " << (k ? k->status : 0);
        continue;
      }
      auto e = call("POST", Enrolment(kIssuerB, card), "", "e-" + card);
      if (!e) continue;
      std::lock_guard lock(load.mu);
      if (e->status == 202) {
        load.acked.push_back({card, std::string(Body(*e).at("operationId").as_string())});
      } else if (ErrorCodeOf(*e) == "ALREADY_ENROLLED") {
        load.acked.push_back({card, ""});
      } else {
        ADD_FAILURE() << "enrolment answered " << e->status << " " << ErrorCodeOf(*e);
      }
    }
  }

  // The card's enrolment operations, most recent first, read through nginx.
  static std::vector<std::string> Enrolments(const std::string& card) {
    auto list = Body(Call(
        "GET",
        "/banking/v1/issuers/" + std::string(kIssuerB) + "/cards/" + card + "/operations?limit=100",
        {}, kIssuerB));
    std::vector<std::string> out;
    if (!list.contains("operations")) return out;
    for (const auto& o : list.at("operations").as_array()) {
      if (o.at("operation").as_string() == "CLICK_TO_PAY_ENROLMENT") {
        out.emplace_back(o.at("operationId").as_string());
      }
    }
    return out;
  }

  // Whether the stand-in issuer was told that the card's operation `id` ended SUCCESSFUL.
  static bool NotifiedSuccess(const std::string& card, const std::string& id) {
    auto r = Fetch(sim_->sim_port, "GET", "/sim/v1/issuer/notifications?cardId=" + card);
    if (!r || r->status != 200) return false;
    const json::value received = json::parse(r->body);
    for (const auto& n : received.at("notifications").as_array()) {
      const auto& body = n.as_object().at("body").as_object();
      if (!body.contains("operations")) continue;
      for (const auto& op : body.at("operations").as_array()) {
        const auto& o = op.as_object();
        if (o.at("operationId").as_string() == id && o.at("status").as_string() == "SUCCESSFUL") {
          return true;
        }
      }
    }
    return false;
  }

  // Every acknowledged enrolment exists once, ended SUCCESSFUL and was notified.
  static void ExpectEachEndedOnceAndNotified(const std::vector<Acked>& acked) {
    std::set<std::string> cards;
    for (const auto& a : acked) {
      EXPECT_TRUE(cards.insert(a.card).second) << a.card << " acknowledged twice";
      const auto enrolments = Enrolments(a.card);
      ASSERT_EQ(enrolments.size(), 1U) << a.card;
      if (!a.operation.empty()) {
        EXPECT_EQ(enrolments[0], a.operation) << a.card;
      }
      auto end = Ended(enrolments[0], kIssuerB, std::chrono::seconds(120));
      EXPECT_EQ(end.at("status").as_string(), "SUCCESSFUL") << json::serialize(end);
      EXPECT_TRUE(Eventually([&] { return NotifiedSuccess(a.card, enrolments[0]); },
                             std::chrono::seconds(60), std::chrono::milliseconds(50)))
          << a.card << " " << enrolments[0] << " was never notified";
    }
  }

  static void RunLoad(const std::string& tag, Load& load, const std::function<void()>& mid_load) {
    std::vector<std::thread> clients;
    for (int w = 0; w < kWorkers; ++w) {
      clients.emplace_back([&, w] { Client(tag, w, load); });
    }
    // Let the load build up on every node, strike, and keep the load going after it.
    EXPECT_TRUE(Eventually(
        [&] {
          std::lock_guard lock(load.mu);
          return load.acked.size() >= 20;
        },
        std::chrono::seconds(60), std::chrono::milliseconds(5)));
    mid_load();
    {
      std::unique_lock lock(load.mu);
      const std::size_t at_strike = load.acked.size();
      lock.unlock();
      EXPECT_TRUE(Eventually(
          [&] {
            std::lock_guard l(load.mu);
            return load.acked.size() >= at_strike + 20;
          },
          std::chrono::seconds(60), std::chrono::milliseconds(5)))
          << "the remaining nodes stopped acknowledging";
    }
    load.stop = true;
    for (auto& t : clients) t.join();
  }

  // Added to every directory call of both networks (c2psim's faults).
  static void SetLatency(int ms) {
    for (const char* network : {"visa", "mastercard"}) {
      auto r = Fetch(
          sim_->sim_port, "POST", "/sim/v1/faults",
          std::string(R"({"network":")") + network + R"(","latencyMs":)" + std::to_string(ms) + "}",
          "Content-Type: application/json\r\n");
      ASSERT_TRUE(r && r->status / 100 == 2) << (r ? r->body : "no answer");
    }
  }

  static inline std::vector<Process> nodes_;  // nodes 1 and 2 (node 0 is daemon_)
  static inline std::vector<std::uint16_t> node_ports_;
  static inline std::optional<Process> nginx_;
};

TEST_F(MultiNode, StoreConnectionsCutUnderLoadLoseNothingAndRecover) {
  const auto dup_before =
      Stat("visa", "duplicateEnrolments") + Stat("mastercard", "duplicateEnrolments");
  Load load;
  RunLoad("cut", load, [] { ASSERT_TRUE(pg_->CutConnections()); });
  ASSERT_FALSE(load.acked.empty());
  std::cout << "multi-node: " << load.acked.size() << " enrolments acknowledged, "
            << load.unavailable << " calls retried across the cut\n";
  ExpectEachEndedOnceAndNotified(load.acked);
  EXPECT_EQ(Stat("visa", "duplicateEnrolments") + Stat("mastercard", "duplicateEnrolments"),
            dup_before);
  // Every node serves again without a restart.
  for (auto port : node_ports_) {
    auto r = Fetch(port, "GET", "/readyz");
    EXPECT_TRUE(r && r->status == 200) << "node on " << port;
  }
}

TEST_F(MultiNode, ANodeKilledMidLoadHasItsWorkTakenOverExactlyOnce) {
  const auto dup_before =
      Stat("visa", "duplicateEnrolments") + Stat("mastercard", "duplicateEnrolments");
  // Slow directories keep enrolments in flight, so the killed node holds leased jobs.
  SetLatency(150);
  Load load;
  std::string killed_at;
  RunLoad("kill", load, [&killed_at] {
    killed_at = core::FormatIsoMillis(std::chrono::system_clock::now());
    nodes_.back().Signal(SIGKILL);
    ASSERT_TRUE(nodes_.back().Wait(std::chrono::seconds(10)));
  });
  SetLatency(0);
  ASSERT_FALSE(load.acked.empty());
  std::cout << "multi-node: " << load.acked.size() << " enrolments acknowledged around the kill, "
            << load.unavailable << " calls retried\n";
  ExpectEachEndedOnceAndNotified(load.acked);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM jobs"), 0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM operations WHERE status = 'PENDING'"), 0);
  EXPECT_EQ(Stat("visa", "duplicateEnrolments") + Stat("mastercard", "duplicateEnrolments"),
            dup_before);
  // The dead node's leased jobs ran again on the others: their second attempt ended them.
  int taken_over = 0;
  for (const char* log : {"/c2pd.out", "/c2pd-1.out"}) {
    std::istringstream lines(ReadFile(dir_ + log));
    for (std::string line; std::getline(lines, line);) {
      // Logged after the kill ("ts" is ISO-8601 UTC, so it orders as text), after more
      // than one attempt: a directory retry before the kill does not count.
      const auto ts = line.find("{\"ts\":\"");
      if (ts == 0 && line.compare(7, killed_at.size(), killed_at) > 0 &&
          line.find("\"engine.operation_ended\"") != std::string::npos &&
          line.find("\"attempts\":1}") == std::string::npos) {
        ++taken_over;
      }
    }
  }
  std::cout << "multi-node: " << taken_over
            << " operations ended after the kill at a second attempt or later\n";
  EXPECT_GT(taken_over, 0) << "the killed node held no job: the takeover was not exercised";
}

}  // namespace
}  // namespace c2p::testing
