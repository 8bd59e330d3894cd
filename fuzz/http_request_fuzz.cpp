// libFuzzer target: each input is sent as raw bytes to a real c2p HTTP server over
// loopback, then an ordinary GET /healthz must still get its 200. This covers what an
// attacker reaches first: Beast's request parser, c2p's connection loop (limits,
// timeouts, 100-continue, pipelining, keep-alive), routing and the body middleware.
//
// Findings: a crash or sanitizer report anywhere in the server, a 500 (handlers throw
// only for bugs), bytes that are not an HTTP response, and a server that stops answering
// others (the health check fails), which is how a hang or a wedged reactor shows up.
//
// The server runs in this process on its own thread, so sanitizers and coverage see it.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/json/kind.hpp>
#include <boost/json/value.hpp>

#include "api/service_routes.hpp"
#include "core/ids.hpp"
#include "core/metrics.hpp"
#include "http/reply.hpp"
#include "http/request.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "log/log.hpp"

namespace {

namespace asio = boost::asio;
namespace http = c2p::http;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// Longer than every server timeout below, so a server that honours them has closed by then.
constexpr auto kFuzzReadDeadline = 1s;
// Generous (sanitizers, a shared 2-core machine) but under libFuzzer's -timeout=5, so a
// wedge is reported here with a message rather than as an anonymous timeout.
constexpr auto kHealthDeadline = 3s;
// Responses are drained, not kept: enough to check the status lines that matter.
constexpr std::size_t kKeepBytes = std::size_t{64} * 1024;

struct Harness {
  c2p::core::metrics::Registry metrics;
  http::Router router;
  std::unique_ptr<http::Server> server;
  std::uint16_t port = 0;
  unsigned health_every = 1;
  std::uint64_t inputs = 0;
  std::uint64_t still_open_at_deadline = 0;
};

// Never destroyed: the server's thread must not outlive the router and registry it uses,
// and static destruction order would not guarantee that. Stopped explicitly at exit.
Harness* g_harness = nullptr;

[[noreturn]] void Die(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "http_request_fuzz: FINDING: %s\n", what);
  if (!detail.empty()) {
    std::fprintf(stderr, "---- server sent (first %zu bytes) ----\n%.*s\n----\n",
                 std::min<std::size_t>(detail.size(), 2048),
                 static_cast<int>(std::min<std::size_t>(detail.size(), 2048)), detail.data());
  }
  std::abort();
}

void AddRoutes(http::Router& router, c2p::core::metrics::Registry& metrics) {
  c2p::api::AddServiceRoutes(
      router,
      []() -> asio::awaitable<c2p::core::Result<void>> { co_return c2p::core::Result<void>{}; },
      metrics);

  // The shape of the real API: parameters, a verb-suffix segment (two siblings, so the
  // literal match on the suffix is exercised), a strict JSON body.
  auto echo_card = [](http::Request& r) -> asio::awaitable<http::Reply> {
    boost::json::object o;
    o["issuerId"] = r.param("issuerId").size();
    o["cardId"] = r.param("cardId").size();
    o["kind"] = boost::json::to_string(r.json().kind());
    co_return http::Json(http::Status::accepted, o);
  };
  router.Add(http::Verb::post,
             "/banking/v1/issuers/{issuerId}/cards/{cardId}/operations:clickToPayEnrolment",
             echo_card, {http::BodyKind::kJson, 4096});
  router.Add(http::Verb::post, "/banking/v1/issuers/{issuerId}/cards/{cardId}/operations:suspend",
             echo_card, {http::BodyKind::kJson, http::kDefaultBodyLimit});
  router.Add(http::Verb::delete_, "/banking/v1/issuers/{issuerId}/cards/{cardId}",
             [](http::Request&) -> asio::awaitable<http::Reply> { co_return http::NoContent(); });

  // Query decoding.
  router.Add(http::Verb::get, "/banking/v1/issuers/{issuerId}/operations/{operationId}",
             [](http::Request& r) -> asio::awaitable<http::Reply> {
               boost::json::object o;
               o["operationId"] = r.param("operationId").size();
               const auto fields = r.query_param("fields");
               o["fields"] = fields ? static_cast<std::int64_t>(fields->size()) : -1;
               co_return http::Json(http::Status::ok, o);
             });

  // The other body kinds: form (the token endpoint) and raw with a small limit (uploads).
  auto body_size = [](http::Request& r) -> asio::awaitable<http::Reply> {
    boost::json::object o;
    o["bytes"] = r.body().size();
    co_return http::Json(http::Status::ok, o);
  };
  router.Add(http::Verb::post, "/oauth2/token", body_size, {http::BodyKind::kForm, 2048});
  router.Add(http::Verb::put, "/banking/v1/issuers/{issuerId}/batches/{batchId}", body_size,
             {http::BodyKind::kRaw, 1024});
}

// Connects within `timeout`; returns the socket, or -errno. Non-blocking connect plus
// poll, because a blocking connect() can be cut short by libFuzzer's SIGALRM (EINTR) and
// would otherwise wait for the kernel's own, much longer, SYN retry timeout.
int Connect(std::uint16_t port, std::chrono::milliseconds timeout) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return -errno;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  int error = 0;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    error = errno;
    if (error == EINPROGRESS || error == EINTR) {
      const auto deadline = Clock::now() + timeout;
      error = ETIMEDOUT;
      for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) break;
        pollfd p{fd, POLLOUT, 0};
        const int r = ::poll(&p, 1, static_cast<int>(left.count()));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        socklen_t len = sizeof error;
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
        break;
      }
    }
  }
  if (error != 0) {
    ::close(fd);
    return -error;
  }
  // Blocking from here on, with bounded sends: a server that stops reading must not
  // block the fuzzer forever.
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  const timeval send_timeout{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof send_timeout);
  return fd;
}

[[noreturn]] void DieConnect(const char* who, int error) {
  std::fprintf(stderr, "http_request_fuzz: connect for %s failed: %s\n", who,
               std::strerror(-error));
  Die("the server no longer accepts connections");
}

// Closes with RST instead of FIN: the client closes first thousands of times a second,
// and TIME_WAIT sockets would otherwise exhaust the ephemeral ports within a minute.
void Abort(int fd) {
  const linger hard{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
  ::close(fd);
}

void SendAll(int fd, const std::uint8_t* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    // The server may close early (413, 400); what it did not read is simply unsent.
    if (n <= 0) return;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

// Reads until the server closes (true) or the deadline passes (false).
bool Drain(int fd, Clock::time_point deadline, std::string& kept) {
  char chunk[16384];
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    const int r = ::poll(&p, 1, static_cast<int>(left));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;  // orderly close or reset: either way the server let go
    if (kept.size() < kKeepBytes) kept.append(chunk, static_cast<std::size_t>(n));
  }
}

void CheckStillServing(const Harness& h) {
  const int fd = Connect(h.port, kHealthDeadline);
  if (fd < 0) DieConnect("GET /healthz", fd);
  constexpr std::string_view kRequest =
      "GET /healthz HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n\r\n";
  SendAll(fd, reinterpret_cast<const std::uint8_t*>(kRequest.data()), kRequest.size());
  std::string reply;
  const bool closed = Drain(fd, Clock::now() + kHealthDeadline, reply);
  Abort(fd);
  if (!std::string_view(reply).starts_with("HTTP/1.1 200 ")) {
    Die(closed ? "GET /healthz did not get 200 after this input"
               : "GET /healthz got no complete answer within 3 s after this input",
        reply);
  }
}

void StopAtExit() {
  if (g_harness == nullptr) return;
  g_harness->server->Stop();
  std::fprintf(
      stderr,
      "http_request_fuzz: %llu inputs; %llu connections the server had not closed "
      "%lld ms after the client's FIN\n",
      static_cast<unsigned long long>(g_harness->inputs),
      static_cast<unsigned long long>(g_harness->still_open_at_deadline),
      static_cast<long long>(
          std::chrono::duration_cast<std::chrono::milliseconds>(kFuzzReadDeadline).count()));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  c2p::log::Init({c2p::log::Level::kOff, {}});
  auto* h = new Harness;
  AddRoutes(h->router, h->metrics);

  http::ServerOptions options;
  options.listen_address = "127.0.0.1";
  options.port = 0;
  options.threads = 1;
  // Short, so inputs that stall (a partial header, a short body) cost a fraction of a
  // second instead of the production defaults, and the timeout paths get exercised too.
  options.header_timeout = 300ms;
  options.body_timeout = 300ms;
  options.idle_timeout = 300ms;
  options.write_timeout = 500ms;
  options.shutdown_grace = 200ms;
  options.access_log = false;
  h->server = std::make_unique<http::Server>(options, h->router, h->metrics);
  if (auto ok = h->server->Start(); !ok) {
    std::fprintf(stderr, "http_request_fuzz: cannot start the server: %s\n",
                 ok.error().message.c_str());
    std::exit(1);
  }
  h->port = h->server->port();
  // C2P_FUZZ_HEALTH_EVERY=N checks every N inputs (faster; a finding then names a later
  // input than the one that caused it). Default: after every input.
  if (const char* every = std::getenv("C2P_FUZZ_HEALTH_EVERY")) {
    const long n = std::strtol(every, nullptr, 10);
    if (n > 0) h->health_every = static_cast<unsigned>(n);
  }
  g_harness = h;
  // The server's thread initialises OpenSSL (correlation ids) on first use, which would
  // register OpenSSL's atexit cleanup after ours, so it would run first and the thread's
  // DRBG state, freed when the thread exits in Stop(), would leak. Initialise it here.
  (void)c2p::core::NewRandomId();
  std::atexit(StopAtExit);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Harness& h = *g_harness;
  ++h.inputs;

  const int fd = Connect(h.port, kHealthDeadline);
  if (fd < 0) DieConnect("the input", fd);
  SendAll(fd, data, size);
  // The request stream ends here: whatever is pending must be answered or refused, and
  // the connection closed, without waiting for a timeout.
  ::shutdown(fd, SHUT_WR);
  std::string reply;
  if (!Drain(fd, Clock::now() + kFuzzReadDeadline, reply)) ++h.still_open_at_deadline;
  Abort(fd);

  const std::string_view sent(reply);
  if (!sent.empty() && !sent.starts_with("HTTP/")) Die("the reply is not an HTTP response", sent);
  // Handlers throw only for bugs; the connection loop turns that into this status line.
  if (sent.find(" 500 Internal Server Error\r\n") != std::string_view::npos) {
    Die("a request produced a 500", sent);
  }

  if (h.inputs % h.health_every == 0) CheckStillServing(h);
  return 0;
}
