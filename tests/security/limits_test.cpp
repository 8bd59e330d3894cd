// S6 (guide/quality.md) end to end, against a real c2pd on loopback: oversize bodies, deep
// JSON, duplicate keys, slowloris (header and body), 10,000 idle connections and a request
// flood each get the documented 4xx/429 or a close, while a well-behaved client (issuer B)
// keeps getting answers. src/http/server_test.cpp proves the same rules on the bare server
// (431, 413 declared/sent/chunked, slow header, idle close, connection limit); here they
// are checked through c2pd's real routes, authentication and configuration.
//
// Timeouts are shortened through [server] (docs/configuration.md) so the suite stays
// bounded; every wait polls with a deadline.

#include <sys/resource.h>

#include <atomic>
#include <thread>

#include "tests/e2e/registry_fixture.hpp"

namespace c2p::testing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kHeaderTimeout = std::chrono::milliseconds(1500);
constexpr auto kBodyTimeout = std::chrono::milliseconds(2000);
constexpr std::size_t kIdleTarget = 10'000;

class Limits : public RegistryE2e {
 protected:
  static void SetUpTestSuite() {
    // Room for 10,000 idle connections on both ends: c2pd inherits this limit.
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
    fd_limit_ = limit.rlim_cur;
    server_extra_ = "header_timeout_ms = " + std::to_string(kHeaderTimeout.count()) +
                    "\nbody_timeout_ms = " + std::to_string(kBodyTimeout.count()) +
                    "\nmax_connections = " + std::to_string(kIdleTarget + 100) +
                    "\naccess_log = false\n";
    issuer_a_extra_ = "rate_limit_per_second = 50\n";
    PrepareSuite();
    StartDaemon({"pan-v1.jwk"});
    ASSERT_EQ(Call("PUT", Consumer(kIssuerB, "polite"), "{}", kIssuerB).status, 201);
    ASSERT_FALSE(Token(kIssuerA).empty());
  }
  static void TearDownTestSuite() {
    RegistryE2e::TearDownTestSuite();
    server_extra_.clear();
    issuer_a_extra_.clear();
  }

  // Issuer B's well-behaved client: one GET every 20 ms on fresh connections until `stop`,
  // counting answers and failures (no answer in 5 s, or not 200).
  struct Polite {
    std::atomic<bool> stop{false};
    std::atomic<int> ok{0};
    std::atomic<int> failed{0};
    std::thread thread;
    Polite() {
      const std::string headers = "Authorization: Bearer " + Token(kIssuerB) + "\r\n";
      thread = std::thread([this, headers] {
        while (!stop) {
          auto r = Fetch(port_, "GET", Consumer(kIssuerB, "polite"), {}, headers, 5s);
          (r && r->status == 200 ? ok : failed)++;
          std::this_thread::sleep_for(20ms);
        }
      });
    }
    ~Polite() { Stop(); }
    Polite(const Polite&) = delete;
    Polite& operator=(const Polite&) = delete;
    void Stop() {
      stop = true;
      if (thread.joinable()) thread.join();
    }
  };

  static std::int64_t Gauge(const std::string& name) {
    auto r = Fetch(port_, "GET", "/metrics");
    if (!r) return -1;
    const auto at = r->body.find("\n" + name + " ");
    return at == std::string::npos ? -1 : std::stoll(r->body.substr(at + name.size() + 2));
  }

  static std::string Auth(const std::string& issuer = kIssuerA) {
    return "Authorization: Bearer " + Token(issuer) + "\r\n";
  }

  static inline rlim_t fd_limit_ = 0;
};

TEST_F(Limits, OversizeBodiesAre413) {
  const std::string path = Consumer(kIssuerA, "big");
  // Declared over 64 KiB: 413 before the body is read (none is sent).
  {
    RawClient c;
    ASSERT_TRUE(c.Connect(port_));
    ASSERT_TRUE(c.Send("PUT " + path + " HTTP/1.1\r\nHost: x\r\n" + Auth() +
                       "Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n"));
    auto r = c.Read(10s);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    EXPECT_EQ(ErrorCodeOf(*r), "PAYLOAD_TOO_LARGE");
  }
  // Sent in full (1 MiB), and chunked over the limit: 413 too.
  auto full = Fetch(port_, "PUT", path, std::string(1024 * 1024, ' '),
                    Auth() + "Content-Type: application/json\r\n", 20s);
  ASSERT_TRUE(full);
  EXPECT_EQ(full->status, 413);
  {
    RawClient c;
    ASSERT_TRUE(c.Connect(port_));
    std::string chunked = "PUT " + path + " HTTP/1.1\r\nHost: x\r\n" + Auth() +
                          "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 80; ++i) chunked += "400\r\n" + std::string(1024, ' ') + "\r\n";
    chunked += "0\r\n\r\n";
    c.Send(chunked);
    auto r = c.Read(10s);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
  }
  // Without a token: refused either way (the declared length is judged first, 413, or the
  // missing token, 401), never read into a handler.
  auto anonymous =
      Fetch(port_, "PUT", path, std::string(100 * 1024, ' '), "Content-Type: application/json\r\n");
  ASSERT_TRUE(anonymous);
  EXPECT_TRUE(anonymous->status == 413 || anonymous->status == 401) << anonymous->status;
  // Nothing was created.
  EXPECT_EQ(Call("GET", path).status, 404);
}

TEST_F(Limits, DeepJsonAndDuplicateKeysAreInvalidJson) {
  const std::string path = Consumer(kIssuerA, "deep");
  auto nested = [](int depth) {
    std::string inner = R"({"language":"en-US"})";
    // personalInformation is level 2; pad with arrays inside an unknown member so only the
    // depth can be at fault before the members are judged.
    std::string s = std::string(depth, '[') + std::string(depth, ']');
    return R"({"personalInformation":)" + inner.substr(0, inner.size() - 1) + R"(,"x":)" + s + "}}";
  };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"depth 40", nested(40)},
      {"depth 30,000 (a stack-exhaustion attempt)", nested(30'000)},
      {"duplicate top-level key", R"({"state":"ACTIVE","state":"INACTIVE"})"},
      {"duplicate nested key",
       R"({"personalInformation":{"language":"en-US","language":"fr-FR"}})"},
      {"duplicate key, escaped spelling", R"({"state":"ACTIVE","st\u0061te":"INACTIVE"})"},
  };
  for (const auto& [name, body] : cases) {
    auto r = Call("PUT", path, body);
    EXPECT_EQ(r.status, 400) << name << ": " << r.body;
    EXPECT_EQ(ErrorCodeOf(r), "INVALID_JSON") << name;
  }
  // Duplicate keys inside the encrypted card data: refused, nothing stored.
  const std::string pan = Pan("411111000000990");
  const std::string plain = R"({"pan":")" + pan + R"(","pan":"4000000000000002","exp":"1230"})";
  auto key = jose::EcKey::FromJwk(*jose::ReadJwkFile(dir_ + "/jwe.jwk"));
  const std::string jwe = jose::EncryptEcdhEs(
      {reinterpret_cast<const std::uint8_t*>(plain.data()), plain.size()}, *key, "jwe-1");
  auto card = Call(
      "PUT", Card(kIssuerA, "dup_card"),
      R"({"consumerId":"deep","cardProductId":"VISA_CLASSIC","encryptedData":")" + jwe + "\"}");
  EXPECT_EQ(card.status, 400) << card.body;
  EXPECT_EQ(card.body.find(pan), std::string::npos);
  EXPECT_EQ(Call("GET", Card(kIssuerA, "dup_card")).status, 404);
  EXPECT_EQ(Call("GET", path).status, 404);
}

TEST_F(Limits, SmugglingShapedHeadersAre400OrClosed) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"two Content-Lengths",
       "PUT /banking/v2/issuers/ISSUER0001/consumers/smug HTTP/1.1\r\nHost: x\r\n" + Auth() +
           "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}"},
      {"Content-Length and chunked",
       "PUT /banking/v2/issuers/ISSUER0001/consumers/smug HTTP/1.1\r\nHost: x\r\n" + Auth() +
           "Content-Type: application/json\r\nContent-Length: 2\r\n"
           "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"},
      {"header over 8 KiB",
       "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(16 * 1024, 'b') + "\r\n\r\n"},
      {"bare LF line endings", "GET /healthz HTTP/1.1\nHost: x\n\n"},
  };
  for (const auto& [name, bytes] : cases) {
    RawClient c;
    ASSERT_TRUE(c.Connect(port_));
    c.Send(bytes);
    auto r = c.Read(10s);
    if (r) {
      EXPECT_GE(r->status, 400) << name;
      EXPECT_LT(r->status, 500) << name;
    } else {
      EXPECT_TRUE(c.WaitClosed(10s)) << name << ": neither answered nor closed";
    }
  }
  EXPECT_EQ(Call("GET", Consumer(kIssuerA, "smug")).status, 404);
}

TEST_F(Limits, SlowlorisIsCutOffAtTheHeaderAndBodyTimeoutsWhileOthersAreServed) {
  Polite polite;
  // 50 connections dribbling a header one byte every 100 ms, and 20 dribbling a body.
  std::vector<RawClient> slow(70);
  const std::string header = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(200, 's');
  const std::string body_head = "PUT " + Consumer(kIssuerA, "slow") + " HTTP/1.1\r\nHost: x\r\n" +
                                Auth() +
                                "Content-Type: application/json\r\nContent-Length: 500\r\n\r\n";
  for (std::size_t i = 0; i < slow.size(); ++i) {
    ASSERT_TRUE(slow[i].Connect(port_));
    if (i >= 50) {
      ASSERT_TRUE(slow[i].Send(body_head));
    }
  }
  const auto start = Clock::now();
  std::vector<Clock::duration> closed_after(slow.size(), Clock::duration::zero());
  std::size_t open = slow.size();
  for (std::size_t step = 0; open > 0 && Clock::now() - start < 20s; ++step) {
    for (std::size_t i = 0; i < slow.size(); ++i) {
      if (closed_after[i] != Clock::duration::zero()) continue;
      // A send that fails, or a read that sees the close, ends this connection.
      const bool sent = slow[i].Send(std::string(1, i < 50 ? header[step % header.size()] : ' '));
      if (!sent || slow[i].WaitClosed(1ms)) {
        closed_after[i] = Clock::now() - start;
        --open;
      }
    }
    std::this_thread::sleep_for(100ms);
  }
  polite.Stop();
  EXPECT_EQ(open, 0U) << "slow connections still open after 20 s";
  for (std::size_t i = 0; i < slow.size(); ++i) {
    const auto limit = i < 50 ? kHeaderTimeout : kBodyTimeout;
    EXPECT_GE(closed_after[i], limit - 100ms) << i;
    // Generous: a loaded 2-core machine under ASan.
    EXPECT_LE(closed_after[i], limit + 5s) << i;
  }
  EXPECT_GT(polite.ok.load(), 20);
  EXPECT_EQ(polite.failed.load(), 0);
  EXPECT_EQ(Call("GET", Consumer(kIssuerA, "slow")).status, 404);
}

TEST_F(Limits, TenThousandIdleConnectionsAndOthersAreStillServed) {
  // Each end needs a descriptor per connection, plus what the process already holds.
  const std::size_t target =
      std::min<std::size_t>(kIdleTarget, fd_limit_ > 200 ? fd_limit_ - 200 : 0);
  ASSERT_GE(target, 1000U) << "RLIMIT_NOFILE too low: " << fd_limit_;
  std::vector<RawClient> idle(target);
  const auto start = Clock::now();
  for (auto& c : idle) ASSERT_TRUE(c.Connect(port_));
  const auto connected = Clock::now() - start;
  // Every one of them is accepted and held open by c2pd.
  ASSERT_TRUE(Eventually(
      [&] { return Gauge("c2p_http_open_connections") >= static_cast<std::int64_t>(target); }, 60s,
      50ms))
      << Gauge("c2p_http_open_connections") << " of " << target;
  // A well-behaved client is served meanwhile, with the connections still open.
  for (int i = 0; i < 20; ++i) {
    auto r = Call("GET", Consumer(kIssuerB, "polite"), {}, kIssuerB);
    EXPECT_EQ(r.status, 200);
  }
  // And an idle one that finally speaks gets its answer.
  ASSERT_TRUE(idle[target / 2].Send(BuildRequest("GET", "/healthz", {}, {})));
  auto r = idle[target / 2].Read(10s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  for (auto& c : idle) c.Close();
  EXPECT_TRUE(Eventually([&] { return Gauge("c2p_http_open_connections") < 10; }, 60s, 50ms))
      << Gauge("c2p_http_open_connections");
  RecordProperty("idle_connections", static_cast<int>(target));
  RecordProperty(
      "connect_ms",
      static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(connected).count()));
}

TEST_F(Limits, AFloodIsRateLimitedWith429WhileAnotherIssuerIsServed) {
  Polite polite;
  std::atomic<int> limited{0};
  std::atomic<int> answered{0};
  std::atomic<int> other{0};
  std::atomic<int> retry_after{0};
  const std::string request = BuildRequest("GET", Consumer(kIssuerA, "flood"), {}, Auth());
  std::vector<std::thread> flood;
  const auto until = Clock::now() + 3s;
  for (int t = 0; t < 4; ++t) {
    flood.emplace_back([&] {
      RawClient c;
      bool connected = c.Connect(port_);
      while (Clock::now() < until) {
        if (!connected || !c.Send(request)) {
          connected = c.Connect(port_);
          continue;
        }
        auto r = c.Read(5s);
        if (!r) {
          connected = c.Connect(port_);
          continue;
        }
        if (r->status == 429) {
          ++limited;
          if (!r->header("retry-after").empty() && ErrorCodeOf(*r) == "RATE_LIMITED") ++retry_after;
        } else if (r->status == 404) {
          ++answered;  // within the limit: the consumer does not exist
        } else {
          ++other;
        }
      }
    });
  }
  for (auto& t : flood) t.join();
  polite.Stop();
  EXPECT_GT(limited.load(), 0);
  EXPECT_EQ(retry_after.load(), limited.load());
  // 50 per second for about 3 s, plus the bucket's burst.
  EXPECT_GT(answered.load(), 0);
  EXPECT_LT(answered.load(), 500);
  EXPECT_EQ(other.load(), 0);
  EXPECT_GT(polite.ok.load(), 20);
  EXPECT_EQ(polite.failed.load(), 0);
}

TEST_F(Limits, NoRequestOfTheSuiteWasA500AndC2pdIsStillUp) {
  EXPECT_TRUE(WaitReady(port_, 10s));
  const std::string metrics = Fetch(port_, "GET", "/metrics")->body;
  EXPECT_NE(metrics.find("status=\"429\""), std::string::npos);  // the pattern matches
  EXPECT_EQ(metrics.find("status=\"500\""), std::string::npos);
  EXPECT_TRUE(daemon_->running());
}

}  // namespace
}  // namespace c2p::testing
