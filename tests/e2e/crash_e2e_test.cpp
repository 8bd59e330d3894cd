// quality.md R1: c2pd is killed with SIGKILL at random moments while clients register and
// enrol cards, then restarted. Afterwards every operation a client saw acknowledged (202)
// exists and ended SUCCESSFUL exactly once, each card has exactly one enrolment, no job is
// left, and c2psim never saw a card enrolled twice.
//
// C2P_CRASH_KILLS sets the number of kills (default 5, the CI version; scripts/crash_soak.sh
// runs 60). C2P_CRASH_SEED replays a run's moments.

#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <random>
#include <set>

#include "tests/e2e/enrol_fixture.hpp"

namespace c2p::testing {
namespace {

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::atoi(v) : fallback;
}

class Crash : public EnrolE2e {
 protected:
  struct Acked {
    std::string card;
    std::string operation;  // empty: committed by an attempt whose answer was lost
  };

  // One client: registers and enrols cards until `stop`, retrying each call (with the
  // same Idempotency-Key) until c2pd answers it.
  static void Client(int worker, std::atomic<bool>& stop, std::mutex& mu,
                     std::vector<Acked>& acked) {
    const std::string token = Token(kIssuerA);
    auto call = [&](const std::string& method, const std::string& path, const std::string& body,
                    const std::string& key) -> std::optional<HttpResponse> {
      const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      while (std::chrono::steady_clock::now() < until) {
        auto r = Fetch(port_, method, path, body,
                       "Authorization: Bearer " + token + "\r\nIdempotency-Key: " + key +
                           "\r\nContent-Type: application/json\r\n");
        // No answer (c2pd down), 409 IDEMPOTENCY_KEY_IN_USE, 503: ask again shortly.
        if (r && r->status != 503 &&
            !(r->status == 409 && ErrorCodeOf(*r) == "IDEMPOTENCY_KEY_IN_USE")) {
          return r;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      return std::nullopt;
    };
    for (int i = 0; !stop; ++i) {
      const std::string id = "w" + std::to_string(worker) + "-" + std::to_string(i);
      const std::string pan = TestPan(i % 2 == 0 ? "4" : "51");
      const std::string product = i % 2 == 0 ? "VISA_CLASSIC" : "MC_STANDARD";
      auto c = call("PUT", Consumer(kIssuerA, "c-" + id), kInfo, "pc-" + id);
      if (!c || (c->status != 200 && c->status != 201)) continue;
      auto k =
          call("PUT", Card(kIssuerA, "k-" + id), CardBody("c-" + id, pan, product), "pk-" + id);
      if (!k || (k->status != 200 && k->status != 201)) continue;
      auto e = call("POST", Enrolment(kIssuerA, "k-" + id), "", "e-" + id);
      if (!e) continue;
      std::lock_guard lock(mu);
      if (e->status == 202) {
        acked.push_back({"k-" + id, std::string(Body(*e).at("operationId").as_string())});
      } else if (ErrorCodeOf(*e) == "ALREADY_ENROLLED") {
        acked.push_back({"k-" + id, ""});  // an earlier attempt committed; its answer was lost
      } else {
        ADD_FAILURE() << "enrolment answered " << e->status << " " << e->body;
      }
    }
  }
};

TEST_F(Crash, KillNineUnderEnrolmentLoadLosesAndDuplicatesNothing) {
  const int kills = EnvInt("C2P_CRASH_KILLS", 5);
  const unsigned seed =
      static_cast<unsigned>(EnvInt("C2P_CRASH_SEED", static_cast<int>(std::random_device{}())));
  RecordProperty("seed", static_cast<int>(seed));
  std::cout << "crash test: " << kills << " kills, C2P_CRASH_SEED=" << seed << "\n";
  std::mt19937 rng(seed);
  const auto visa_before = Stat("visa", "cards");
  const auto mc_before = Stat("mastercard", "cards");

  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<Acked> acked;
  std::vector<std::thread> clients;
  for (int w = 0; w < 4; ++w) {
    clients.emplace_back([&, w] { Client(w, stop, mu, acked); });
  }
  for (int k = 0; k < kills; ++k) {
    // A random moment: anywhere in accepting, committing, calling a directory, polling.
    std::this_thread::sleep_for(std::chrono::milliseconds(50 + rng() % 450));
    daemon_->Signal(SIGKILL);
    ASSERT_TRUE(daemon_->Wait(std::chrono::seconds(10)));
    StartDaemon({"pan-v1.jwk"});
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // load after the last restart
  stop = true;
  for (auto& t : clients) t.join();
  ASSERT_FALSE(acked.empty());

  std::set<std::string> cards;
  for (const auto& a : acked) {
    EXPECT_TRUE(cards.insert(a.card).second) << a.card << " acknowledged twice";
    auto list = Body(Call("GET", "/banking/v1/issuers/" + std::string(kIssuerA) + "/cards/" +
                                     a.card + "/operations?limit=100"));
    std::vector<std::string> enrolments;
    for (const auto& o : list.at("operations").as_array()) {
      if (o.at("operation").as_string() == "CLICK_TO_PAY_ENROLMENT") {
        enrolments.emplace_back(o.at("operationId").as_string());
      }
    }
    ASSERT_EQ(enrolments.size(), 1U) << a.card << ": " << json::serialize(list);
    if (!a.operation.empty()) {
      EXPECT_EQ(enrolments[0], a.operation) << a.card;
    }
    auto end = Ended(enrolments[0], kIssuerA, std::chrono::seconds(120));
    EXPECT_EQ(end.at("status").as_string(), "SUCCESSFUL") << json::serialize(end);
  }
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM jobs"), 0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM operations WHERE status = 'PENDING'"), 0);
  EXPECT_EQ(Stat("visa", "duplicateEnrolments"), 0);
  EXPECT_EQ(Stat("mastercard", "duplicateEnrolments"), 0);
  // Every enrolled card is in its directory once; cards whose enrolment was never
  // acknowledged may be there too (committed before a kill, driven after the restart).
  const auto in_directories =
      Stat("visa", "cards") - visa_before + Stat("mastercard", "cards") - mc_before;
  EXPECT_GE(in_directories, static_cast<std::int64_t>(cards.size()));
  std::cout << "crash test: " << acked.size() << " enrolments acknowledged across " << kills
            << " kills\n";
}

}  // namespace
}  // namespace c2p::testing
