// Isolation between issuers (quality.md S1) and the leak scan (S4) of the registry,
// against a real c2pd. Listed last in the test binary: the leak scan reads what every
// suite before it left behind (stores, logs, responses).

#include <filesystem>

#include "tests/e2e/registry_fixture.hpp"

namespace c2p::testing {
namespace {

using IsolationE2e = RegistryE2e;

TEST_F(IsolationE2e, EveryRouteWithTheOtherIssuersIdsOrTokenIs403Or404NeverData) {
  const std::string pan = Pan("411111000000080");
  ASSERT_EQ(Call("PUT", Consumer(kIssuerA, "cons_iso"), kInfo).status, 201);
  ASSERT_EQ(Call("PUT", Card(kIssuerA, "crd_iso"), CardBody("cons_iso", pan)).status, 201);
  const std::string card_body = CardBody("cons_iso", Pan("411111000000081"));

  struct Route {
    std::string method, suffix, body;
    bool card;
  };
  const std::vector<Route> routes = {
      {"PUT", "", "{}", false},
      {"GET", "", "", false},
      {"GET", "/cards", "", false},
      {"POST", "/operations:delete", "", false},
      {"PUT", "", card_body, true},
      {"GET", "", "", true},
      {"POST", "/operations:suspend", "", true},
      {"POST", "/operations:resume", "", true},
      {"POST", "/operations:delete", "", true},
  };
  for (const auto& r : routes) {
    const std::string name = r.method + " " + (r.card ? "card" : "consumer") + r.suffix;
    // B's token on A's path: 403 ISSUER_MISMATCH.
    const std::string a_path =
        (r.card ? Card(kIssuerA, "crd_iso") : Consumer(kIssuerA, "cons_iso"));
    auto mismatch = Call(r.method, a_path + r.suffix, r.body, kIssuerB);
    EXPECT_EQ(mismatch.status, 403) << name;
    EXPECT_EQ(ErrorCodeOf(mismatch), "ISSUER_MISMATCH") << name;
    // No token at all: 401.
    auto anonymous = Fetch(port_, r.method, a_path + r.suffix, r.body,
                           r.body.empty() ? "" : "Content-Type: application/json\r\n");
    ASSERT_TRUE(anonymous);
    EXPECT_EQ(anonymous->status, 401) << name;
    // B's token, B's path, A's ids: not found (a read or a lifecycle call).
    if (r.method != "PUT") {
      const std::string b_path =
          (r.card ? Card(kIssuerB, "crd_iso") : Consumer(kIssuerB, "cons_iso"));
      auto foreign = Call(r.method, b_path + r.suffix, r.body, kIssuerB);
      EXPECT_EQ(foreign.status, 404) << name << ": " << foreign.body;
      EXPECT_EQ(foreign.body.find("cons_iso"), std::string::npos) << name;
    }
  }
  // A PUT under B's own path with the same ids makes B's own consumer: A's is untouched.
  ASSERT_EQ(Call("PUT", Consumer(kIssuerB, "cons_iso"), "{}", kIssuerB).status, 201);
  auto b_view = Body(Call("GET", Consumer(kIssuerB, "cons_iso"), "", kIssuerB));
  EXPECT_FALSE(b_view.contains("personalInformation"));
  EXPECT_EQ(b_view.at("cardIds"), json::array{});
  auto a_view = Body(Call("GET", Consumer(kIssuerA, "cons_iso")));
  EXPECT_EQ(a_view.at("state"), "ACTIVE");
  EXPECT_EQ(a_view.at("cardIds"), json::array{"crd_iso"});
  EXPECT_EQ(Body(Call("GET", Card(kIssuerA, "crd_iso"))).at("state"), "ACTIVE");
}

// Every test PAN and email, in every store file, log and response of every suite of this
// binary: zero hits (quality.md S4).
TEST_F(IsolationE2e, NoPanOrEmailInStoresLogsOrResponses) {
  // Some card data of this suite's own, so the scan never looks at nothing.
  ASSERT_EQ(Call("PUT", Consumer(kIssuerA, "cons_scan"), kInfo).status, 201);
  ASSERT_EQ(Call("PUT", Card(kIssuerA, "crd_scan"),
                 CardBody("cons_scan", Pan("555555000000023"), "MC_STANDARD"))
                .status,
            201);
  daemon_->Stop();  // flushes its log; the store is checkpointed into its file
  daemon_.reset();

  std::vector<std::string> needles = pans_;
  needles.emplace_back(kTestEmail);
  ASSERT_GT(pans_.size(), 10u);
  std::size_t files = 0;
  for (const auto& dir : dirs_) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
      if (!entry.is_regular_file()) continue;
      const std::string content = ReadFile(entry.path().string());
      ++files;
      for (const auto& needle : needles) {
        EXPECT_EQ(content.find(needle), std::string::npos)
            << "found a test PAN or email in " << entry.path();
      }
    }
  }
  EXPECT_GT(files, dirs_.size() * 3);  // a store, a log and key files per suite
  const auto responses = Responses();
  EXPECT_GT(responses.size(), 100u);
  for (const auto& response : responses) {
    for (const auto& needle : needles) {
      if (needle == kTestEmail) continue;  // GET consumer returns the email to its issuer
      EXPECT_EQ(response.find(needle), std::string::npos) << "a response holds a test PAN";
    }
  }
}

}  // namespace
}  // namespace c2p::testing
