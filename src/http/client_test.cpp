#include "http/client.hpp"

#include <atomic>
#include <future>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>

#include "http/server.hpp"
#include "tests/support/ports.hpp"
#include "tests/support/raw_client.hpp"

namespace c2p::http {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;

// An io_context run by its own thread, as c2psim and c2pd run their outbound work.
class Loop {
 public:
  Loop() : work_(asio::make_work_guard(ctx_)), thread_([this] { ctx_.run(); }) {}
  ~Loop() {
    work_.reset();
    ctx_.stop();
    thread_.join();
  }
  asio::io_context& ctx() { return ctx_; }
  std::thread::id thread_id() const { return thread_.get_id(); }

 private:
  asio::io_context ctx_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::thread thread_;
};

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add(Verb::post, "/echo", Echo(), {BodyKind::kRaw});
    router_.Add(Verb::put, "/echo", Echo(), {BodyKind::kRaw});
    router_.Add(Verb::patch, "/echo", Echo(), {BodyKind::kRaw});
    router_.Add(Verb::delete_, "/echo", Echo(), {BodyKind::kRaw});
    router_.Add(Verb::get, "/echo", Echo());
    router_.Add(Verb::get, "/slow", [this](Request& r) -> asio::awaitable<Reply> {
      ++slow_started_;
      asio::steady_timer timer(co_await asio::this_coro::executor);
      timer.expires_after(std::chrono::milliseconds(std::stoi(r.query_param("ms").value())));
      co_await timer.async_wait(asio::use_awaitable);
      co_return Text(Status::ok, "late");
    });
    router_.Add(Verb::get, "/big", [](Request& r) -> asio::awaitable<Reply> {
      co_return Text(Status::ok, std::string(std::stoul(r.query_param("n").value()), 'x'));
    });
    router_.Add(Verb::get, "/redirect", [](Request&) -> asio::awaitable<Reply> {
      Reply reply = Text(Status::found, "moved");
      reply.WithHeader("Location", "/echo");
      co_return reply;
    });
    ServerOptions options;
    options.port = 0;
    options.threads = 1;
    options.access_log = false;
    server_ = std::make_unique<Server>(options, router_, metrics_);
    ASSERT_TRUE(server_->Start());
    base_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }

  void TearDown() override {
    // The client lives on the loop's thread: destroy it there.
    asio::post(loop_.ctx(), asio::use_future([this] { client_.reset(); })).get();
    server_->Stop();
  }

  Handler Echo() {
    return [this](Request& r) -> asio::awaitable<Reply> {
      ++requests_seen_;
      json::object out;
      out["method"] = std::string(beast_http::to_string(r.method()));
      out["body"] = std::string(r.body());
      out["test"] = std::string(r.header("x-test"));
      out["contentType"] = std::string(r.header("content-type"));
      Reply reply = Json(r.body().empty() ? Status::ok : Status::created, out);
      reply.WithHeader("X-Reply", "yes");
      co_return reply;
    };
  }

  // Runs one Send on the loop and waits for its result (bounded).
  ClientResult SendOn(Client& client, ClientRequest request) {
    auto future = asio::co_spawn(loop_.ctx(), client.Send(std::move(request)), asio::use_future);
    if (future.wait_for(20s) != std::future_status::ready) {
      ADD_FAILURE() << "no result";
      return tl::unexpected(TransportError{});
    }
    return future.get();
  }

  ClientResult Send(ClientRequest request) { return SendOn(*client_, std::move(request)); }

  ClientRequest Get(const std::string& path) {
    ClientRequest r;
    r.url = base_ + path;
    return r;
  }

  core::metrics::Registry metrics_;
  Router router_;
  std::unique_ptr<Server> server_;
  std::string base_;
  std::atomic<int> requests_seen_{0};
  std::atomic<int> slow_started_{0};
  Loop loop_;
  std::unique_ptr<Client> client_ = std::make_unique<Client>(loop_.ctx().get_executor());
};

TEST_F(ClientTest, SendsMethodHeadersAndBodyAndReturnsTheResponse) {
  ClientRequest r;
  r.method = "POST";
  r.url = base_ + "/echo";
  r.headers = {{"Content-Type", "application/json"}, {"X-Test", "abc"}};
  r.body = R"({"a":1})";
  auto result = Send(r);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->status, 201u);
  EXPECT_EQ(result->header("x-reply"), "yes");
  EXPECT_EQ(result->header("X-REPLY"), "yes") << "header lookup ignores case";
  const auto body = json::parse(result->body).as_object();
  EXPECT_EQ(body.at("method").as_string(), "POST");
  EXPECT_EQ(body.at("body").as_string(), R"({"a":1})");
  EXPECT_EQ(body.at("test").as_string(), "abc");
  EXPECT_EQ(body.at("contentType").as_string(), "application/json");
}

TEST_F(ClientTest, EveryMethodCarriesItsBody) {
  for (const char* method : {"GET", "PUT", "PATCH", "DELETE"}) {
    ClientRequest r;
    r.method = method;
    r.url = base_ + "/echo";
    if (std::string_view(method) != "GET") r.body = std::string("body of ") + method;
    auto result = Send(r);
    ASSERT_TRUE(result) << method << ": " << result.error().message;
    const auto body = json::parse(result->body).as_object();
    EXPECT_EQ(body.at("method").as_string(), method);
    EXPECT_EQ(body.at("body").as_string(), r.body);
  }
  // A body-less DELETE and an empty PUT.
  for (const char* method : {"DELETE", "PUT"}) {
    ClientRequest r;
    r.method = method;
    r.url = base_ + "/echo";
    auto result = Send(r);
    ASSERT_TRUE(result) << method;
    EXPECT_EQ(result->status, 200u) << method;
  }
}

TEST_F(ClientTest, SequentialRequestsReuseOneConnection) {
  auto& open = metrics_.GetGauge("c2p_http_open_connections", "Open client connections.");
  for (int i = 0; i < 5; ++i) {
    auto result = Send(Get("/echo"));
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 200u);
  }
  // Without reuse each request would have left one more idle connection in the pool.
  EXPECT_EQ(open.value(), 1);
}

TEST_F(ClientTest, ManyConcurrentRequestsAllComplete) {
  std::vector<std::future<ClientResult>> futures;
  for (int i = 0; i < 40; ++i) {
    ClientRequest r;
    r.method = "POST";
    r.url = base_ + "/echo";
    r.body = "n=" + std::to_string(i);
    futures.push_back(asio::co_spawn(loop_.ctx(), client_->Send(r), asio::use_future));
  }
  for (int i = 0; i < 40; ++i) {
    ASSERT_EQ(futures[i].wait_for(20s), std::future_status::ready);
    auto result = futures[i].get();
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(json::parse(result->body).at("body").as_string(), "n=" + std::to_string(i));
  }
  EXPECT_EQ(requests_seen_.load(), 40);
}

TEST_F(ClientTest, ATimeoutIsAValueAndComesOnTime) {
  ClientRequest r = Get("/slow?ms=1000");
  r.timeout = 200ms;
  const auto start = std::chrono::steady_clock::now();
  auto result = Send(r);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, TransportErrorKind::kTimeout);
  EXPECT_LT(elapsed, 900ms);
  // The connection that timed out is not reused for the next call.
  auto next = Send(Get("/echo"));
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200u);
}

TEST_F(ClientTest, DefaultTimeoutComesFromTheOptions) {
  ClientOptions options;
  options.timeout = 150ms;
  Client client(loop_.ctx().get_executor(), options);
  auto result = SendOn(client, Get("/slow?ms=1000"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, TransportErrorKind::kTimeout);
  // Destroyed on the loop's thread, as documented.
  asio::post(loop_.ctx(), asio::use_future([] {})).get();
}

TEST_F(ClientTest, NothingListeningIsAConnectError) {
  ClientRequest r;
  r.url = "http://127.0.0.1:" + std::to_string(testing::FreePort()) + "/echo";
  auto result = Send(r);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, TransportErrorKind::kConnect);
}

TEST_F(ClientTest, HostNamesAreResolved) {
  ClientRequest r;
  r.url = "http://localhost:" + std::to_string(server_->port()) + "/echo";
  auto result = Send(r);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->status, 200u);
}

TEST_F(ClientTest, RedirectsAreReturnedNotFollowed) {
  auto result = Send(Get("/redirect"));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 302u);
  EXPECT_EQ(result->header("location"), "/echo");
  EXPECT_EQ(requests_seen_.load(), 0);
}

TEST_F(ClientTest, AResponseOverTheLimitIsRefused) {
  ClientOptions options;
  options.max_response_bytes = 1000;
  Client client(loop_.ctx().get_executor(), options);
  auto small = SendOn(client, Get("/big?n=1000"));
  ASSERT_TRUE(small);
  EXPECT_EQ(small->body.size(), 1000u);
  auto big = SendOn(client, Get("/big?n=100000"));
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().kind, TransportErrorKind::kResponseTooLarge);
  asio::post(loop_.ctx(), asio::use_future([] {})).get();
}

TEST_F(ClientTest, MalformedRequestsAreRefusedBeforeAnythingIsSent) {
  std::vector<ClientRequest> bad(6);
  bad[0].url = "ftp://127.0.0.1/echo";
  bad[1].url = base_ + "/echo\r\nX-Injected: 1";
  bad[2].url = base_ + "/echo";
  bad[2].method = "GE T";
  bad[3].url = base_ + "/echo";
  bad[3].headers = {{"X-Test", "a\r\nX-Injected: 1"}};
  bad[4].url = base_ + "/echo";
  bad[4].headers = {{"Content-Length", "5"}};
  bad[5].url = "file:///etc/passwd";
  for (const auto& r : bad) {
    auto result = Send(r);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().kind, TransportErrorKind::kInvalidRequest) << result.error().message;
  }
  EXPECT_EQ(requests_seen_.load(), 0);
}

TEST_F(ClientTest, ErrorMessagesCarryNoRequestData) {
  ClientRequest r = Get("/slow?ms=1000&secret=QUERYSECRET");
  r.method = "GET";
  r.headers = {{"Authorization", "Bearer HEADERSECRET"}};
  r.timeout = 100ms;
  auto result = Send(r);
  ASSERT_FALSE(result);
  const std::string& m = result.error().message;
  EXPECT_FALSE(m.empty());
  EXPECT_EQ(m.find("QUERYSECRET"), std::string::npos) << m;
  EXPECT_EQ(m.find("HEADERSECRET"), std::string::npos) << m;
  EXPECT_EQ(m.find("127.0.0.1"), std::string::npos) << m;
}

TEST_F(ClientTest, TheCallerResumesOnItsOwnExecutor) {
  Loop caller;
  auto future = asio::co_spawn(
      caller.ctx(),
      [&]() -> asio::awaitable<std::pair<bool, std::thread::id>> {
        auto result = co_await client_->Send(Get("/echo"));
        co_return std::make_pair(result.has_value(), std::this_thread::get_id());
      },
      asio::use_future);
  ASSERT_EQ(future.wait_for(20s), std::future_status::ready);
  const auto [ok, thread] = future.get();
  EXPECT_TRUE(ok);
  EXPECT_EQ(thread, caller.thread_id());
  EXPECT_NE(thread, loop_.thread_id());
}

TEST_F(ClientTest, DestroyingTheClientCancelsTransfersInFlight) {
  auto future = asio::co_spawn(loop_.ctx(), client_->Send(Get("/slow?ms=1500")), asio::use_future);
  // Destroyed on its own executor once the transfer has started.
  ASSERT_TRUE(testing::Eventually([&] { return slow_started_.load() == 1; }));
  asio::post(loop_.ctx(), asio::use_future([this] { client_.reset(); })).get();
  ASSERT_EQ(future.wait_for(5s), std::future_status::ready);
  auto result = future.get();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, TransportErrorKind::kCancelled);
}

}  // namespace
}  // namespace c2p::http
