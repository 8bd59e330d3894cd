#pragma once
// The fault suite's harness (quality.md R1–R5): the Click to Pay e2e fixture (a real c2pd
// on a real c2psim, tests/e2e/enrol_fixture.hpp) with ISSUER0002 notifying c2psim's
// stand-in issuer on a compressed retry schedule, client threads that register and enrol
// ISSUER0002 cards and record every request into a faults::History, and the history
// checker run against this c2pd and c2psim at the end.
//
// Knobs (environment, read by the scenarios; scripts/faults.sh long sets them):
//   C2P_FAULT_CONSUMERS  consumers the stand-in issuer knows = the most cards a run enrols.

#include <atomic>
#include <cstdlib>
#include <iostream>

#include "tests/e2e/enrol_fixture.hpp"
#include "tests/faults/http_world.hpp"

namespace c2p::testing {

inline int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::atoi(v) : fallback;
}

class FaultSuite : public EnrolE2e {
 protected:
  static void SetUpTestSuite() {
    notify_issuer_b_ = true;
    fetched_consumers_ = EnvInt("C2P_FAULT_CONSUMERS", default_consumers_);
    if (notifications_config_.empty()) {  // a scenario may set its own first
      notifications_config_ =
          "[notifications]\nretry_schedule_ms = [50, 100, 200]\njitter_percent = 0\n"
          "timeout_ms = 1000\nlease_ms = 3000\n";
    }
    EnrolE2e::SetUpTestSuite();
  }
  static void TearDownTestSuite() {
    EnrolE2e::TearDownTestSuite();
    notify_issuer_b_ = false;
    notifications_config_.clear();
    fetched_consumers_ = 8;
  }

  // What client threads share: when to stop, and the history they record.
  struct Load {
    std::atomic<bool> stop{false};
    std::atomic<int> retried{0};  // calls asked again after no answer, 503 or a key in use
    faults::History history;
  };

  // The next consumer the stand-in issuer knows ("" once all are used: the load ends).
  static std::string NextConsumer() {
    const int n = next_consumer_++;
    return n < fetched_consumers_ ? "c-fetch-" + std::to_string(n) : "";
  }

  // One call with ISSUER0002's token and `key` as Idempotency-Key, asked again (same key)
  // while c2pd is down, answers 503 or still holds the key, for up to a minute.
  static std::optional<HttpResponse> Persist(Load& load, const std::string& method,
                                             const std::string& path, const std::string& body,
                                             const std::string& key) {
    const std::string token = Token(kIssuerB);
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < until) {
      auto r = Fetch(port_, method, path, body,
                     "Authorization: Bearer " + token + "\r\nIdempotency-Key: " + key +
                         "\r\nContent-Type: application/json\r\n");
      const bool again = !r || r->status == 502 || r->status == 503 ||
                         (r->status == 409 && ErrorCodeOf(*r) == "IDEMPOTENCY_KEY_IN_USE");
      if (!again) return r;
      ++load.retried;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a client's back-off
    }
    return std::nullopt;
  }

  // `cards` cards shared among four clients (Client below), run to the end.
  static void RunClients(Load& load, int cards) {
    constexpr int kWorkers = 4;
    std::vector<std::thread> clients;
    for (int w = 0; w < kWorkers; ++w) {
      clients.emplace_back([&, w] { Client(w, load, (cards + kWorkers - 1 - w) / kWorkers); });
    }
    for (auto& t : clients) t.join();
  }

  // One client: for each fresh consumer, registers it with one card (Visa and Mastercard
  // alternately) and enrols the card, recording the card's requests, until `load.stop`,
  // `cards` cards (0: no limit) or the consumers run out.
  static void Client(int worker, Load& load, int cards = 0) {
    for (int i = 0; !load.stop && (cards == 0 || i < cards); ++i) {
      const std::string consumer = NextConsumer();
      if (consumer.empty()) return;
      const std::string card = "k-" + consumer.substr(std::string("c-fetch-").size());
      const bool visa = (worker + i) % 2 == 0;
      auto c = Persist(load, "PUT", Consumer(kIssuerB, consumer), "{}", "pc-" + card);
      if (!c || (c->status != 200 && c->status != 201)) {
        ADD_FAILURE() << "consumer answered " << (c ? c->status : 0);
        continue;
      }
      const auto reg = load.history.Sent(kIssuerB, card, "REGISTER");
      auto k = Persist(
          load, "PUT", Card(kIssuerB, card),
          CardBody(consumer, TestPan(visa ? "4" : "51"), visa ? "VISA_CLASSIC" : "MC_STANDARD"),
          "pk-" + card);
      if (!Record(load, reg, k)) continue;
      const auto enrol = load.history.Sent(kIssuerB, card, faults::kEnrolment);
      Record(load, enrol, Persist(load, "POST", Enrolment(kIssuerB, card), "", "e-" + card));
    }
  }

  // Records an answer; true when it was a 2xx. A refusal other than ALREADY_ENROLLED (an
  // earlier attempt committed, its answer was lost) fails the test: nothing here is invalid.
  static bool Record(Load& load, faults::History::Id id, const std::optional<HttpResponse>& r) {
    if (!r) {
      load.history.AnswerLost(id);
      return false;
    }
    if (r->status / 100 == 2) {
      const auto b = Body(*r);
      const auto* op = b.if_contains("operationId");
      load.history.Acknowledged(
          id, r->status, op != nullptr && op->is_string() ? std::string(op->as_string()) : "");
      return true;
    }
    const std::string code = ErrorCodeOf(*r);
    load.history.Refused(id, r->status, code);
    if (code != "ALREADY_ENROLLED") ADD_FAILURE() << "answered " << r->status << " " << code;
    return false;
  }

  static faults::Endpoints Endpoints() {
    return {{port_}, {{kIssuerB, Token(kIssuerB)}}, sim_->sim_port};
  }

  // The options every scenario starts from: ISSUER0002 is notified, duplicates counted from
  // now (earlier tests of the suite).
  static faults::CheckOptions Options() {
    faults::CheckOptions options;
    options.notified_issuers = {kIssuerB};
    options.duplicates_before = faults::DuplicatesNow(sim_->sim_port);
    return options;
  }

  // Runs the checker, prints its figures (docs/reliability.md quotes them) and fails the
  // test on each violation.
  static faults::CheckResult ExpectHistoryHolds(const std::string& scenario, const Load& load,
                                                const faults::CheckOptions& options) {
    auto result = faults::Check(load.history, Endpoints(), options);
    std::cout << scenario << ": " << result.Summary() << ", " << load.retried
              << " calls asked again\n";
    for (const auto& v : result.violations) ADD_FAILURE() << scenario << ": " << v;
    return result;
  }

  static inline std::atomic<int> next_consumer_{0};
  // Set before SetUpTestSuite: the consumers (cards) a scenario needs when
  // C2P_FAULT_CONSUMERS does not say.
  static inline int default_consumers_ = 1500;
};

}  // namespace c2p::testing
