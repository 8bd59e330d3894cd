#pragma once
// A real c2pd wired to a real c2psim for the Click to Pay suites: the registry fixture's
// c2pd (two issuers, Visa and Mastercard products) plus [networks.*] pointing at c2psim,
// an [engine] with short back-off so retries show within a test, and directory call
// timeouts (250 ms) below c2psim's held answers (300 ms) and slow card (400 ms), so the
// "applied but unanswered" path is exercised. A call left unanswered is repeated no sooner
// than 1 s later (in_doubt_ms): with the CPUs busy, c2psim was seen still applying a call
// 500 ms after c2p sent it, and a lookup then would miss it (docs/networks.md). c2psim's token
// services ask this c2pd's own /tsp endpoints for every decision and report their token events
// there.

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "tests/e2e/registry_fixture.hpp"
#include "tests/support/sim_harness.hpp"

namespace c2p::testing {

class EnrolE2e : public RegistryE2e {
 protected:
  static void SetUpTestSuite() {
    PrepareSuite();
    sim_ = std::make_unique<SimHarness>();
    ASSERT_TRUE(sim_->Setup(SuiteName() + "-sim"));
    // c2psim's token services ask this c2pd (its /tsp endpoints) for every decision.
    sim_->c2p_url = "http://127.0.0.1:" + std::to_string(port_);
    sim_->c2p_encryption_key = dir_ + "/jwe.pub.jwk";
    const std::string& d = sim_->dir;
    // ISSUER0002 ("fetch": no personal data stored) gets its consumers' data from c2psim's
    // stand-in issuer backend, through outbound OAuth.
    {
      std::ofstream consumers(d + "/consumers.json");
      consumers << R"({"consumers":[{"issuerId":"ISSUER0002",)"
                << R"("consumerId":"c-fetch","consumerInfo":)" << kFetchedInfo << "}";
      for (int i = 0; i < fetched_consumers_; ++i) {
        consumers << R"(,{"issuerId":"ISSUER0002","consumerId":"c-fetch-)" << i
                  << R"(","consumerInfo":)" << kFetchedInfo << "}";
      }
      consumers << "]}";
    }
    // The stand-in issuer checks ISSUER0002's notifications with the harness's secret.
    sim_->issuer_extra = "require_bearer = true\n";
    ASSERT_TRUE(sim_->StartSim(
        "[[issuer.webhook_secrets]]\nissuer = \"ISSUER0002\"\nfile = \"issuer.whsec\"\n"));
    std::ofstream(d + "/oauth.secret") << "s3cret\n";
    const std::string sim_url = "http://127.0.0.1:" + std::to_string(sim_->sim_port);
    // Appended to what a derived suite set before (its spool, for instance).
    issuer_b_extra_ +=
        "base_url = \"" + sim_url +
        "/sim/v1/issuer\"\noauth_client_id = \"c2p\"\noauth_client_secret_file = \"" + d +
        "/oauth.secret\"\n";
    if (notify_issuer_b_) {
      issuer_b_extra_ += "notification_url = \"" + sim_url +
                         "/sim/v1/issuer\"\nnotification_hosts = [\"127.0.0.1\"]\n"
                         "notification_secret_file = \"" +
                         d +
                         "/issuer.whsec\"\nmax_operations_per_notification = 2\n"
                         "notify_pending = true\n";
    }
    // A second notified issuer, for suites whose point needs more than one (c2psim is not
    // given ISSUER0001's secret: its notifications, if any, are refused 401 and retried).
    if (notify_issuer_a_) {
      issuer_a_extra_ += "notification_url = \"" + sim_url +
                         "/sim/v1/issuer\"\nnotification_hosts = [\"127.0.0.1\"]\n"
                         "notification_secret_file = \"" +
                         d + "/issuer.whsec\"\n";
    }
    for (auto [network, key, api] : {std::tuple{"visa", &sim_->visa_key, kSimVisaApiKey},
                                     std::tuple{"mastercard", &sim_->mc_key, kSimMcApiKey}}) {
      ASSERT_TRUE(jose::WriteJwkFile(d + "/" + network + ".pub.jwk", key->ToPublicJwk(), false));
      std::ofstream(d + "/" + network + ".apikey") << api << "\n";
      std::ofstream(d + "/" + network + ".tsp")
          << (std::string(network) == "visa" ? kSimVisaTspSecret : kSimMcTspSecret) << "\n";
    }
    std::string config;
    for (const char* network : {"visa", "mastercard"}) {
      config += std::string("[networks.") + network +
                "]\nurl = \"http://127.0.0.1:" + std::to_string(sim_->sim_port) +
                "\"\napi_key_file = \"" + d + "/" + network + ".apikey\"\nencryption_key = \"" + d +
                "/" + network + ".pub.jwk\"\ntsp_secret_file = \"" + d + "/" + network +
                ".tsp\"\ntimeout_ms = 250\nenrol_timeout_ms = 250\nin_doubt_ms = 1000\n";
    }
    config += "[engine]\nretry_base_ms = 20\nretry_max_ms = 400\noperation_deadline_ms = " +
              std::to_string(deadline_ms_) + "\n" + engine_extra_;
    extra_config_ = config + notifications_config_ + suite_extra_;
    StartDaemon({"pan-v1.jwk"});
  }
  static void TearDownTestSuite() {
    RegistryE2e::TearDownTestSuite();
    if (sim_) {
      // c2psim must shut down cleanly after serving token-service traffic (its client toward
      // c2p once outlived its reactor: a use-after-free at exit, caught by ASan).
      EXPECT_EQ(sim_->sim.Stop(), 0) << ReadFile(sim_->dir + "/c2psim.log");
      sim_->Stop();
    }
    sim_.reset();
    extra_config_.clear();
    issuer_b_extra_.clear();
    if (notify_issuer_a_) issuer_a_extra_.clear();
  }

  // The stand-in issuer's answer for ISSUER0002's consumer "c-fetch" (with its address).
  static inline const std::string kFetchedInfo =
      R"({"language":"en-US","firstName":"Fetched","lastName":"Doe","email":"fetched@example.com",)"
      R"("mobilePhoneNumber":{"countryCode":"44","phoneNumber":"7700900123"}},)"
      R"("billingAddress":{"addressLine1":"1 High St","city":"London","postalCode":"SW1A1AA",)"
      R"("countryCode":"GB"})";

  static std::string Enrolment(const std::string& issuer, const std::string& card) {
    return "/banking/v1/issuers/" + issuer + "/cards/" + card + "/operations:clickToPayEnrolment";
  }
  static std::string Operation(const std::string& issuer, const std::string& id) {
    return "/banking/v1/issuers/" + issuer + "/operations/" + id;
  }

  // A consumer with stored personal information and one card of `product`.
  static void RegisterCard(const std::string& consumer, const std::string& card,
                           const std::string& pan, const std::string& product = "VISA_CLASSIC",
                           const std::string& issuer = kIssuerA) {
    auto c = Call("PUT", Consumer(issuer, consumer), issuer == kIssuerA ? kInfo : std::string("{}"),
                  issuer);
    ASSERT_TRUE(c.status == 200 || c.status == 201) << c.body;
    auto r = Call("PUT", Card(issuer, card), CardBody(consumer, pan, product), issuer);
    ASSERT_TRUE(r.status == 200 || r.status == 201) << r.body;
  }

  // What c2psim's stand-in issuer answers accepted notifications with ("" clears it).
  static void Behave(const std::string& body) {
    auto r = body.empty() ? Fetch(sim_->sim_port, "DELETE", "/sim/v1/issuer/behaviour")
                          : Fetch(sim_->sim_port, "PUT", "/sim/v1/issuer/behaviour", body,
                                  "Content-Type: application/json\r\n");
    ASSERT_TRUE(r && r->status / 100 == 2) << (r ? r->body : "no answer");
  }

  // A counter of c2pd's /metrics labelled with ISSUER0002 (0 when absent, -1: no answer).
  static std::int64_t Metric(const std::string& name) {
    auto r = Fetch(port_, "GET", "/metrics");
    if (!r) return -1;
    const std::string key = name + "{issuer=\"" + kIssuerB + "\"} ";
    const auto at = r->body.find(key);
    if (at == std::string::npos) return 0;
    return std::stoll(r->body.substr(at + key.size()));
  }

  // POST the enrolment; the operation id of a 202, or "" (with a failure) otherwise.
  static std::string Enrol(const std::string& card, const std::string& body = {},
                           const std::string& issuer = kIssuerA) {
    auto r = Call("POST", Enrolment(issuer, card), body, issuer);
    EXPECT_EQ(r.status, 202) << r.body;
    auto b = Body(r);
    if (r.status != 202 || !b.contains("operationId")) return "";
    EXPECT_EQ(b.at("status").as_string(), "PENDING");
    return std::string(b.at("operationId").as_string());
  }

  // The operation once it has ended, long-polling with wait= until `deadline`.
  static json::object Ended(const std::string& id, const std::string& issuer = kIssuerA,
                            std::chrono::seconds deadline = std::chrono::seconds(60)) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < until) {
      auto r = Call("GET", Operation(issuer, id) + "?wait=5", {}, issuer);
      EXPECT_EQ(r.status, 200) << r.body;
      auto b = Body(r);
      if (r.status != 200) return b;
      if (b.at("status").as_string() != "PENDING") return b;
    }
    ADD_FAILURE() << "operation " << id << " still PENDING after the deadline";
    return {};
  }

  // A fresh Luhn-valid 16-digit PAN starting with `first` (the network's BIN) and ending
  // with `suffix` (c2psim's test cards), remembered for the leak scan.
  static std::string TestPan(const std::string& first, const std::string& suffix = "4242") {
    static std::atomic<int> serial{0};
    const std::string serial_text = std::to_string(100000 + ++serial);
    // 11 digits (BIN, padding, a serial), one digit that makes the Luhn sum, the suffix.
    const std::string head = first + std::string(11 - first.size() - 6, '7') + serial_text;
    for (char d = '0'; d <= '9'; ++d) {
      const std::string pan = head + d + suffix;
      int sum = 0;
      for (std::size_t i = 0; i < pan.size(); ++i) {
        int v = pan[pan.size() - 1 - i] - '0';
        if (i % 2 == 1) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
        sum += v;
      }
      if (sum % 10 == 0) {
        std::lock_guard lock(responses_mu_);
        pans_.push_back(pan);
        return pan;
      }
    }
    ADD_FAILURE() << "no Luhn digit";
    return {};
  }

  static json::object SimStats() {
    auto r = Fetch(sim_->sim_port, "GET", "/sim/v1/stats");
    EXPECT_TRUE(r && r->status == 200);
    return r ? json::parse(r->body).as_object() : json::object{};
  }
  static std::int64_t Stat(const char* network, const char* name) {
    auto s = SimStats();
    return s.at(network).at(name).to_number<std::int64_t>();
  }

  static inline std::unique_ptr<SimHarness> sim_;
  // Set before SetUpTestSuite: more [engine] keys, and more tables after everything else.
  static inline std::string engine_extra_;
  static inline int deadline_ms_ = 60000;  // [engine] operation_deadline_ms
  static inline std::string suite_extra_;
  // Set before SetUpTestSuite: ISSUER0002's notifications go to c2psim's stand-in issuer
  // (at most 2 operations per request, D1 operations also when they start), with
  // `notifications_config_` as [notifications].
  static inline bool notify_issuer_b_ = false;
  static inline bool notify_issuer_a_ = false;
  static inline std::string notifications_config_;
  // ISSUER0002's consumers c-fetch-0 … c-fetch-N the stand-in issuer knows, besides c-fetch
  // (set before SetUpTestSuite for more).
  static inline int fetched_consumers_ = 8;
};

}  // namespace c2p::testing
