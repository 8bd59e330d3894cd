// c2pd run from a configuration file, as an operator runs it.

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include "api/openapi_document.hpp"
#include "tests/support/c2pd_contract.hpp"
#include "tests/support/openapi_contract.hpp"
#include "tests/support/ports.hpp"
#include "tests/support/process.hpp"
#include "tests/support/raw_client.hpp"

namespace c2p::testing {
namespace {

namespace fs = std::filesystem;

class DaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = NamedTestDir("daemon-e2e");
    for (const char* kind : {"token-mac", "jwe", "pan", "pan-hmac"}) {
      auto p = Process::Start({BinDir() + "/c2pctl", "keys", "generate", "--kind", kind, "--out",
                               dir_ + "/" + kind + ".jwk"},
                              dir_ + "/keys.out");
      ASSERT_TRUE(p);
      ASSERT_EQ(p->Wait(std::chrono::seconds(20)), 0) << ReadFile(dir_ + "/keys.out");
    }
    port_ = FreePort();
  }

  std::string WriteConfig(const std::string& extra_server = {}) {
    const std::string path = dir_ + "/c2pd.toml";
    std::ofstream(path) << "[server]\nport = " << port_ << "\nthreads = 2\n"
                        << extra_server << "\n[store]\nurl = \"sqlite:" << dir_ << "/c2p.db\"\n"
                        << "[keys]\ntoken_mac = \"token-mac.jwk\"\njwe = [\"jwe.jwk\"]\n"
                        << "pan = [\"pan.jwk\"]\npan_hmac = \"pan-hmac.jwk\"\n";
    return path;
  }

  std::optional<Process> StartDaemon(const std::string& config) {
    return Process::Start({BinDir() + "/c2pd", "--config", config}, dir_ + "/c2pd.out");
  }

  std::string dir_;
  std::uint16_t port_ = 0;
};

TEST_F(DaemonTest, UnknownConfigKeyStopsTheStartAndIsNamed) {
  auto p = StartDaemon(WriteConfig("prot = 1\n"));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->Wait(std::chrono::seconds(20)), 2);
  EXPECT_NE(ReadFile(dir_ + "/c2pd.out").find("server.prot: unknown key"), std::string::npos);
}

TEST_F(DaemonTest, CheckConfigValidatesWithoutStarting) {
  auto ok = Process::Start({BinDir() + "/c2pd", "check-config", "--config", WriteConfig()},
                           dir_ + "/check.out");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->Wait(std::chrono::seconds(20)), 0);
  auto bad = Process::Start(
      {BinDir() + "/c2pd", "check-config", "--config", WriteConfig("threads = \"two\"\n")},
      dir_ + "/check.out");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->Wait(std::chrono::seconds(20)), 2);
}

TEST_F(DaemonTest, ServesHealthReadinessAndMetricsAndStopsOnSigterm) {
  auto p = StartDaemon(WriteConfig());
  ASSERT_TRUE(p);
  ASSERT_TRUE(WaitC2pdReady(port_)) << ReadFile(dir_ + "/c2pd.out");
  auto health = Fetch(port_, "GET", "/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  auto metrics = Fetch(port_, "GET", "/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->header("content-type").find("text/plain"), std::string::npos);
  EXPECT_NE(metrics->body.find("c2p_http_requests_total{route=\"/readyz\",status=\"200\"}"),
            std::string::npos);
  EXPECT_NE(metrics->body.find("c2p_http_in_flight_requests"), std::string::npos);
  EXPECT_EQ(p->Stop(), 0);
  const std::string log = ReadFile(dir_ + "/c2pd.out");
  EXPECT_NE(log.find("\"event\":\"c2pd.stopped\""), std::string::npos) << log;
}

TEST_F(DaemonTest, HostileInputGetsDocumentedAnswersAndServiceContinues) {
  auto p = StartDaemon(WriteConfig());
  ASSERT_TRUE(p);
  ASSERT_TRUE(WaitC2pdReady(port_));

  struct Case {
    std::string bytes;
    int status;
  };
  const std::vector<Case> cases = {
      {"NOT HTTP AT ALL\r\n\r\n", 400},
      {"GET /healthz HTTP/1.1\r\nX: " + std::string(10000, 'a') + "\r\n\r\n", 431},
      {"PUT /healthz HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n", 413},
      {"GET /nowhere HTTP/1.1\r\n\r\n", 404},
      {"POST /healthz HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 405},
      {"GET /healthz HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
  };
  for (const auto& c : cases) {
    RawClient client;
    ASSERT_TRUE(client.Connect(port_));
    ASSERT_TRUE(client.Send(c.bytes));
    auto r = client.Read();
    ASSERT_TRUE(r) << c.bytes.substr(0, 40);
    EXPECT_EQ(r->status, c.status) << c.bytes.substr(0, 40);
    if (r->status != 431) {
      EXPECT_FALSE(r->header("content-type").empty());
    }
  }
  // Clients that vanish mid-request.
  for (int i = 0; i < 20; ++i) {
    RawClient client;
    ASSERT_TRUE(client.Connect(port_));
    ASSERT_TRUE(client.Send("POST /healthz HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc"));
  }
  auto ok = Fetch(port_, "GET", "/healthz");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_TRUE(p->running());
}

TEST_F(DaemonTest, CorrelationIdIsEchoedAndLogged) {
  auto p = StartDaemon(WriteConfig());
  ASSERT_TRUE(p);
  ASSERT_TRUE(WaitC2pdReady(port_));
  auto r = Fetch(port_, "GET", "/healthz", {}, "x-correlation-id: trace-me-42\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("x-correlation-id"), "trace-me-42");
  EXPECT_TRUE(Eventually([&] {
    return ReadFile(dir_ + "/c2pd.out").find("\"correlation_id\":\"trace-me-42\"") !=
           std::string::npos;
  }));
}

TEST_F(DaemonTest, ServesTheOpenApiDocumentWithoutAuthentication) {
  auto p = StartDaemon(WriteConfig());
  ASSERT_TRUE(p);
  ASSERT_TRUE(WaitC2pdReady(port_));
  auto r = Fetch(port_, "GET", "/openapi.json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("content-type").rfind("application/json", 0), 0U)
      << r->header("content-type");
  // The document built into this c2pd, which is api/openapi.json (openapi_contract_test).
  EXPECT_EQ(r->body, std::string(api::OpenApiDocument()));
  EXPECT_EQ(boost::json::parse(r->body).at("openapi"), "3.1.0");
}

// Walks c2pd's route table from outside: every route has a latency histogram labelled
// with its template from start-up (GET /metrics), and a method a path does not serve
// answers 405 with the methods it does (Allow). Each (method, template) must be in
// api/openapi.json, and the document must describe nothing c2pd does not serve.
TEST_F(DaemonTest, EveryRouteIsInTheOpenApiDocumentAndNothingElse) {
  auto p = StartDaemon(WriteConfig());
  ASSERT_TRUE(p);
  ASSERT_TRUE(WaitC2pdReady(port_));
  auto metrics = Fetch(port_, "GET", "/metrics");
  ASSERT_TRUE(metrics);
  std::set<std::string> templates;
  const std::regex label(R"re(c2p_http_request_seconds_count\{route="([^"]+)"\})re");
  for (std::sregex_iterator it(metrics->body.begin(), metrics->body.end(), label), end; it != end;
       ++it) {
    if ((*it)[1] != "unmatched") templates.insert((*it)[1]);
  }
  ASSERT_GE(templates.size(), 20U) << "the route labels were not found in /metrics";

  std::set<std::pair<std::string, std::string>> served;
  for (const auto& tmpl : templates) {
    // Any well-formed value stands for a parameter: the router decides on the path alone.
    const std::string path = std::regex_replace(tmpl, std::regex(R"(\{[A-Za-z]+\})"), "x1");
    auto r = Fetch(port_, "PATCH", path);
    ASSERT_TRUE(r) << tmpl;
    ASSERT_EQ(r->status, 405) << tmpl;
    const std::string allow = r->header("allow");
    ASSERT_FALSE(allow.empty()) << tmpl;
    const std::regex method("[A-Z]+");
    for (std::sregex_iterator m(allow.begin(), allow.end(), method), end; m != end; ++m) {
      served.emplace(m->str(), tmpl);
    }
  }
  const auto documented = OpenApiContract::Embedded().Operations();
  const std::set<std::pair<std::string, std::string>> in_document(documented.begin(),
                                                                  documented.end());
  for (const auto& [method, tmpl] : served) {
    EXPECT_TRUE(in_document.count({method, tmpl}))
        << method << " " << tmpl << " is served by c2pd but missing from api/openapi.json";
  }
  for (const auto& [method, tmpl] : in_document) {
    EXPECT_TRUE(served.count({method, tmpl}))
        << method << " " << tmpl << " is in api/openapi.json but c2pd does not serve it";
  }
}

// The e2e hook is live: a response from a c2pd's port that breaks the document fails the
// test that received it, naming route, status and finding (and not the body's values).
TEST_F(DaemonTest, ResponsesOfAC2pdAreCheckedAgainstTheDocument) {
  auto p = StartDaemon(WriteConfig());
  ASSERT_TRUE(p);
  ASSERT_TRUE(WaitC2pdReady(port_));
  static std::uint16_t port = 0;  // EXPECT_NONFATAL_FAILURE's statement sees statics only
  static HttpResponse drifted;
  port = port_;
  auto real = Fetch(port_, "GET", "/healthz");
  ASSERT_TRUE(real);
  drifted = *real;
  drifted.body = R"({"status":"jane@example.com"})";
  EXPECT_NONFATAL_FAILURE(ObserveResponse(port, "GET", "/healthz", drifted),
                          "GET /healthz -> 200: body /status: not one of the enum values");
  drifted.status = 202;
  EXPECT_NONFATAL_FAILURE(ObserveResponse(port, "GET", "/healthz", drifted),
                          "the status is not documented");
}

}  // namespace
}  // namespace c2p::testing
