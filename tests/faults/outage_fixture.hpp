#pragma once
// The enrolment load of the outage and node-loss suites (issue 11): client threads that
// register ISSUER0002 consumers (their data comes from c2psim's stand-in issuer) with one
// card each and enrol it, riding out 502/503 and lost answers by retrying each call with
// the same Idempotency-Key, and recording every enrolment request in the shared history
// (tests/faults/history.hpp), which the checker then holds against the world.

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "tests/e2e/enrol_fixture.hpp"
#include "tests/faults/history.hpp"
#include "tests/faults/http_world.hpp"
#include "tests/support/scratch_dir.hpp"

namespace c2p::testing {

class OutageE2e : public EnrolE2e {
 protected:
  // Set in SetUpTestSuite of a derived suite, before EnrolE2e's: the consumers the stand-in
  // issuer knows, 3 s leases and ISSUER0002's notifications to c2psim.
  static void PrepareLoad(int consumers) {
    fetched_consumers_ = consumers;
    engine_extra_ = "lease_ms = 3000\n";
    notify_issuer_b_ = true;
    notifications_config_ =
        "[notifications]\nretry_schedule_ms = [50, 100, 200]\njitter_percent = 0\n"
        "timeout_ms = 1000\nlease_ms = 3000\n";
  }
  static void ResetLoad() {
    engine_extra_.clear();
    notifications_config_.clear();
    notify_issuer_b_ = false;
    fetched_consumers_ = 8;
  }

  struct Load {
    std::atomic<bool> stop{false};
    std::atomic<int> next{0};          // the next consumer number
    std::atomic<int> acknowledged{0};  // enrolments answered 202
    std::mutex mu;
    std::map<int, int> statuses;  // every answer's status (0: none), retries included
    faults::History history;
    int first = 0;                      // consumer numbers of this load start here
    int last = 0;                       // and stay below this
    std::chrono::seconds patience{60};  // how long a client retries one call
  };

  static int Statuses(Load& load, int status) {
    std::lock_guard lock(load.mu);
    return load.statuses[status];
  }

  // One call, retried with the same key while the service is unavailable (502/503, no
  // answer, the key's first attempt still running). nullopt: still unavailable at the end
  // of the client's patience.
  static std::optional<HttpResponse> Retrying(Load& load, const std::string& token,
                                              const std::string& method, const std::string& path,
                                              const std::string& body, const std::string& key) {
    const auto until = std::chrono::steady_clock::now() + load.patience;
    while (std::chrono::steady_clock::now() < until) {
      auto r = Fetch(port_, method, path, body,
                     "Authorization: Bearer " + token + "\r\nIdempotency-Key: " + key +
                         "\r\nContent-Type: application/json\r\n",
                     std::chrono::seconds(15));
      {
        std::lock_guard lock(load.mu);
        ++load.statuses[r ? r->status : 0];
      }
      const bool retry = !r || r->status == 502 || r->status == 503 ||
                         (r->status == 409 && ErrorCodeOf(*r) == "IDEMPOTENCY_KEY_IN_USE");
      if (!retry) return r;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a client's back-off
    }
    return std::nullopt;
  }

  // One client: consumer, card, enrolment, again, until stopped or out of numbers.
  static void Client(Load& load) {
    const std::string token = Token(kIssuerB);
    for (int n = load.next++; !load.stop && n < load.last; n = load.next++) {
      const std::string consumer = "c-fetch-" + std::to_string(n);
      const std::string card = "k-" + std::to_string(n);
      const bool visa = n % 2 == 0;
      auto c = Retrying(load, token, "PUT", Consumer(kIssuerB, consumer), "{}", "pc-" + card);
      if (!c || (c->status != 200 && c->status != 201)) {
        ADD_FAILURE() << "consumer answered " << (c ? c->status : 0) << " " << (c ? c->body : "");
        continue;
      }
      auto k = Retrying(
          load, token, "PUT", Card(kIssuerB, card),
          CardBody(consumer, TestPan(visa ? "4" : "51"), visa ? "VISA_CLASSIC" : "MC_STANDARD"),
          "pk-" + card);
      if (!k || (k->status != 200 && k->status != 201)) {
        ADD_FAILURE() << "card answered " << (k ? k->status : 0) << " " << (k ? k->body : "");
        continue;
      }
      const auto id = load.history.Sent(kIssuerB, card, faults::kEnrolment);
      auto e = Retrying(load, token, "POST", Enrolment(kIssuerB, card), "", "e-" + card);
      if (!e) {
        load.history.AnswerLost(id);
      } else if (e->status == 202) {
        load.history.Acknowledged(id, e->status,
                                  std::string(Body(*e).at("operationId").as_string()));
        ++load.acknowledged;
      } else {
        load.history.Refused(id, e->status, ErrorCodeOf(*e));
      }
    }
  }

  // `clients` clients on consumers [first, last): the load builds up (20 enrolments
  // acknowledged), `strike` runs, and the load goes on until 20 more are acknowledged.
  static void RunLoad(Load& load, int clients, const std::function<void()>& strike) {
    load.next = load.first;
    std::vector<std::thread> threads;
    for (int w = 0; w < clients; ++w) threads.emplace_back([&load] { Client(load); });
    EXPECT_TRUE(Eventually([&] { return load.acknowledged >= 20; }, std::chrono::seconds(60),
                           std::chrono::milliseconds(5)))
        << "the load did not build up";
    strike();
    const int at_strike = load.acknowledged;
    EXPECT_TRUE(Eventually([&] { return load.acknowledged >= at_strike + 20; },
                           std::chrono::seconds(60), std::chrono::milliseconds(5)))
        << "c2pd did not acknowledge enrolments again after the fault";
    load.stop = true;
    for (auto& t : threads) t.join();
  }

  // The history against c2pd (through `ports`), the stand-in issuer and c2psim: every
  // acknowledged enrolment stored, ended once (SUCCESSFUL) and notified; no card enrolled
  // twice.
  static faults::CheckResult CheckHistory(const Load& load, const std::vector<std::uint16_t>& ports,
                                          const std::map<std::string, std::int64_t>& dup_before) {
    faults::Endpoints endpoints;
    endpoints.c2pd_ports = ports;
    endpoints.tokens[kIssuerB] = Token(kIssuerB);
    endpoints.sim_port = sim_->sim_port;
    faults::CheckOptions options;
    options.notified_issuers = {kIssuerB};
    options.all_successful = true;
    options.duplicates_before = dup_before;
    auto result = faults::Check(load.history, endpoints, options);
    for (const auto& v : result.violations) ADD_FAILURE() << v;
    std::cout << SuiteName() << ": " << result.Summary() << "\n";
    return result;
  }

  // No test PAN or email in c2pd's log (quality.md S4).
  static void ExpectLogClean(const std::string& log_path) {
    const std::string log = ReadFile(log_path);
    std::lock_guard lock(responses_mu_);
    for (const auto& pan : pans_) EXPECT_EQ(log.find(pan), std::string::npos) << "a PAN in the log";
    EXPECT_EQ(log.find("fetched@example.com"), std::string::npos) << "an email in the log";
    EXPECT_EQ(log.find(kTestEmail), std::string::npos) << "an email in the log";
  }
};

}  // namespace c2p::testing
