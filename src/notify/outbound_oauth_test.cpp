// OutboundOAuth and ConsumerInfoClient against an in-process HTTP server standing in for an
// issuer backend: caching, the margin, one shared request for concurrent callers on two
// executors, Invalidate, and Fetch's one refresh on a 401.

#include "notify/outbound_oauth.hpp"

#include <atomic>
#include <future>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/object.hpp>

#include "core/metrics.hpp"
#include "http/server.hpp"
#include "notify/consumer_info_client.hpp"

namespace c2p::notify {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;

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

// The stand-in issuer: a token endpoint and Get Consumer Information, with knobs.
struct Issuer {
  std::atomic<int> token_requests{0};
  std::atomic<int> consumer_requests{0};
  std::atomic<int> token_status{200};
  std::atomic<int> token_delay_ms{0};
  std::atomic<int> expires_in{900};
  std::atomic<bool> reject_all_bearers{false};
  std::mutex mutex;
  std::set<std::string> valid_tokens;
  std::vector<std::string> authorizations;  // of token requests
  std::vector<std::string> bodies;          // of token requests
  std::vector<std::string> targets;         // of consumer requests

  void Revoke() {
    std::lock_guard lock(mutex);
    valid_tokens.clear();
  }
};

class OAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add(http::Verb::post, "/oauth/token",
                [this](http::Request& r) -> asio::awaitable<http::Reply> {
                  const int n = ++issuer_.token_requests;
                  {
                    std::lock_guard lock(issuer_.mutex);
                    issuer_.authorizations.emplace_back(r.header("authorization"));
                    issuer_.bodies.emplace_back(r.body());
                  }
                  if (issuer_.token_delay_ms > 0) {
                    asio::steady_timer timer(co_await asio::this_coro::executor);
                    timer.expires_after(std::chrono::milliseconds(issuer_.token_delay_ms.load()));
                    co_await timer.async_wait(asio::use_awaitable);
                  }
                  if (issuer_.token_status != 200) {
                    co_return http::Json(static_cast<http::Status>(issuer_.token_status.load()),
                                         json::object{{"error", "invalid_client"}});
                  }
                  const std::string token = "tok-" + std::to_string(n);
                  {
                    std::lock_guard lock(issuer_.mutex);
                    issuer_.valid_tokens.insert(token);
                  }
                  co_return http::Json(
                      http::Status::ok,
                      json::object{{"access_token", token},
                                   {"token_type", "Bearer"},
                                   {"expires_in", std::to_string(issuer_.expires_in)}});
                },
                {http::BodyKind::kRaw});
    router_.Add(
        http::Verb::get, "/issuers/{issuerId}/consumers/{consumerId}",
        [this](http::Request& r) -> asio::awaitable<http::Reply> {
          ++issuer_.consumer_requests;
          const std::string_view auth = r.header("authorization");
          bool ok = false;
          {
            std::lock_guard lock(issuer_.mutex);
            issuer_.targets.push_back(std::string(r.path()) + (r.query().empty() ? "" : "?") +
                                      std::string(r.query()));
            ok = auth.starts_with("Bearer ") &&
                 issuer_.valid_tokens.contains(std::string(auth.substr(7)));
          }
          if (!ok || issuer_.reject_all_bearers) {
            co_return http::Json(http::Status::unauthorized, json::object{});
          }
          co_return http::Json(http::Status::ok,
                               json::object{{"consumerInfo", json::object{{"firstName", "Ada"}}}});
        });
    http::ServerOptions options;
    options.port = 0;
    options.threads = 1;
    options.access_log = false;
    server_ = std::make_unique<http::Server>(options, router_, metrics_);
    ASSERT_TRUE(server_->Start());
    base_ = "http://127.0.0.1:" + std::to_string(server_->port());
    client_ = std::make_unique<http::Client>(client_loop_.ctx().get_executor());
  }

  void TearDown() override {
    clients_.reset();
    oauth_.reset();
    asio::post(client_loop_.ctx(), asio::use_future([this] { client_.reset(); })).get();
    server_->Stop();
  }

  OAuthConfig Config() {
    OAuthConfig c;
    c.token_url = base_ + "/oauth/token";
    c.client_id = "c2p";
    c.client_secret = core::SecretBytes(std::string_view("s3cret"));
    c.scope = "consumers:read notify";
    return c;
  }

  void MakeOAuth() {
    oauth_ = std::make_unique<OutboundOAuth>(*client_, Config(), [this] { return now_.load(); });
  }

  // One Token() on `ctx`, waited for (bounded).
  OAuthResult<std::string> TokenOn(asio::io_context& ctx) {
    auto future = asio::co_spawn(ctx, oauth_->Token("corr-1"), asio::use_future);
    if (future.wait_for(20s) != std::future_status::ready) {
      ADD_FAILURE() << "no result";
      return tl::unexpected(OAuthFailure{});
    }
    return future.get();
  }
  OAuthResult<std::string> Token() { return TokenOn(other_loop_.ctx()); }

  void Advance(std::chrono::seconds by) { now_.store(now_.load() + by); }

  Issuer issuer_;
  core::metrics::Registry metrics_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::string base_;
  Loop client_loop_;  // the http::Client's single-threaded executor
  Loop other_loop_;   // callers elsewhere
  std::unique_ptr<http::Client> client_;
  std::unique_ptr<OutboundOAuth> oauth_;
  std::unique_ptr<IssuerClients> clients_;
  std::atomic<OutboundOAuth::Clock::time_point> now_{OutboundOAuth::Clock::time_point{} + 1h};
};

TEST_F(OAuthTest, SendsBasicClientCredentialsForm) {
  MakeOAuth();
  auto token = Token();
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_EQ(*token, "tok-1");
  std::lock_guard lock(issuer_.mutex);
  ASSERT_EQ(issuer_.authorizations.size(), 1u);
  EXPECT_EQ(issuer_.authorizations[0], "Basic YzJwOnMzY3JldA==");
  EXPECT_EQ(issuer_.bodies[0], "grant_type=client_credentials&scope=consumers%3Aread%20notify");
}

TEST_F(OAuthTest, CachedUntilTheMarginBeforeExpiry) {
  issuer_.expires_in = 100;  // margin 10 s: refreshed from 90 s on
  MakeOAuth();
  ASSERT_EQ(Token().value(), "tok-1");
  Advance(89s);
  EXPECT_EQ(Token().value(), "tok-1");
  EXPECT_EQ(issuer_.token_requests, 1);
  Advance(1s);
  EXPECT_EQ(Token().value(), "tok-2");
  EXPECT_EQ(issuer_.token_requests, 2);
  EXPECT_EQ(oauth_->requests_sent(), 2u);
}

TEST_F(OAuthTest, ZeroLifetimeIsNotCached) {
  issuer_.expires_in = 0;
  MakeOAuth();
  EXPECT_EQ(Token().value(), "tok-1");
  EXPECT_EQ(Token().value(), "tok-2");
}

TEST_F(OAuthTest, ConcurrentCallersOnTwoExecutorsShareOneRequest) {
  issuer_.token_delay_ms = 300;  // long enough that every caller arrives while it is out
  MakeOAuth();
  std::vector<std::future<OAuthResult<std::string>>> futures;
  for (int i = 0; i < 40; ++i) {
    asio::io_context& ctx = i % 2 == 0 ? client_loop_.ctx() : other_loop_.ctx();
    futures.push_back(
        asio::co_spawn(ctx, oauth_->Token("c-" + std::to_string(i)), asio::use_future));
  }
  for (auto& f : futures) {
    ASSERT_EQ(f.wait_for(20s), std::future_status::ready);
    auto token = f.get();
    ASSERT_TRUE(token) << token.error().message;
    EXPECT_EQ(*token, "tok-1");
  }
  EXPECT_EQ(issuer_.token_requests, 1);
  EXPECT_EQ(oauth_->requests_sent(), 1u);
}

TEST_F(OAuthTest, AFailureIsSharedAndNotCached) {
  issuer_.token_status = 503;
  issuer_.token_delay_ms = 200;
  MakeOAuth();
  std::vector<std::future<OAuthResult<std::string>>> futures;
  for (int i = 0; i < 10; ++i) {
    futures.push_back(asio::co_spawn(other_loop_.ctx(), oauth_->Token("c"), asio::use_future));
  }
  for (auto& f : futures) {
    ASSERT_EQ(f.wait_for(20s), std::future_status::ready);
    auto token = f.get();
    ASSERT_FALSE(token);
    EXPECT_TRUE(token.error().retryable);
    EXPECT_EQ(token.error().http_status, 503u);
  }
  EXPECT_EQ(issuer_.token_requests, 1);
  issuer_.token_status = 200;
  issuer_.token_delay_ms = 0;
  EXPECT_EQ(Token().value(), "tok-2");
}

TEST_F(OAuthTest, BadCredentialsAreFinalAndTheSecretStaysOut) {
  issuer_.token_status = 401;
  MakeOAuth();
  auto token = Token();
  ASSERT_FALSE(token);
  EXPECT_FALSE(token.error().retryable);
  EXPECT_EQ(token.error().message.find("s3cret"), std::string::npos);
  EXPECT_EQ(token.error().message.find("YzJwOnMzY3JldA"), std::string::npos);
}

TEST_F(OAuthTest, InvalidateForgetsOnlyThatToken) {
  MakeOAuth();
  ASSERT_EQ(Token().value(), "tok-1");
  oauth_->Invalidate("tok-0");  // an older token: the cache stays
  EXPECT_EQ(Token().value(), "tok-1");
  oauth_->Invalidate("tok-1");
  EXPECT_EQ(Token().value(), "tok-2");
  EXPECT_EQ(issuer_.token_requests, 2);
}

TEST_F(OAuthTest, UnreachableTokenEndpointIsRetryable) {
  OAuthConfig c = Config();
  c.token_url = "http://127.0.0.1:1/oauth/token";
  oauth_ = std::make_unique<OutboundOAuth>(*client_, std::move(c));
  auto token = Token();
  ASSERT_FALSE(token);
  EXPECT_TRUE(token.error().retryable);
  EXPECT_EQ(token.error().http_status, 0u);
}

// ---- ConsumerInfoClient over the same stand-in ----

class FetchTest : public OAuthTest {
 protected:
  void MakeClients(bool by_card, bool with_oauth = true, std::string base_url = {}) {
    IssuerEndpoint e;
    e.issuer_id = "ISSUER0001";
    e.base_url = base_url.empty() ? base_ : base_url;
    e.consumer_info_by_card = by_card;
    if (with_oauth) e.oauth = Config();
    std::vector<IssuerEndpoint> endpoints;
    endpoints.push_back(std::move(e));
    IssuerEndpoint bare;
    bare.issuer_id = "ISSUER0002";  // no base_url
    endpoints.push_back(std::move(bare));
    clients_ = std::make_unique<IssuerClients>(*client_, std::move(endpoints));
  }

  FetchResult Fetch(std::string issuer, std::string card = "card-1") {
    ConsumerInfoClient consumers(*clients_);
    auto future = asio::co_spawn(
        other_loop_.ctx(), consumers.Fetch(std::move(issuer), "cons-1", std::move(card), "corr-9"),
        asio::use_future);
    if (future.wait_for(20s) != std::future_status::ready) {
      ADD_FAILURE() << "no result";
      return tl::unexpected(FetchFailure{});
    }
    return future.get();
  }
};

TEST_F(FetchTest, A401RefreshesTheTokenOnceAndRetriesOnce) {
  MakeClients(false);
  ASSERT_TRUE(Fetch("ISSUER0001"));
  issuer_.Revoke();  // the cached token is now refused
  auto got = Fetch("ISSUER0001");
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->info.first_name, "Ada");
  EXPECT_EQ(issuer_.token_requests, 2);
  EXPECT_EQ(issuer_.consumer_requests, 3);
}

TEST_F(FetchTest, A401WithAFreshTokenIsFinal) {
  MakeClients(false);
  issuer_.reject_all_bearers = true;
  auto got = Fetch("ISSUER0001");
  ASSERT_FALSE(got);
  EXPECT_FALSE(got.error().retryable);
  EXPECT_EQ(got.error().http_status, 401u);
  EXPECT_EQ(got.error().failure_code, "CONSUMER_INFO_UNAVAILABLE");
  EXPECT_EQ(issuer_.token_requests, 2);
  EXPECT_EQ(issuer_.consumer_requests, 2);
}

TEST_F(FetchTest, CardIdOnlyWhenByCard) {
  MakeClients(true);
  ASSERT_TRUE(Fetch("ISSUER0001"));
  clients_.reset();
  MakeClients(false);
  ASSERT_TRUE(Fetch("ISSUER0001"));
  std::lock_guard lock(issuer_.mutex);
  ASSERT_EQ(issuer_.targets.size(), 2u);
  EXPECT_EQ(issuer_.targets[0], "/issuers/ISSUER0001/consumers/cons-1?cardId=card-1");
  EXPECT_EQ(issuer_.targets[1], "/issuers/ISSUER0001/consumers/cons-1");
}

TEST_F(FetchTest, NoBaseUrlOrUnknownIssuerIsFinal) {
  MakeClients(false);
  for (const char* issuer : {"ISSUER0002", "ISSUER0003"}) {
    auto got = Fetch(issuer);
    ASSERT_FALSE(got);
    EXPECT_FALSE(got.error().retryable);
    EXPECT_EQ(got.error().failure_code, "CONSUMER_INFO_UNAVAILABLE");
  }
  EXPECT_EQ(issuer_.consumer_requests, 0);
}

TEST_F(FetchTest, IdsOutsideTheAlphabetAreRefusedBeforeSending) {
  MakeClients(true);
  auto got = Fetch("ISSUER0001", "a/../b");
  ASSERT_FALSE(got);
  EXPECT_FALSE(got.error().retryable);
  EXPECT_EQ(issuer_.consumer_requests, 0);
}

TEST_F(FetchTest, UnreachableIssuerIsRetryable) {
  MakeClients(false, false, "http://127.0.0.1:1");
  auto got = Fetch("ISSUER0001");
  ASSERT_FALSE(got);
  EXPECT_TRUE(got.error().retryable);
  EXPECT_EQ(got.error().failure_code, "CONSUMER_INFO_UNAVAILABLE");
}

}  // namespace
}  // namespace c2p::notify
