// S7 (guide/quality.md) end to end: where c2pd sends notifications. A "trap" (a listening
// socket nothing should ever reach) stands for every target c2pd must not contact.
//  - The allow-list: a notification_url whose host is not in notification_hosts stops
//    c2pd at start-up (spec/outbound.md §3, docs/configuration.md), so nothing is sent; so
//    do URLs built to make the allow-list check and the HTTP client disagree on the host
//    (user information, backslashes).
//  - Redirects: the issuer endpoint answers 302 to the trap (on an allowed host and port):
//    each attempt fails and is retried, and the Location is never fetched.
// (src/http/client_test.cpp proves the client returns a 3xx unfollowed; notifications_e2e
// proves a 302 is retried; this suite adds that the Location target is never contacted.)

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

#include "core/metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "tests/e2e/enrol_fixture.hpp"
#include "tests/support/ports.hpp"

namespace c2p::testing {
namespace {

// A loopback listening socket that counts the connections made to it (accepted or still
// queued in its backlog).
class Trap {
 public:
  Trap() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof(addr);
    auto* sa = reinterpret_cast<sockaddr*>(&addr);
    if (fd_ < 0 || ::bind(fd_, sa, size) != 0 || ::listen(fd_, 64) != 0 ||
        ::getsockname(fd_, sa, &size) != 0) {
      ADD_FAILURE() << "trap socket";
    }
    port_ = ntohs(addr.sin_port);
  }
  ~Trap() {
    if (fd_ >= 0) ::close(fd_);
  }
  Trap(const Trap&) = delete;
  Trap& operator=(const Trap&) = delete;

  std::uint16_t port() const { return port_; }
  int Connections() {
    for (;;) {
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return count_;
      ::close(c);
      ++count_;
    }
  }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
  int count_ = 0;
};

// The issuer's notification endpoint: every notification is answered 302 to the trap.
class Redirector {
 public:
  explicit Redirector(std::uint16_t trap_port) {
    const std::string location = "http://127.0.0.1:" + std::to_string(trap_port) + "/stolen";
    for (const char* path :
         {"/hooks/notifications/d1/v2/issuers/{issuerId}/cards",
          "/hooks/notifications/d1/v2/issuers/{issuerId}/consumers",
          "/hooks/notifications/d1/v1/issuers/{issuerId}/digitalCards/{id}/notifications"}) {
      router_.Add(
          http::Verb::post, path,
          [this, location](http::Request&) -> boost::asio::awaitable<http::Reply> {
            ++attempts;
            http::Reply reply = http::Json(http::Status::found, boost::json::object{});
            reply.WithHeader("Location", location);
            co_return reply;
          },
          http::RouteOptions{http::BodyKind::kRaw});
    }
    http::ServerOptions options;
    options.port = 0;
    options.threads = 1;
    options.access_log = false;
    server_ = std::make_unique<http::Server>(options, router_, metrics_);
    EXPECT_TRUE(server_->Start());
  }
  ~Redirector() { server_->Stop(); }
  Redirector(const Redirector&) = delete;
  Redirector& operator=(const Redirector&) = delete;
  std::uint16_t port() const { return server_->port(); }

  std::atomic<int> attempts{0};

 private:
  core::metrics::Registry metrics_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
};

class Ssrf : public EnrolE2e {
 protected:
  static void SetUpTestSuite() {
    trap_ = std::make_unique<Trap>();
    redirector_ = std::make_unique<Redirector>(trap_->port());
    hooks_dir_ = NamedTestDir("SsrfHooks");
    std::ofstream(hooks_dir_ + "/issuer.whsec") << "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0\n";
    issuer_b_extra_ =
        HookConfig("http://127.0.0.1:" + std::to_string(redirector_->port()) + "/hooks");
    notifications_config_ =
        "[notifications]\nretry_schedule_ms = [50, 100, 200]\njitter_percent = 0\n"
        "timeout_ms = 2000\n";
    EnrolE2e::SetUpTestSuite();
  }
  static void TearDownTestSuite() {
    EnrolE2e::TearDownTestSuite();
    notifications_config_.clear();
    redirector_.reset();
    trap_.reset();
  }

  static std::string HookConfig(const std::string& url) {
    return "notification_url = \"" + url + "\"\nnotification_hosts = [\"127.0.0.1\"]\n" +
           "notification_secret_file = \"" + hooks_dir_ + "/issuer.whsec\"\n";
  }

  static std::int64_t Retried() {
    auto r = Fetch(port_, "GET", "/metrics");
    if (!r) return -1;
    const std::string key =
        std::string("c2p_notifications_retried_total{issuer=\"") + kIssuerB + "\"} ";
    const auto at = r->body.find(key);
    return at == std::string::npos ? 0 : std::stoll(r->body.substr(at + key.size()));
  }

  // Enrols a fresh card of ISSUER0002 and waits until its notification failed twice.
  static void EnrolAndWaitForFailedAttempts(const std::string& card) {
    const auto before = Retried();
    RegisterCard("c-fetch", card, TestPan("4"), "VISA_CLASSIC", kIssuerB);
    EXPECT_EQ(Ended(Enrol(card, {}, kIssuerB), kIssuerB).at("status"), "SUCCESSFUL");
    EXPECT_TRUE(Eventually([&] { return Retried() >= before + 2; }, std::chrono::seconds(30)))
        << Retried();
  }

  static inline std::unique_ptr<Trap> trap_;
  static inline std::unique_ptr<Redirector> redirector_;
  static inline std::string hooks_dir_;
};

TEST_F(Ssrf, ARedirectIsAFailedAttemptAndItsLocationIsNeverFetched) {
  EnrolAndWaitForFailedAttempts("ssrf-redirect");
  EXPECT_GE(redirector_->attempts.load(), 2);
  EXPECT_EQ(trap_->Connections(), 0) << "c2pd followed a redirect";
}

TEST_F(Ssrf, ANotificationUrlOutsideTheAllowListStopsC2pdBeforeAnythingIsSent) {
  const std::string trap = std::to_string(trap_->port());
  for (const std::string& url :
       {"http://localhost:" + trap, "http://127.0.0.1@localhost:" + trap, "http://127.1:" + trap,
        "http://0x7f000001:" + trap, "http://2130706433:" + trap, "http://127.0.0.1.:" + trap,
        "http://[::ffff:127.0.0.1]:" + trap, "http://LOCALHOST:" + trap + "/a",
        // User information or a backslash: the allow-list check and an HTTP client's
        // parser could take different hosts from these, so they are refused outright.
        "http://localhost:" + trap + "@127.0.0.1:" + trap,
        "http://127.0.0.1@localhost:" + trap + "@127.0.0.1:" + trap,
        "http://localhost:" + trap + "\\\\@127.0.0.1:" + trap}) {
    SCOPED_TRACE(url);
    const std::string path = dir_ + "/refused.toml";
    std::string config = ReadFile(ConfigPath());
    // ISSUER0002's notification_url replaced by `url`, its allow-list unchanged.
    const auto at = config.find("notification_url = \"");
    ASSERT_NE(at, std::string::npos);
    const auto end = config.find('\n', at);
    config.replace(at, end - at, "notification_url = \"" + url + "\"");
    const auto port_at = config.find("port = ");
    config.replace(port_at, config.find('\n', port_at) - port_at,
                   "port = " + std::to_string(FreePort()));
    std::ofstream(path) << config;
    auto p = Process::Start({BinDir() + "/c2pd", "--config", path}, dir_ + "/refused.out");
    ASSERT_TRUE(p);
    const auto code = p->Wait(std::chrono::seconds(30));
    EXPECT_TRUE(code && *code != 0) << ReadFile(dir_ + "/refused.out");
    EXPECT_NE(ReadFile(dir_ + "/refused.out").find("notification_url"), std::string::npos);
  }
  EXPECT_EQ(trap_->Connections(), 0);
}

}  // namespace
}  // namespace c2p::testing
