#include "tests/support/sim_harness.hpp"

#include <algorithm>
#include <fstream>
#include <utility>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include "jose/key_file.hpp"
#include "jose/key_kinds.hpp"
#include "tests/support/ports.hpp"
#include "tests/support/raw_client.hpp"

namespace c2p::testing {
namespace json = boost::json;
namespace asio = boost::asio;

std::vector<json::object> FakeC2p::Events() {
  std::lock_guard lock(mutex);
  return events;
}

std::size_t FakeC2p::CountEvents(std::string_view kind) {
  std::lock_guard lock(mutex);
  return static_cast<std::size_t>(
      std::count_if(events.begin(), events.end(),
                    [&](const json::object& e) { return e.at("event").as_string() == kind; }));
}

bool SimHarness::Setup(const std::string& name) {
  dir = NamedTestDir(name);
  c2p_key = jose::EcKey::Generate();
  c2p_key.set_kid("c2p-test");
  EXPECT_TRUE(jose::WriteJwkFile(dir + "/c2p.pub.jwk", c2p_key.ToPublicJwk(), false));
  EXPECT_TRUE(decryption.AddEcdhEs(c2p_key));
  for (auto [network, key] : {std::pair{"visa", &visa_key}, std::pair{"mastercard", &mc_key}}) {
    *key = jose::RsaKey::Generate();
    key->set_kid(std::string("sim-") + network);
    auto jwk = key->ToPrivateJwk();
    EXPECT_TRUE(jose::WriteJwkFile(dir + "/sim-" + network + ".jwk", jwk, true));
    jose::WipeJwkSecrets(jwk);
  }
  EXPECT_TRUE(jose::GenerateKeyFile(jose::KeyKind::kWebhook, dir + "/issuer.whsec"));
  std::ofstream(dir + "/consumers.json")
      << R"({"consumers":[{"issuerId":"SANDBOX001","consumerId":"cons-1","consumerInfo":{"firstName":"Ada"},"billingAddress":{"countryCode":"FR"}}]})";
  return !::testing::Test::HasFailure() && StartFakeC2p();
}

bool SimHarness::StartFakeC2p() {
  for (const char* network : {"visa", "mastercard"}) {
    const std::string secret =
        std::string("Bearer ") + (network[0] == 'v' ? kSimVisaTspSecret : kSimMcTspSecret);
    router_.Add(
        http::Verb::post, std::string("/tsp/v1/networks/") + network + "/tokenRequests",
        [this, secret](http::Request& r) -> asio::awaitable<http::Reply> {
          if (r.header("authorization") != secret) {
            ++fake.unauthorized;
            co_return http::Json(http::Status::unauthorized, json::object{});
          }
          auto plain = jose::DecryptJwe(r.json().at("encryptedCard").as_string(), decryption);
          if (!plain) co_return http::Json(http::Status::bad_request, json::object{});
          const json::value card = json::parse(plain->as_text());
          const std::string pan(card.at("pan").as_string());
          std::lock_guard lock(fake.mutex);
          fake.pans.push_back(pan);
          co_return http::Json(
              http::Status::ok,
              json::object{{"decision", fake.red_pans.contains(pan) ? "RED" : "GREEN"}});
        },
        http::RouteOptions{http::BodyKind::kJson});
    router_.Add(
        http::Verb::post, std::string("/tsp/v1/networks/") + network + "/tokenEvents",
        [this, secret](http::Request& r) -> asio::awaitable<http::Reply> {
          if (r.header("authorization") != secret)
            co_return http::Json(http::Status::unauthorized, json::object{});
          if (fake.fail_events.fetch_sub(1) > 0) {
            co_return http::Json(http::Status::service_unavailable, json::object{});
          }
          std::lock_guard lock(fake.mutex);
          fake.events.push_back(r.json().as_object());
          co_return http::NoContent();
        },
        http::RouteOptions{http::BodyKind::kJson});
  }
  http::ServerOptions options;
  options.port = 0;
  options.threads = 1;
  options.access_log = false;
  c2p_server_ = std::make_unique<http::Server>(options, router_, metrics_);
  const bool started = static_cast<bool>(c2p_server_->Start());
  EXPECT_TRUE(started);
  return started;
}

bool SimHarness::StartSim(const std::string& extra) {
  sim_port = FreePort();
  std::ofstream(dir + "/c2psim.toml")
      << "[server]\nport = " << sim_port << "\n"
      << "[c2p]\nurl = \""
      << (c2p_url.empty() ? "http://127.0.0.1:" + std::to_string(c2p_server_->port()) : c2p_url)
      << "\"\nencryption_key = \""
      << (c2p_encryption_key.empty() ? std::string("c2p.pub.jwk") : c2p_encryption_key) << "\"\n"
      << "[visa]\napi_key = \"" << kSimVisaApiKey << "\"\ndecryption_key = \"sim-visa.jwk\"\n"
      << "tsp_secret = \"" << kSimVisaTspSecret << "\"\ntoken_requestor_id = \"40010030273\"\n"
      << visa_extra << "[mastercard]\napi_key = \"" << kSimMcApiKey
      << "\"\ndecryption_key = \"sim-mastercard.jwk\"\n"
      << "tsp_secret = \"" << kSimMcTspSecret << "\"\n"
      << mc_extra << "[issuer]\nconsumers_file = \"consumers.json\"\noauth_client_id = \"c2p\"\n"
      << "oauth_client_secret = \"s3cret\"\n"
      << issuer_extra
      << "[[issuer.webhook_secrets]]\nissuer = \"SANDBOX001\"\nfile = \"issuer.whsec\"\n"
      << "[timing]\nslow_card_ms = 400\ntimeout_fault_ms = 300\n"
      << extra;
  auto p =
      Process::Start({BinDir() + "/c2psim", "--config", dir + "/c2psim.toml"}, dir + "/c2psim.log");
  EXPECT_TRUE(p);
  if (!p) return false;
  sim = std::move(*p);
  const bool ready = WaitReady(sim_port);
  EXPECT_TRUE(ready) << ReadFile(dir + "/c2psim.log");
  return ready;
}

void SimHarness::Stop() {
  if (c2p_server_) c2p_server_->Stop();
}

}  // namespace c2p::testing
