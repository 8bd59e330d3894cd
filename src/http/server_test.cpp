#include "http/server.hpp"

#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "log/log.hpp"
#include "tests/support/raw_client.hpp"

namespace c2p::http {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing::BuildRequest;
using testing::Fetch;
using testing::RawClient;

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log::Init({log::Level::kWarn, {}});
    router_.Add(Verb::get, "/hello",
                [](Request&) -> asio::awaitable<Reply> { co_return Text(Status::ok, "hi"); });
    router_.Add(
        Verb::post, "/echo/{name}",
        [](Request& r) -> asio::awaitable<Reply> {
          boost::json::object o;
          o["name"] = r.param("name");
          o["body"] = r.json();
          co_return Json(Status::ok, o);
        },
        RouteOptions{BodyKind::kJson, 1024});
    router_.Add(Verb::get, "/slow", [](Request&) -> asio::awaitable<Reply> {
      asio::steady_timer t(co_await asio::this_coro::executor, 400ms);
      co_await t.async_wait(asio::use_awaitable);
      co_return Text(Status::ok, "done");
    });
    router_.Add(Verb::get, "/throw", [](Request&) -> asio::awaitable<Reply> {
      throw std::runtime_error("bug");
      co_return Text(Status::ok, "unreachable");
    });
  }

  void StartServer(ServerOptions options = {}) {
    options.port = 0;
    options.threads = 2;
    options.access_log = false;
    server_ = std::make_unique<Server>(options, router_, registry_);
    ASSERT_TRUE(server_->Start());
    port_ = server_->port();
  }

  void TearDown() override {
    if (server_) server_->Stop();
  }

  Router router_;
  core::metrics::Registry registry_;
  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
};

// Layers wrap only the routes they apply to; a guard answers in the route's place.
TEST_F(ServerTest, LayersApplyToTheirRoutesOnlyAndGuardsCanRefuse) {
  auto only = [](std::string_view path) {
    return [path](const Route& route) { return route.path_template == path; };
  };
  const std::vector<Layer> layers = {
      {.middleware = {},
       .guard = [](Request&) -> std::optional<Reply> { return Text(Status::forbidden, "no"); },
       .applies = only("/throw")},
      {.middleware = [](Request& r, const Next& next) -> asio::awaitable<Reply> {
         Reply reply = co_await next(r);
         reply.WithHeader("X-Layer", "yes");
         co_return reply;
       },
       .guard = {},
       .applies = only("/hello")}};
  ServerOptions options;
  options.port = 0;
  options.threads = 1;
  options.access_log = false;
  server_ = std::make_unique<Server>(options, router_, registry_, layers);
  ASSERT_TRUE(server_->Start());
  auto refused = Fetch(server_->port(), "GET", "/throw");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);  // the guard answered; the throwing handler never ran
  auto hello = Fetch(server_->port(), "GET", "/hello");
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->status, 200);
  EXPECT_EQ(hello->header("x-layer"), "yes");
  auto slow = Fetch(server_->port(), "GET", "/slow");
  ASSERT_TRUE(slow);
  EXPECT_EQ(slow->status, 200);
  EXPECT_EQ(slow->header("x-layer"), "");

  // A guard behind a middleware would run out of order: a start-up error.
  const std::vector<Layer> misordered = {
      layers[1], {.middleware = {}, .guard = layers[0].guard, .applies = {}}};
  EXPECT_THROW(Server(options, router_, registry_, misordered), std::logic_error);
}

TEST_F(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  StartServer();
  RawClient c;
  ASSERT_TRUE(c.Connect(port_));
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(c.Send(BuildRequest("GET", "/hello", {}, {})));
    auto r = c.Read();
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "hi");
  }
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  StartServer();
  RawClient c;
  ASSERT_TRUE(c.Connect(port_));
  ASSERT_TRUE(c.Send(BuildRequest("GET", "/hello", {}, {}) + BuildRequest("GET", "/nope", {}, {})));
  auto a = c.Read();
  auto b = c.Read();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->status, 200);
  EXPECT_EQ(b->status, 404);
}

TEST_F(ServerTest, CorrelationIdIsEchoedWhenValidAndGeneratedOtherwise) {
  StartServer();
  auto given = Fetch(port_, "GET", "/hello", {}, "x-correlation-id: abc_123-X\r\n");
  ASSERT_TRUE(given);
  EXPECT_EQ(given->header("x-correlation-id"), "abc_123-X");
  auto invalid = Fetch(port_, "GET", "/hello", {}, "x-correlation-id: has space!\r\n");
  ASSERT_TRUE(invalid);
  EXPECT_NE(invalid->header("x-correlation-id"), "has space!");
  EXPECT_EQ(invalid->header("x-correlation-id").size(), 22u);
  auto none = Fetch(port_, "GET", "/nope");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->header("x-correlation-id").size(), 22u);
}

TEST_F(ServerTest, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  StartServer();
  auto nf = Fetch(port_, "GET", "/nope");
  ASSERT_TRUE(nf);
  EXPECT_EQ(nf->status, 404);
  EXPECT_EQ(boost::json::parse(nf->body).at("errorCode").as_string(), "NOT_FOUND");
  auto na = Fetch(port_, "DELETE", "/hello");
  ASSERT_TRUE(na);
  EXPECT_EQ(na->status, 405);
  EXPECT_EQ(na->header("allow"), "GET");
  EXPECT_EQ(boost::json::parse(na->body).at("errorCode").as_string(), "METHOD_NOT_ALLOWED");
}

TEST_F(ServerTest, JsonRoutesParseStrictlyAndCheckTheContentType) {
  StartServer();
  const std::string json = "Content-Type: application/json\r\n";
  auto ok = Fetch(port_, "POST", "/echo/bob", R"({"a":1})", json);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(boost::json::parse(ok->body).at("body").at("a").as_int64(), 1);

  auto charset = Fetch(port_, "POST", "/echo/bob", R"({"a":1})",
                       "Content-Type: Application/JSON; charset=utf-8\r\n");
  ASSERT_TRUE(charset);
  EXPECT_EQ(charset->status, 200);

  auto dup = Fetch(port_, "POST", "/echo/bob", R"({"a":1,"a":2})", json);
  ASSERT_TRUE(dup);
  EXPECT_EQ(dup->status, 400);
  EXPECT_EQ(boost::json::parse(dup->body).at("errorCode").as_string(), "INVALID_JSON");

  auto bad = Fetch(port_, "POST", "/echo/bob", "{", json);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);

  auto type = Fetch(port_, "POST", "/echo/bob", R"({"a":1})", "Content-Type: text/plain\r\n");
  ASSERT_TRUE(type);
  EXPECT_EQ(type->status, 415);
  EXPECT_EQ(boost::json::parse(type->body).at("errorCode").as_string(), "UNSUPPORTED_MEDIA_TYPE");
}

// Every n_ file of JSONTestSuite sent as a body: 400 INVALID_JSON, and the connection stays
// usable (one keep-alive connection carries all of them).
TEST_F(ServerTest, JsonTestSuiteRejectsAreInvalidJsonOverHttp) {
  StartServer();
  const char* shared = std::getenv("C2P_SHARED_DIR");
  const std::filesystem::path corpus =
      std::filesystem::path(shared ? shared : "../shared") / "testdata/JSONTestSuite/test_parsing";
  ASSERT_TRUE(std::filesystem::is_directory(corpus)) << corpus;
  RawClient c;
  ASSERT_TRUE(c.Connect(port_));
  int seen = 0;
  for (const auto& e : std::filesystem::directory_iterator(corpus)) {
    const std::string name = e.path().filename().string();
    if (!name.starts_with("n_")) continue;
    ++seen;
    std::ifstream in(e.path(), std::ios::binary);
    const std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (body.size() > 1024) continue;  // over this route's limit: 413, tested elsewhere
    ASSERT_TRUE(
        c.Send(BuildRequest("POST", "/echo/x", body, "Content-Type: application/json\r\n")));
    auto r = c.Read();
    ASSERT_TRUE(r) << name;
    EXPECT_EQ(r->status, 400) << name;
    EXPECT_EQ(boost::json::parse(r->body).at("errorCode").as_string(), "INVALID_JSON") << name;
  }
  EXPECT_EQ(seen, 188);
}

TEST_F(ServerTest, OversizeHeaderIs431AndClosed) {
  StartServer();
  RawClient c;
  ASSERT_TRUE(c.Connect(port_));
  const std::string big = "X-Big: " + std::string(9000, 'a') + "\r\n";
  ASSERT_TRUE(c.Send(BuildRequest("GET", "/hello", {}, big)));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  EXPECT_EQ(boost::json::parse(r->body).at("errorCode").as_string(), "HEADER_TOO_LARGE");
  EXPECT_TRUE(c.WaitClosed());
}

TEST_F(ServerTest, DeclaredOversizeBodyIs413WithoutReadingIt) {
  StartServer();
  RawClient c;
  ASSERT_TRUE(c.Connect(port_));
  ASSERT_TRUE(
      c.Send("POST /echo/x HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
             "Content-Length: 100000000\r\n\r\n"));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(boost::json::parse(r->body).at("errorCode").as_string(), "PAYLOAD_TOO_LARGE");
  EXPECT_TRUE(c.WaitClosed());
}

// A client that sends a whole oversize body at once still reads the 413: the server
// drains instead of resetting the connection under it.
TEST_F(ServerTest, OversizeBodySentInFullStillGetsThe413) {
  StartServer();
  RawClient c;
  ASSERT_TRUE(c.Connect(port_));
  const std::string body(200 * 1024, 'x');
  ASSERT_TRUE(
      c.Send("POST /echo/x HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
             "Content-Length: " +
             std::to_string(body.size()) + "\r\n\r\n" + body));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
}

TEST_F(ServerTest, ChunkedBodyOverTheLimitIs413) {
  StartServer();
  RawClient c;
  ASSERT_TRUE(c.Connect(port_));
  std::string req =
      "POST /echo/x HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) req += "200\r\n" + std::string(512, ' ') + "\r\n";
  req += "0\r\n\r\n";
  ASSERT_TRUE(c.Send(req));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
}

// A kFile route's body goes to disk as it arrives; the handler sees the file, and the
// file is gone after the request unless the handler moved it; over the limit is 413 and
// leaves nothing behind.
TEST_F(ServerTest, FileBodiesAreStreamedToDiskAndCleanedUp) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("c2p-upload-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string seen;
  std::filesystem::path seen_path;
  router_.Add(
      Verb::post, "/upload",
      [&](Request& r) -> asio::awaitable<Reply> {
        seen_path = r.body_file();
        std::ifstream in(r.body_file(), std::ios::binary);
        seen.assign(std::istreambuf_iterator<char>(in), {});
        co_return Text(Status::accepted, std::to_string(seen.size()));
      },
      RouteOptions{.body = BodyKind::kFile, .body_limit = 300'000, .upload_dir = dir});
  StartServer();
  std::string body(250'000, 'a');
  for (std::size_t i = 0; i < body.size(); i += 997) body[i] = static_cast<char>('0' + i % 10);
  auto r = Fetch(port_, "POST", "/upload", body);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 202);
  EXPECT_EQ(seen, body);
  EXPECT_EQ(seen_path.parent_path(), dir);
  EXPECT_FALSE(std::filesystem::exists(seen_path));

  auto big = Fetch(port_, "POST", "/upload", std::string(300'001, 'b'));
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  EXPECT_TRUE(std::filesystem::is_empty(dir));
  std::filesystem::remove_all(dir);
}

// A reply's body can come from a file, sent in pieces with the exact Content-Length, and
// the connection goes on serving.
TEST_F(ServerTest, FileRepliesAreSentWhole) {
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("c2p-reply-" + std::to_string(::getpid()));
  std::string content(200'003, 'z');
  for (std::size_t i = 0; i < content.size(); i += 101)
    content[i] = static_cast<char>('a' + i % 26);
  std::ofstream(file, std::ios::binary) << content;
  router_.Add(Verb::get, "/file", [&](Request&) -> asio::awaitable<Reply> {
    auto reply = FileReply(Status::ok, file);
    co_return reply ? std::move(*reply) : ErrorReply(reply.error());
  });
  StartServer();
  RawClient c;
  ASSERT_TRUE(c.Connect(port_));
  ASSERT_TRUE(c.Send(BuildRequest("GET", "/file", "", "")));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, content);
  ASSERT_TRUE(c.Send(BuildRequest("GET", "/hello", "", "")));
  auto again = c.Read();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->body, "hi");
  std::filesystem::remove(file);
}

TEST_F(ServerTest, MalformedRequestsGet400AndTheServerKeepsServing) {
  StartServer();
  for (const char* garbage :
       {"GARBAGE\r\n\r\n", "GET /hello HTTP/9.9\r\n\r\n",
        "GET /hello HTTP/1.1\r\nBad Header\r\n\r\n",
        "POST /echo/x HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
        "POST /echo/x HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"}) {
    RawClient c;
    ASSERT_TRUE(c.Connect(port_));
    ASSERT_TRUE(c.Send(garbage));
    auto r = c.Read();
    ASSERT_TRUE(r) << garbage;
    EXPECT_EQ(r->status, 400) << garbage;
    EXPECT_EQ(boost::json::parse(r->body).at("errorCode").as_string(), "MALFORMED_REQUEST");
    EXPECT_TRUE(c.WaitClosed()) << garbage;
  }
  auto ok = Fetch(port_, "GET", "/hello");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST_F(ServerTest, SlowHeaderIsCutOffWhileOthersAreServed) {
  ServerOptions o;
  o.header_timeout = 300ms;
  StartServer(o);
  RawClient slow;
  ASSERT_TRUE(slow.Connect(port_));
  ASSERT_TRUE(slow.Send("GET /hello HTTP/1.1\r\nHost: h\r\n"));  // never finished
  auto ok = Fetch(port_, "GET", "/hello");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_TRUE(slow.WaitClosed(3s));
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
  ServerOptions o;
  o.idle_timeout = 200ms;
  StartServer(o);
  RawClient c;
  ASSERT_TRUE(c.Connect(port_));
  EXPECT_TRUE(c.WaitClosed(3s));
}

TEST_F(ServerTest, AbruptDisconnectMidBodyDoesNotDisturbOthers) {
  StartServer();
  {
    RawClient c;
    ASSERT_TRUE(c.Connect(port_));
    ASSERT_TRUE(
        c.Send("POST /echo/x HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
               "Content-Length: 50\r\n\r\n{\"a\":"));
  }  // closed mid-body
  auto ok = Fetch(port_, "GET", "/hello");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST_F(ServerTest, HandlerExceptionIs500WithoutDetails) {
  StartServer();
  auto r = Fetch(port_, "GET", "/throw");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(boost::json::parse(r->body).at("errorCode").as_string(), "INTERNAL_ERROR");
  EXPECT_EQ(r->body.find("bug"), std::string::npos);
  auto ok = Fetch(port_, "GET", "/hello");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST_F(ServerTest, ExpectContinueIsAnswered) {
  StartServer();
  RawClient c;
  ASSERT_TRUE(c.Connect(port_));
  ASSERT_TRUE(
      c.Send("POST /echo/x HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
             "Expect: 100-continue\r\nContent-Length: 2\r\n\r\n"));
  ASSERT_TRUE(c.Send("{}"));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, ConnectionsBeyondTheLimitAreClosed) {
  ServerOptions o;
  o.max_connections = 2;
  StartServer(o);
  RawClient a, b, c;
  ASSERT_TRUE(a.Connect(port_));
  ASSERT_TRUE(a.Send(BuildRequest("GET", "/hello", {}, {})));
  ASSERT_TRUE(a.Read());
  ASSERT_TRUE(b.Connect(port_));
  ASSERT_TRUE(b.Send(BuildRequest("GET", "/hello", {}, {})));
  ASSERT_TRUE(b.Read());
  ASSERT_TRUE(c.Connect(port_));  // the kernel accepts; the server closes it
  EXPECT_TRUE(c.WaitClosed(3s));
  EXPECT_NE(registry_.Render().find("c2p_http_rejected_connections_total 1"), std::string::npos);
}

TEST_F(ServerTest, StopFinishesInFlightRequestsAndRefusesNewOnes) {
  StartServer();
  RawClient busy;
  ASSERT_TRUE(busy.Connect(port_));
  ASSERT_TRUE(busy.Send(BuildRequest("GET", "/slow", {}, {})));
  // Wait until the request is being handled before stopping.
  ASSERT_TRUE(testing::Eventually([&] {
    return registry_.Render().find("c2p_http_in_flight_requests 1") != std::string::npos;
  }));
  std::thread stopper([&] { server_->Stop(); });
  auto r = busy.Read(5s);
  stopper.join();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "done");
  EXPECT_EQ(r->header("connection"), "close");
  RawClient late;
  EXPECT_FALSE(late.Connect(port_));
}

TEST_F(ServerTest, ASecondServerCannotShareThePort) {
  StartServer();
  ServerOptions o;
  o.port = port_;
  o.threads = 2;
  Server second(o, router_, registry_);
  auto started = second.Start();
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().message.find("cannot listen"), std::string::npos);
}

TEST_F(ServerTest, RequestsAreCountedByRouteAndStatus) {
  StartServer();
  ASSERT_TRUE(Fetch(port_, "GET", "/hello"));
  ASSERT_TRUE(Fetch(port_, "GET", "/nope"));
  // Metrics are recorded just after the reply is written: poll.
  EXPECT_TRUE(testing::Eventually([&] {
    return registry_.Render().find(
               "c2p_http_requests_total{route=\"unmatched\",status=\"404\"} 1") !=
           std::string::npos;
  }));
  const std::string text = registry_.Render();
  EXPECT_NE(text.find("c2p_http_requests_total{route=\"/hello\",status=\"200\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("c2p_http_requests_total{route=\"unmatched\",status=\"404\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("c2p_http_request_seconds_count{route=\"/hello\"} 1"), std::string::npos);
}

}  // namespace
}  // namespace c2p::http
