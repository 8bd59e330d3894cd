// c2p's issuer-backend client (src/notify: OutboundOAuth, ConsumerInfoClient) against a real
// c2psim process and its stand-in issuer (docs/simulator.md "Stand-in issuer"), which
// requires the bearer tokens it issued (require_bearer).

#include <chrono>
#include <fstream>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>

#include "http/client.hpp"
#include "notify/consumer_info_client.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/sim_harness.hpp"

namespace c2p::testing {
namespace {

namespace asio = boost::asio;
using notify::FetchResult;

constexpr const char* kIssuer = "SANDBOX001";

// An io_context run by its own thread.
class Loop {
 public:
  Loop() : work_(asio::make_work_guard(ctx_)), thread_([this] { ctx_.run(); }) {}
  ~Loop() {
    work_.reset();
    ctx_.stop();
    thread_.join();
  }
  asio::io_context& ctx() { return ctx_; }

 private:
  asio::io_context ctx_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::thread thread_;
};

class IssuerClientE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(
        h_.Setup("issuer-client-e2e-" +
                 std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())));
    // The harness's fixture is replaced by consumers c2p's strict readers accept, one that
    // only answers for its card, and one whose data is malformed.
    std::ofstream(h_.dir + "/consumers.json") << R"({"consumers":[
      {"issuerId":"SANDBOX001","consumerId":"cons-1",
       "consumerInfo":{"language":"en-GB","firstName":"Ada","lastName":"Lovelace",
                       "email":"ada@example.com",
                       "mobilePhoneNumber":{"countryCode":"44","phoneNumber":"7700900123"}},
       "billingAddress":{"addressLine1":"12 St James's Square","city":"London",
                         "postalCode":"SW1Y 4JH","countryCode":"GB"}},
      {"issuerId":"SANDBOX001","consumerId":"cons-card","cardId":"card-7",
       "consumerInfo":{"firstName":"Grace"}},
      {"issuerId":"SANDBOX001","consumerId":"cons-bad",
       "consumerInfo":{"email":"Lovelace-not-an-email"}}]})";
    h_.issuer_extra = "require_bearer = true\n";
    ASSERT_TRUE(h_.StartSim());
    base_ = "http://127.0.0.1:" + std::to_string(h_.sim_port) + "/sim/v1/issuer";
    client_ = std::make_unique<http::Client>(client_loop_.ctx().get_executor());
  }

  void TearDown() override {
    consumers_.reset();
    issuers_.reset();
    asio::post(client_loop_.ctx(), asio::use_future([this] { client_.reset(); })).get();
    h_.Stop();
  }

  void MakeClients(bool by_card = false, const std::string& secret = "s3cret") {
    notify::IssuerEndpoint e;
    e.issuer_id = kIssuer;
    e.base_url = base_;
    e.consumer_info_by_card = by_card;
    e.timeout = std::chrono::seconds(5);
    notify::OAuthConfig oauth;
    oauth.token_url = base_ + "/authz/d1/v1/oauth2/token";
    oauth.client_id = "c2p";
    oauth.client_secret = core::SecretBytes(std::string_view(secret));
    oauth.timeout = std::chrono::seconds(5);
    e.oauth = std::move(oauth);
    std::vector<notify::IssuerEndpoint> endpoints;
    endpoints.push_back(std::move(e));
    consumers_.reset();
    issuers_ = std::make_unique<notify::IssuerClients>(*client_, std::move(endpoints));
    consumers_ = std::make_unique<notify::ConsumerInfoClient>(*issuers_);
  }

  std::future<FetchResult> Start(asio::io_context& ctx, const std::string& consumer,
                                 const std::string& card = "card-7") {
    return asio::co_spawn(ctx, consumers_->Fetch(kIssuer, consumer, card, "corr-e2e"),
                          asio::use_future);
  }

  FetchResult Fetch(const std::string& consumer, const std::string& card = "card-7") {
    auto future = Start(caller_loop_.ctx(), consumer, card);
    if (future.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
      ADD_FAILURE() << "no result";
      return tl::unexpected(notify::FetchFailure{});
    }
    return future.get();
  }

  std::int64_t TokensIssued() {
    auto r = testing::Fetch(h_.sim_port, "GET", "/sim/v1/stats");
    EXPECT_TRUE(r);
    if (!r) return -1;
    return boost::json::parse(r->body).at("issuer").at("tokensIssued").to_number<std::int64_t>();
  }

  void Post(const std::string& target, const std::string& body) {
    auto r =
        testing::Fetch(h_.sim_port, "POST", target, body, "Content-Type: application/json\r\n");
    ASSERT_TRUE(r);
    ASSERT_LT(r->status, 300) << r->body;
  }

  std::uint64_t TokenRequestsSent() { return issuers_->OAuthFor(kIssuer)->requests_sent(); }

  SimHarness h_;
  std::string base_;
  Loop client_loop_;  // the http::Client's executor
  Loop caller_loop_;  // where the callers run, as the engine's workers would
  std::unique_ptr<http::Client> client_;
  std::unique_ptr<notify::IssuerClients> issuers_;
  std::unique_ptr<notify::ConsumerInfoClient> consumers_;
};

TEST_F(IssuerClientE2e, TokenFetchedOnceAndCachedAcrossFetches) {
  MakeClients();
  for (int i = 0; i < 15; ++i) {
    auto got = Fetch("cons-1");
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(got->info.first_name, "Ada");
    EXPECT_EQ(got->info.mobile_phone_number->phone_number, "7700900123");
    ASSERT_TRUE(got->billing);
    EXPECT_EQ(got->billing->country_code, "GB");
  }
  EXPECT_EQ(TokensIssued(), 1);
  EXPECT_EQ(TokenRequestsSent(), 1u);
}

TEST_F(IssuerClientE2e, ConcurrentColdFetchesShareOneTokenRequest) {
  // Every issuer call is held 300 ms, so all callers arrive while the token request is out.
  Post("/sim/v1/faults", R"({"network":"issuer","latencyMs":300})");
  MakeClients();
  std::vector<std::future<FetchResult>> futures;
  for (int i = 0; i < 24; ++i) {
    futures.push_back(Start(i % 2 == 0 ? caller_loop_.ctx() : client_loop_.ctx(), "cons-1"));
  }
  for (auto& f : futures) {
    ASSERT_EQ(f.wait_for(std::chrono::seconds(30)), std::future_status::ready);
    auto got = f.get();
    ASSERT_TRUE(got) << got.error().message;
  }
  EXPECT_EQ(TokensIssued(), 1);
  EXPECT_EQ(TokenRequestsSent(), 1u);
}

TEST_F(IssuerClientE2e, A401RefreshesTheTokenOnce) {
  MakeClients();
  ASSERT_TRUE(Fetch("cons-1"));
  // The stand-in forgets the tokens it issued: c2p's cached one is now answered 401.
  Post("/sim/v1/reset", "");
  EXPECT_EQ(TokensIssued(), 0);
  auto got = Fetch("cons-1");
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(TokensIssued(), 1);
  EXPECT_EQ(TokenRequestsSent(), 2u);
  ASSERT_TRUE(Fetch("cons-1"));  // and the fresh token is cached again
  EXPECT_EQ(TokenRequestsSent(), 2u);
}

TEST_F(IssuerClientE2e, UnknownConsumerIsFinal) {
  MakeClients();
  auto got = Fetch("cons-nobody");
  ASSERT_FALSE(got);
  EXPECT_FALSE(got.error().retryable);
  EXPECT_EQ(got.error().http_status, 404u);
  EXPECT_EQ(got.error().failure_code, "CONSUMER_INFO_UNAVAILABLE");
}

TEST_F(IssuerClientE2e, CardIdIsSentWhenByCardIsOn) {
  MakeClients(true);
  auto got = Fetch("cons-card", "card-7");
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->info.first_name, "Grace");
  EXPECT_FALSE(got->billing);
  EXPECT_FALSE(Fetch("cons-card", "card-8"));  // the fixture answers for card-7 only
  MakeClients(false);
  auto without = Fetch("cons-card", "card-7");  // no cardId sent: no match
  ASSERT_FALSE(without);
  EXPECT_EQ(without.error().http_status, 404u);
}

TEST_F(IssuerClientE2e, InjectedIssuerFaultsAreRetryable) {
  MakeClients();
  ASSERT_TRUE(Fetch("cons-1"));  // the token is cached: the faults hit Get Consumer Information
  for (int status : {503, 500, 429}) {
    Post("/sim/v1/faults",
         R"({"network":"issuer","errorRate":1,"status":)" + std::to_string(status) + "}");
    auto got = Fetch("cons-1");
    ASSERT_FALSE(got) << status;
    EXPECT_TRUE(got.error().retryable) << status;
    EXPECT_EQ(got.error().http_status, static_cast<unsigned>(status));
    EXPECT_EQ(got.error().failure_code, "CONSUMER_INFO_UNAVAILABLE");
  }
  ASSERT_EQ(testing::Fetch(h_.sim_port, "DELETE", "/sim/v1/faults")->status, 204);
  EXPECT_TRUE(Fetch("cons-1"));
}

TEST_F(IssuerClientE2e, TokenEndpointFaultIsRetryable) {
  Post("/sim/v1/faults", R"({"network":"issuer","errorRate":1,"status":503})");
  MakeClients();
  auto got = Fetch("cons-1");
  ASSERT_FALSE(got);
  EXPECT_TRUE(got.error().retryable);
  EXPECT_EQ(TokensIssued(), 0);
}

TEST_F(IssuerClientE2e, BadCredentialsAreFinalWithoutTheSecret) {
  MakeClients(false, "wr0ng-secret");
  auto got = Fetch("cons-1");
  ASSERT_FALSE(got);
  EXPECT_FALSE(got.error().retryable);
  EXPECT_EQ(got.error().http_status, 401u);
  EXPECT_EQ(got.error().failure_code, "CONSUMER_INFO_UNAVAILABLE");
  EXPECT_EQ(got.error().message.find("wr0ng"), std::string::npos) << got.error().message;
  EXPECT_EQ(got.error().message.find("c2p:"), std::string::npos) << got.error().message;
  EXPECT_EQ(TokensIssued(), 0);
}

TEST_F(IssuerClientE2e, MalformedConsumerDataIsFinalAndNotQuoted) {
  MakeClients();
  auto got = Fetch("cons-bad");
  ASSERT_FALSE(got);
  EXPECT_FALSE(got.error().retryable);
  EXPECT_EQ(got.error().failure_code, "CONSUMER_INFO_UNAVAILABLE");
  EXPECT_NE(got.error().message.find("/consumerInfo/email"), std::string::npos)
      << got.error().message;
  EXPECT_EQ(got.error().message.find("Lovelace"), std::string::npos) << got.error().message;
}

TEST_F(IssuerClientE2e, UnreachableIssuerIsRetryable) {
  MakeClients();
  h_.sim.Stop();
  auto got = Fetch("cons-1");
  ASSERT_FALSE(got);
  EXPECT_TRUE(got.error().retryable);
  EXPECT_EQ(got.error().http_status, 0u);
}

}  // namespace
}  // namespace c2p::testing
