// `c2pd sandbox` as a newcomer runs it: real processes, real ports, real files.

#include <signal.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include "tests/support/c2pd_contract.hpp"
#include "tests/support/ports.hpp"
#include "tests/support/process.hpp"
#include "tests/support/raw_client.hpp"

namespace c2p::testing {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

class SandboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = NamedTestDir("sandbox-e2e");
    port_ = FreePortWithNeighbour(10);
  }

  Process StartSandbox(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv = {BinDir() + "/c2pd", "sandbox", "--dir",
                                     dir_ + "/sb",       "--port",  std::to_string(port_)};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto p = Process::Start(argv, dir_ + "/sandbox.out");
    EXPECT_TRUE(p);
    return std::move(*p);
  }

  json::object SandboxJson() {
    return json::parse(ReadFile(dir_ + "/sb/sandbox.json")).as_object();
  }

  std::string dir_;
  std::uint16_t port_ = 0;
};

TEST_F(SandboxTest, StartsC2pdAndTheSimulatorAndWritesSandboxJson) {
  Process sandbox = StartSandbox();
  ASSERT_TRUE(WaitC2pdReady(port_)) << ReadFile(dir_ + "/sandbox.out");
  auto sim = Fetch(static_cast<std::uint16_t>(port_ + 10), "GET", "/healthz");
  ASSERT_TRUE(sim);
  EXPECT_EQ(sim->status, 200);
  // c2psim runs with the sandbox's keys and secrets (its config is written beside c2pd's).
  auto stats = Fetch(static_cast<std::uint16_t>(port_ + 10), "GET", "/sim/v1/stats");
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->status, 200);
  for (const char* file :
       {"/sb/keys/sim-visa.jwk", "/sb/keys/sim-visa.pub.jwk", "/sb/keys/sim-mastercard.jwk",
        "/sb/keys/sim-mastercard.pub.jwk", "/sb/keys/networks.json", "/sb/c2psim.toml"}) {
    EXPECT_TRUE(fs::exists(dir_ + file)) << file;
  }
  const std::string sim_config = ReadFile(dir_ + "/sb/c2psim.toml");
  EXPECT_NE(sim_config.find("url = \"http://127.0.0.1:" + std::to_string(port_) + "\""),
            std::string::npos);
  const json::object secrets = json::parse(ReadFile(dir_ + "/sb/keys/networks.json")).as_object();
  EXPECT_NE(sim_config.find(std::string(secrets.at("visa").at("apiKey").as_string())),
            std::string::npos);
  // Wrong API key: the simulated directory refuses it.
  auto refused =
      Fetch(static_cast<std::uint16_t>(port_ + 10), "GET", "/src/api/digital/payments/consumers/c",
            {}, "x-api-key: wrong\r\nx-request-id: 1\r\n");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);

  const json::object s = SandboxJson();
  EXPECT_EQ(s.at("baseUrl").as_string(), "http://127.0.0.1:" + std::to_string(port_));
  EXPECT_EQ(s.at("issuerId").as_string(), "SANDBOX001");
  const auto& signing = s.at("issuerSigningKey").as_object();
  EXPECT_EQ(signing.at("kty").as_string(), "EC");
  EXPECT_EQ(signing.at("crv").as_string(), "P-256");
  EXPECT_TRUE(signing.contains("d"));
  EXPECT_FALSE(signing.at("kid").as_string().empty());
  const auto& encryption = s.at("encryptionKey").as_object();
  EXPECT_EQ(encryption.at("crv").as_string(), "P-256");
  EXPECT_FALSE(encryption.contains("d")) << "the public key only";
  EXPECT_EQ(s.at("cardProducts").at("VISA").as_string(), "VISA_CLASSIC");
  EXPECT_EQ(s.at("cardProducts").at("MASTERCARD").as_string(), "MC_STANDARD");
  EXPECT_TRUE(s.at("notificationSecret").as_string().starts_with("whsec_"));
  EXPECT_EQ(s.at("simulatorUrl").as_string(), "http://127.0.0.1:" + std::to_string(port_ + 10));
  EXPECT_EQ(s.at("storeUrl").as_string(), "sqlite:" + dir_ + "/sb/c2p.db");
  const auto& other = s.at("otherIssuers").as_array().at(0).as_object();
  EXPECT_EQ(other.at("issuerId").as_string(), "SANDBOX002");
  EXPECT_NE(other.at("issuerSigningKey").at("kid"), signing.at("kid"));

  // It holds private keys: owner-only.
  struct stat st {};
  ASSERT_EQ(::stat((dir_ + "/sb/sandbox.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);

  // The banner follows readiness (it is printed once c2pd is serving): wait for it.
  std::string banner;
  EXPECT_TRUE(Eventually([&] {
    banner = ReadFile(dir_ + "/sandbox.out");
    return banner.find("Stop with Ctrl-C") != std::string::npos;
  }));
  EXPECT_NE(banner.find("c2p sandbox is running"), std::string::npos);
  EXPECT_NE(banner.find("sandbox.json"), std::string::npos);
}

TEST_F(SandboxTest, TheBannersTokenCommandGivesASandboxIssuerToken) {
  Process sandbox = StartSandbox();
  ASSERT_TRUE(WaitC2pdReady(port_));
  EXPECT_TRUE(Eventually([&] {
    return ReadFile(dir_ + "/sandbox.out").find("c2pctl token --sandbox") != std::string::npos;
  }));
  auto ctl = Process::Start({BinDir() + "/c2pctl", "token", "--sandbox", dir_ + "/sb", "--url",
                             "http://127.0.0.1:" + std::to_string(port_)},
                            dir_ + "/token.out");
  ASSERT_TRUE(ctl);
  ASSERT_EQ(ctl->Wait(std::chrono::seconds(20)), 0) << ReadFile(dir_ + "/token.out");
  std::string token = ReadFile(dir_ + "/token.out");
  while (!token.empty() && token.back() == '\n') token.pop_back();
  auto info =
      Fetch(port_, "GET", "/authz/v1/tokeninfo", {}, "Authorization: Bearer " + token + "\r\n");
  ASSERT_TRUE(info);
  ASSERT_EQ(info->status, 200) << info->body;
  EXPECT_EQ(boost::json::parse(info->body).at("issuerId").as_string(), "SANDBOX001");
}

TEST_F(SandboxTest, RegisterCommandsRegisterAConsumerAndACard) {
  Process sandbox = StartSandbox();
  ASSERT_TRUE(WaitC2pdReady(port_));
  EXPECT_TRUE(Eventually([&] {
    return ReadFile(dir_ + "/sandbox.out").find("c2pctl register-card") != std::string::npos;
  }));
  const std::string url = "http://127.0.0.1:" + std::to_string(port_);
  auto run = [&](std::vector<std::string> args, const std::string& out) {
    args.insert(args.begin(), BinDir() + "/c2pctl");
    args.insert(args.end(), {"--sandbox", dir_ + "/sb", "--url", url});
    auto p = Process::Start(args, dir_ + "/" + out);
    EXPECT_TRUE(p);
    return p ? p->Wait(std::chrono::seconds(20)) : std::nullopt;
  };
  {
    std::ofstream(dir_ + "/info.json")
        << R"({"language":"en-US","firstName":"Sam","lastName":"Ple","email":"sam@example.com"})";
  }
  ASSERT_EQ(run({"register-consumer", "--consumer-id", "cons_ctl", "--info", dir_ + "/info.json",
                 "--json"},
                "consumer.out"),
            0)
      << ReadFile(dir_ + "/consumer.out");
  EXPECT_EQ(json::parse(ReadFile(dir_ + "/consumer.out")),
            (json::object{{"consumerId", "cons_ctl"}, {"state", "ACTIVE"}}));
  ASSERT_EQ(run({"register-card", "--card-id", "crd_ctl", "--consumer-id", "cons_ctl", "--pan",
                 "5555555555554444", "--exp", "1230", "--idempotency-key", "ctl-1", "--json"},
                "card.out"),
            0)
      << ReadFile(dir_ + "/card.out");
  const auto card = json::parse(ReadFile(dir_ + "/card.out")).as_object();
  EXPECT_EQ(card.at("network"), "MASTERCARD");
  EXPECT_EQ(card.at("cardProductId"), "MC_STANDARD");
  EXPECT_EQ(card.at("panLast4"), "4444");
  // A refusal is exit 3 with c2p's errorCode on stderr: the same PAN under another cardId.
  EXPECT_EQ(run({"register-card", "--card-id", "crd_ctl2", "--consumer-id", "cons_ctl", "--pan",
                 "5555555555554444", "--exp", "1230"},
                "dup.out"),
            3);
  EXPECT_NE(ReadFile(dir_ + "/dup.out").find("PAN_ALREADY_REGISTERED"), std::string::npos);

  // The other sandbox issuer sees none of it: 403 on SANDBOX001's paths, 404 on its own.
  ASSERT_EQ(run({"token", "--issuer", "SANDBOX002"}, "token2.out"), 0);
  std::string other = ReadFile(dir_ + "/token2.out");
  while (!other.empty() && other.back() == '\n') other.pop_back();
  const std::string auth = "Authorization: Bearer " + other + "\r\n";
  for (const std::string path : {"/banking/v2/issuers/SANDBOX001/cards/crd_ctl",
                                 "/banking/v2/issuers/SANDBOX001/consumers/cons_ctl"}) {
    auto r = Fetch(port_, "GET", path, {}, auth);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 403) << path;
  }
  for (const std::string path : {"/banking/v2/issuers/SANDBOX002/cards/crd_ctl",
                                 "/banking/v2/issuers/SANDBOX002/consumers/cons_ctl",
                                 "/banking/v2/issuers/SANDBOX002/consumers/cons_ctl/cards"}) {
    auto r = Fetch(port_, "GET", path, {}, auth);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404) << path;
    EXPECT_EQ(r->body.find("4444"), std::string::npos) << path;
  }
}

// The sandbox's batch commands work out of the box (spec/sandbox.md): a file made by
// `c2pctl batch make` is submitted over HTTPS and through the spool, both end DONE with
// every record OK, and `batch status --result` prints the _OUT document.
TEST_F(SandboxTest, BatchCommandsMakeSubmitAndReadAFile) {
  Process sandbox = StartSandbox();
  ASSERT_TRUE(WaitC2pdReady(port_));
  const std::string url = "http://127.0.0.1:" + std::to_string(port_);
  auto run = [&](std::vector<std::string> args, const std::string& out, bool with_url = true) {
    args.insert(args.begin(), BinDir() + "/c2pctl");
    args.insert(args.end(), {"--sandbox", dir_ + "/sb"});
    if (with_url) args.insert(args.end(), {"--url", url});
    auto p = Process::Start(args, dir_ + "/" + out);
    EXPECT_TRUE(p);
    return p ? p->Wait(std::chrono::seconds(120)) : std::nullopt;
  };
  fs::create_directories(dir_ + "/files");
  auto make = [&](const std::string& batch, const std::string& out) {
    EXPECT_EQ(
        run({"batch", "make", "--records", "25", "--batch-id", batch, "--out", dir_ + "/files"},
            out, false),
        0)
        << ReadFile(dir_ + "/" + out);
    for (const auto& entry : fs::directory_iterator(dir_ + "/files")) {
      const std::string name = entry.path().filename().string();
      if (name.starts_with(batch + "-")) return entry.path().string();
    }
    return std::string();
  };
  const std::string https_file = make("SBX1", "make1.out");
  ASSERT_FALSE(https_file.empty());
  ASSERT_EQ(run({"batch", "submit", https_file, "--json"}, "submit1.out"), 0)
      << ReadFile(dir_ + "/submit1.out");
  ASSERT_EQ(run({"batch", "status", "SBX1", "1", "--result"}, "result1.out"), 0)
      << ReadFile(dir_ + "/result1.out");
  const auto out = json::parse(ReadFile(dir_ + "/result1.out")).as_object();
  const auto& results = out.at("recordsResults").as_array();
  ASSERT_EQ(results.size(), 25U);
  for (const auto& r : results) {
    EXPECT_EQ(r.at("consumerCardRegistrationResult").at("consumerStatus"), "OK");
  }

  // Through the spool: the test cards of the first file are taken (206); every other
  // record is OK.
  const std::string spool_file = make("SBX2", "make2.out");
  const std::string spool = std::string(SandboxJson().at("spoolDir").as_string());
  ASSERT_EQ(run({"batch", "submit", spool_file, "--spool", spool}, "submit2.out"), 0)
      << ReadFile(dir_ + "/submit2.out");
  ASSERT_EQ(run({"batch", "status", "SBX2", "1", "--json"}, "status2.out"), 0);
  const auto progress = json::parse(ReadFile(dir_ + "/status2.out")).as_object();
  EXPECT_EQ(progress.at("status"), "DONE");
  EXPECT_EQ(progress.at("totalRecords"), 25);
  // Row 1 carries the two sandbox test cards (both already registered by the first file).
  EXPECT_EQ(progress.at("ko"), 1);
}

TEST_F(SandboxTest, SigtermStopsBothProcessesCleanly) {
  Process sandbox = StartSandbox();
  ASSERT_TRUE(WaitC2pdReady(port_));
  auto code = sandbox.Stop();
  ASSERT_TRUE(code);
  EXPECT_EQ(*code, 0);
  RawClient api;
  EXPECT_FALSE(api.Connect(port_));
  EXPECT_TRUE(Eventually([&] {
    RawClient sim;
    return !sim.Connect(static_cast<std::uint16_t>(port_ + 10));
  }));
}

TEST_F(SandboxTest, RestartKeepsKeysAndResetReplacesThem) {
  {
    Process first = StartSandbox();
    ASSERT_TRUE(WaitC2pdReady(port_));
    ASSERT_EQ(first.Stop(), 0);
  }
  const json::object before = SandboxJson();
  {
    Process second = StartSandbox();
    ASSERT_TRUE(WaitC2pdReady(port_));
    ASSERT_EQ(second.Stop(), 0);
  }
  // A lost public half is derived again from the kept private key.
  fs::remove(dir_ + "/sb/keys/jwe.pub.jwk");
  {
    Process second = StartSandbox();
    ASSERT_TRUE(WaitC2pdReady(port_));
    ASSERT_EQ(second.Stop(), 0);
  }
  const json::object again = SandboxJson();
  EXPECT_EQ(again.at("issuerSigningKey"), before.at("issuerSigningKey"));
  EXPECT_EQ(again.at("encryptionKey"), before.at("encryptionKey"));
  EXPECT_EQ(again.at("notificationSecret"), before.at("notificationSecret"));
  {
    Process reset = StartSandbox({"--reset"});
    ASSERT_TRUE(WaitC2pdReady(port_));
    ASSERT_EQ(reset.Stop(), 0);
  }
  EXPECT_NE(SandboxJson().at("issuerSigningKey"), before.at("issuerSigningKey"));
}

TEST_F(SandboxTest, ABusyPortFailsTheStartWithAMessage) {
  Process first = StartSandbox();
  ASSERT_TRUE(WaitC2pdReady(port_));
  const std::string other = NamedTestDir("sandbox-e2e-busy");
  auto second = Process::Start(
      {BinDir() + "/c2pd", "sandbox", "--dir", other + "/sb", "--port", std::to_string(port_)},
      other + "/out");
  ASSERT_TRUE(second);
  auto code = second->Wait(std::chrono::seconds(20));
  ASSERT_TRUE(code);
  EXPECT_NE(*code, 0);
  // Whichever of the two ports is found taken first is reported.
  const bool api_refused =
      ReadFile(other + "/sb/c2pd.log").find("c2pd.listen_failed") != std::string::npos;
  const bool sim_refused = ReadFile(other + "/out").find("did not start") != std::string::npos;
  EXPECT_TRUE(api_refused || sim_refused) << ReadFile(other + "/out");
}

}  // namespace
}  // namespace c2p::testing
