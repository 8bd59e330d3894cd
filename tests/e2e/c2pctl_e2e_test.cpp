// The real c2pctl binary against a real sandbox c2pd (issue 12): a card registered,
// enrolled, followed, read, updated and opted out with c2pctl alone, every output and exit
// code checked as a script and a person would see them (docs/c2pctl.md).

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include "tests/support/ports.hpp"
#include "tests/support/process.hpp"
#include "tests/support/raw_client.hpp"

namespace c2p::testing {
namespace {

namespace json = boost::json;

constexpr const char* kPan = "4111111111111111";

class C2pctlE2e : public ::testing::Test {
 protected:
  struct Run {
    std::optional<int> code;
    std::string output;  // stdout and stderr, in order
  };

  void SetUp() override {
    dir_ = NamedTestDir("c2pctl-e2e");
    port_ = FreePortWithNeighbour(10);
    auto p = Process::Start(
        {BinDir() + "/c2pd", "sandbox", "--dir", dir_ + "/sb", "--port", std::to_string(port_)},
        dir_ + "/sandbox.out");
    ASSERT_TRUE(p);
    sandbox_ = std::move(*p);
    ASSERT_TRUE(WaitReady(port_)) << ReadFile(dir_ + "/sandbox.out");
  }

  // c2pctl ARGS --sandbox DIR: the URL, the issuer and its key all come from sandbox.json.
  Run Ctl(std::vector<std::string> args) {
    args.insert(args.begin(), BinDir() + "/c2pctl");
    args.insert(args.end(), {"--sandbox", dir_ + "/sb"});
    const std::string out = dir_ + "/ctl-" + std::to_string(++runs_) + ".out";
    auto p = Process::Start(args, out);
    EXPECT_TRUE(p);
    Run run;
    if (p) run.code = p->Wait(std::chrono::seconds(60));
    run.output = ReadFile(out);
    return run;
  }

  void WriteFile(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/" + name) << text;
  }

  std::string dir_;
  std::uint16_t port_ = 0;
  Process sandbox_;
  int runs_ = 0;
};

// Lines of `text` that start with `prefix`.
std::vector<std::string> Lines(const std::string& text, const std::string& prefix) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(prefix)) lines.push_back(line);
  }
  return lines;
}

TEST_F(C2pctlE2e, ACardFromRegistrationToOptOut) {
  WriteFile("info.json",
            R"({"language":"en-GB","firstName":"Sam","lastName":"Ple","email":"sam@example.com",)"
            R"("mobilePhoneNumber":{"countryCode":"44","phoneNumber":"7700900123"},)"
            R"("billingAddress":{"addressLine1":"1 High St","city":"London",)"
            R"("postalCode":"N1 1AA","countryCode":"GB"}})");

  Run run = Ctl({"register-consumer", "--consumer-id", "cons_e2e", "--info", dir_ + "/info.json"});
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_EQ(run.output, "consumer cons_e2e ACTIVE\n");

  run = Ctl({"register-card", "--card-id", "crd_e2e", "--consumer-id", "cons_e2e", "--pan", kPan,
             "--exp", "1230", "--name", "SAM PLE"});
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_EQ(run.output,
            "card crd_e2e ACTIVE VISA *1111 product VISA_CLASSIC consumer cons_e2e clickToPay "
            "NOT_ENROLLED\n");

  // enrol --json: the 202 body as received, for a script to take the operationId from.
  run = Ctl({"enrol", "--card-id", "crd_e2e", "--json"});
  ASSERT_EQ(run.code, 0) << run.output;
  const json::object accepted = json::parse(run.output).as_object();
  EXPECT_EQ(accepted.at("status"), "PENDING");
  const std::string op = std::string(accepted.at("operationId").as_string());

  // op watch follows it to the end: the state now, then the terminal one, once each.
  run = Ctl({"op", "watch", op, "--card-id", "crd_e2e", "--timeout", "60"});
  ASSERT_EQ(run.code, 0) << run.output;
  const auto states = Lines(run.output, "operation " + op);
  ASSERT_FALSE(states.empty()) << run.output;
  EXPECT_LE(states.size(), 2U) << run.output;
  EXPECT_NE(states.back().find("CLICK_TO_PAY_ENROLMENT SUCCESSFUL card crd_e2e"), std::string::npos)
      << run.output;
  EXPECT_NE(states.back().find("digitalCard vdc_"), std::string::npos) << run.output;

  // A refusal: enrolled already. Exit 3, c2p's code and what to do next.
  run = Ctl({"enrol", "--card-id", "crd_e2e"});
  EXPECT_EQ(run.code, 3) << run.output;
  EXPECT_NE(run.output.find("refused (409 ALREADY_ENROLLED"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("c2pctl op list --card-id"), std::string::npos) << run.output;

  // profiles: the card in the VISA profile; never the consumer's or cardholder's data.
  run = Ctl({"profiles", "--consumer-id", "cons_e2e"});
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_NE(run.output.find("profile VISA 1 card\n  card crd_e2e *1111 ACTIVE digitalCard vdc_"),
            std::string::npos)
      << run.output;
  for (const char* personal :
       {"Sam", "sam@example.com", "7700900123", "SAM PLE", "High St", "12/30", kPan}) {
    EXPECT_EQ(run.output.find(personal), std::string::npos) << personal;
  }
  run = Ctl({"profiles", "--consumer-id", "cons_e2e", "--json"});
  ASSERT_EQ(run.code, 0) << run.output;
  const json::object profiles = json::parse(run.output).as_object();
  EXPECT_EQ(profiles.at("clickToPayProfiles").at(0).at("network"), "VISA");

  // update-card --watch: the operation followed to SUCCESSFUL in one command.
  run = Ctl({"update-card", "--card-id", "crd_e2e", "--name", "S PLE", "--watch"});
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_LE(Lines(run.output, "operation ").size(), 2U) << run.output;
  EXPECT_NE(run.output.find("CLICK_TO_PAY_UPDATE SUCCESSFUL card crd_e2e"), std::string::npos)
      << run.output;
  EXPECT_EQ(run.output.find("S PLE"), std::string::npos) << run.output;

  // update-consumer from a file: the whole profile's consumer data.
  WriteFile("consumer-info.json",
            R"({"language":"en-GB","firstName":"Sam","lastName":"Ple","email":"sam2@example.com",)"
            R"("mobilePhoneNumber":{"countryCode":"44","phoneNumber":"7700900124"}})");
  run = Ctl({"update-consumer", "--consumer-id", "cons_e2e", "--consumer-info",
             dir_ + "/consumer-info.json", "--watch"});
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_NE(run.output.find("CLICK_TO_PAY_UPDATE SUCCESSFUL consumer cons_e2e"), std::string::npos)
      << run.output;

  // opt-out, followed; then the same again is refused: not enrolled any more.
  run = Ctl({"opt-out", "--card-id", "crd_e2e", "--watch"});
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_NE(run.output.find("CLICK_TO_PAY_OPTOUT SUCCESSFUL card crd_e2e"), std::string::npos)
      << run.output;
  run = Ctl({"opt-out", "--card-id", "crd_e2e"});
  EXPECT_EQ(run.code, 3) << run.output;
  EXPECT_NE(run.output.find("NOT_ENROLLED"), std::string::npos) << run.output;

  // op list: the card's history, newest first.
  run = Ctl({"op", "list", "--card-id", "crd_e2e", "--limit", "20"});
  ASSERT_EQ(run.code, 0) << run.output;
  const auto history = Lines(run.output, "operation ");
  ASSERT_GE(history.size(), 4U) << run.output;
  // (The token service's events, DIGITIZE and DELETE, are in it too.)
  const auto opt_out = run.output.find("CLICK_TO_PAY_OPTOUT SUCCESSFUL card crd_e2e");
  const auto enrolment = run.output.find(op + " CLICK_TO_PAY_ENROLMENT SUCCESSFUL");
  ASSERT_NE(opt_out, std::string::npos) << run.output;
  ASSERT_NE(enrolment, std::string::npos) << run.output;
  EXPECT_LT(opt_out, enrolment) << run.output;
  // op get through the issuer-wide getter, --json as received.
  run = Ctl({"op", "get", op, "--json"});
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_EQ(json::parse(run.output).at("operationId"), op.c_str());

  // Unknown operation: a refusal. Nothing listening: a failure. Bad id: a usage error.
  run = Ctl({"op", "get", "op_nothere"});
  EXPECT_EQ(run.code, 3) << run.output;
  EXPECT_NE(run.output.find("OPERATION_NOT_FOUND"), std::string::npos) << run.output;
  run = Ctl({"profiles", "--consumer-id", "cons_e2e", "--url", "http://127.0.0.1:1"});
  EXPECT_EQ(run.code, 1) << run.output;
  EXPECT_NE(run.output.find("is c2pd running there?"), std::string::npos) << run.output;
  run = Ctl({"op", "get", "op/../x"});
  EXPECT_EQ(run.code, 2) << run.output;

  // Nothing c2pctl printed in this test holds the PAN.
  for (int i = 1; i <= runs_; ++i) {
    EXPECT_EQ(ReadFile(dir_ + "/ctl-" + std::to_string(i) + ".out").find(kPan), std::string::npos)
        << i;
  }
}

TEST(VersionE2e, BothBinariesNameTheirVersionAndCommit) {
  const std::string dir = NamedTestDir("version-e2e");
  for (const char* binary : {"c2pd", "c2pctl"}) {
    const std::string out = dir + "/" + binary + ".out";
    auto p = Process::Start({BinDir() + "/" + binary, "--version"}, out);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->Wait(std::chrono::seconds(20)), 0) << binary;
    const std::string text = ReadFile(out);
    EXPECT_TRUE(text.starts_with(std::string(binary) + " 0.")) << text;
    EXPECT_NE(text.find(" (commit "), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace c2p::testing
