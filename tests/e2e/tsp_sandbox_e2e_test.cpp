// The sandbox's token-service wiring, end to end: c2psim's Mastercard-like directory
// accepts a card, its token service asks the real c2pd (c2psim.toml's c2p.url, the
// sandbox's TSP secret, encryptedCard to c2pd's keys.jwe), gets GREEN, and reports the
// token ACTIVATED, which the card view then shows. A card c2pd does not know is declined.

#include <signal.h>

#include <future>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>

#include "http/client.hpp"
#include "networks/directory_call.hpp"
#include "networks/mastercard_connector.hpp"
#include "tests/support/c2pd_contract.hpp"
#include "tests/support/ports.hpp"
#include "tests/support/process.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/scratch_dir.hpp"

namespace c2p::testing {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

domain::CardData CardData(const std::string& pan) {
  domain::CardData c;
  c.pan = core::SecretBytes(std::string_view(pan));
  c.exp = domain::CardExpiry{2030, 12};
  return c;
}

networks::ConsumerRef Consumer(const std::string& id) {
  networks::ConsumerRef c;
  c.external_consumer_id = id;
  c.info.language = "en-US";
  c.info.first_name = "Ada";
  c.info.last_name = "Lovelace";
  c.info.email = id + "@example.com";
  c.info.mobile_phone_number = domain::MobilePhone{"33", "612345678"};
  domain::BillingAddress a;
  a.address_line1 = "1 rue de Rivoli";
  a.city = "Paris";
  a.postal_code = "75001";
  a.country_code = "FR";
  c.billing = a;
  return c;
}

TEST(TspSandboxE2e, SimulatorTokenServiceAsksC2pdAndReportsTheToken) {
  const std::string dir = NamedTestDir("tsp-sandbox-e2e");
  const std::uint16_t port = FreePortWithNeighbour(10);
  const std::string sb = dir + "/sb";
  auto sandbox =
      Process::Start({BinDir() + "/c2pd", "sandbox", "--dir", sb, "--port", std::to_string(port)},
                     dir + "/sandbox.out");
  ASSERT_TRUE(sandbox);
  ASSERT_TRUE(WaitC2pdReady(port)) << ReadFile(dir + "/sandbox.out");

  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  auto run = [&](std::vector<std::string> args, const std::string& out) {
    args.insert(args.begin(), BinDir() + "/c2pctl");
    args.insert(args.end(), {"--sandbox", sb, "--url", url});
    auto p = Process::Start(args, dir + "/" + out);
    EXPECT_TRUE(p);
    return p ? p->Wait(std::chrono::seconds(20)) : std::nullopt;
  };
  const std::string pan = "5555555555554444";
  ASSERT_EQ(run({"register-card", "--card-id", "crd_tsp", "--consumer-id", "cons_tsp", "--pan", pan,
                 "--exp", "1230"},
                "card.out"),
            0)
      << ReadFile(dir + "/card.out");
  ASSERT_EQ(run({"token"}, "token.out"), 0);
  std::string token = ReadFile(dir + "/token.out");
  while (!token.empty() && token.back() == '\n') token.pop_back();

  // What the engine will do: enrol the card at the (simulated) Mastercard directory.
  asio::io_context io;
  auto work = asio::make_work_guard(io);
  auto client = std::make_unique<http::Client>(io.get_executor());
  std::thread thread([&] { io.run(); });
  networks::ConnectorConfig config;
  config.url = "http://127.0.0.1:" + std::to_string(port + 10);
  config.timeout = std::chrono::seconds(5);
  config.enrol_timeout = std::chrono::seconds(40);
  ASSERT_TRUE(networks::LoadConnectorSecrets(config, sb + "/keys/mastercard.api-key",
                                             sb + "/keys/sim-mastercard.pub.jwk",
                                             "networks.mastercard"));
  networks::MastercardConnector mc(*client, config);
  auto enrol = [&](const std::string& consumer, const std::string& card_id,
                   const domain::CardData& card) {
    // The coroutine holds references: both refs live until its future is ready.
    const networks::ConsumerRef who = Consumer(consumer);
    const networks::CardRef what{card_id, &card, *who.billing};
    auto future = asio::co_spawn(io, mc.EnrolConsumer(who, what), asio::use_future);
    EXPECT_EQ(future.wait_for(std::chrono::seconds(60)), std::future_status::ready);
    return future.get();
  };

  const auto known = CardData(pan);
  auto enrolled = enrol("cons_tsp", "crd_tsp", known);
  ASSERT_TRUE(enrolled) << enrolled.error().message;
  ASSERT_FALSE(enrolled->digital_card_id.empty());

  // c2psim posts ACTIVATED after its answer: the card view shows the token soon after.
  std::string shown;
  EXPECT_TRUE(Eventually([&] {
    auto r = Fetch(port, "GET", "/banking/v2/issuers/SANDBOX001/cards/crd_tsp", {},
                   "Authorization: Bearer " + token + "\r\n");
    if (!r || r->status != 200) return false;
    const auto c2p = json::parse(r->body).at("clickToPay").as_object();
    if (!c2p.contains("digitalCardId")) return false;
    shown = std::string(c2p.at("digitalCardId").as_string());
    return true;
  }));
  EXPECT_EQ(shown, enrolled->digital_card_id);

  // A PAN c2pd never registered: RED, so the directory declines the card.
  const auto unknown = CardData("5105105105105100");
  auto declined = enrol("cons_other", "crd_other", unknown);
  ASSERT_FALSE(declined);
  EXPECT_EQ(declined.error().failure_code, "TOKENIZATION_DECLINED");

  asio::post(io, [&] { client.reset(); });
  work.reset();
  thread.join();
  sandbox->Signal(SIGTERM);
  EXPECT_TRUE(sandbox->Wait(std::chrono::seconds(20)));
  const std::string log = ReadFile(sb + "/c2pd.log");
  EXPECT_NE(log.find("tsp.token_decision"), std::string::npos);
  EXPECT_EQ(log.find(pan), std::string::npos);
}

}  // namespace
}  // namespace c2p::testing
