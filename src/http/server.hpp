#pragma once
// The HTTP/1.1 server: one io_context per thread, each with its own SO_REUSEPORT acceptor
// on the same address (the kernel spreads connections; no locks between threads), one
// coroutine per connection, keep-alive, and a graceful stop that finishes in-flight
// requests up to a deadline.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "core/error.hpp"
#include "core/metrics.hpp"
#include "http/middleware.hpp"
#include "http/router.hpp"

namespace c2p::http {

struct ReactorState;

// Mutual TLS on the listener (spec/api.md §3.2). PEM files; see http/tls.hpp for what is
// accepted and why.
struct TlsOptions {
  std::filesystem::path certificate;  // chain, leaf first; the leaf must be ECDSA P-256
  std::filesystem::path private_key;  // the leaf's key
  std::filesystem::path client_ca;    // CA certificates that client certificates chain to
};

struct ServerOptions {
  std::string listen_address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: pick a free port (see Server::port())
  unsigned threads = 0;       // 0: one per core
  std::size_t max_connections = 10000;
  std::size_t header_limit = std::size_t{8} * 1024;
  std::chrono::milliseconds header_timeout{10'000};  // whole header, from its first byte
  std::chrono::milliseconds body_timeout{30'000};    // whole body
  std::chrono::milliseconds idle_timeout{60'000};    // keep-alive wait for the next request
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds shutdown_grace{10'000};
  bool access_log = true;
  std::string server_name = "c2p";
  // Set: the listener speaks only TLS and requires a client certificate; each request's
  // client_identity() is the certificate subject's common name.
  std::optional<TlsOptions> tls;
};

class Server {
 public:
  // `layers` is the application's own chain (outermost first), run inside the built-in
  // layers; each route is composed with the layers that apply to it.
  Server(ServerOptions options, Router& router, core::metrics::Registry& metrics,
         const std::vector<Layer>& layers = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts the threads. Fails (as a value) when the address cannot be bound or
  // the TLS files are unusable.
  core::Result<void> Start();
  // The bound port (useful with port 0).
  std::uint16_t port() const { return bound_port_; }
  unsigned threads() const { return static_cast<unsigned>(contexts_.size()); }

  // Stops accepting, lets in-flight requests finish (idle keep-alive connections are
  // closed at once), and after `shutdown_grace` closes whatever is left. Blocks until
  // every thread has exited. Idempotent. `release` runs once the reactor threads have
  // exited and before their io_contexts are destroyed: the moment to destroy objects whose
  // I/O objects live on those contexts (an outbound http::Client built on a reactor).
  void Stop(const std::function<void()>& release = {});

  // Runs a callback on one of the server's reactors (for work that must share them).
  boost::asio::io_context& AnyContext();

  struct Shared;

 private:
  ServerOptions options_;
  std::shared_ptr<Shared> shared_;
  // Declared before contexts_ so the contexts (and the coroutine frames they own, which
  // point at reactor states) are destroyed first.
  std::vector<std::unique_ptr<ReactorState>> reactors_;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<std::thread> threads_;
  std::uint16_t bound_port_ = 0;
  std::atomic<bool> stopped_{false};
  std::atomic<unsigned> next_context_{0};
};

}  // namespace c2p::http
