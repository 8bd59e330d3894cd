#pragma once
// Internal to the server: per-reactor state and the per-connection loop. One loop serves
// plain TCP and TLS alike (it is a template over the stream); only the start (TLS
// handshake) and the end (close_notify) of a connection differ.

#include <array>
#include <chrono>
#include <list>
#include <memory>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "core/metrics.hpp"
#include "http/server.hpp"
#include "http/tls.hpp"

namespace c2p::http {

using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

// One live connection, as the shutdown logic sees it.
struct ConnectionState {
  boost::beast::tcp_stream* stream = nullptr;  // the TCP layer, under TLS if any
  bool idle = true;  // handshaking or waiting for the next request, nothing in flight
};

// Everything one reactor owns. Touched only from that reactor's thread.
struct ReactorState {
  explicit ReactorState(boost::asio::io_context& io)
      : acceptor(std::make_unique<boost::asio::ip::tcp::acceptor>(io)) {}
  // Owned apart so it can be destroyed while its io_context still exists, before the
  // context tears down the coroutine frames that still point at `connections`.
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor;
  std::list<ConnectionState*> connections;
};

// Keeps a connection in its reactor's list (for Stop) for the life of its coroutine.
class Registration {
 public:
  Registration(ReactorState& reactor, ConnectionState& state)
      : reactor_(reactor), it_(reactor.connections.insert(reactor.connections.end(), &state)) {}
  ~Registration() { reactor_.connections.erase(it_); }
  Registration(const Registration&) = delete;
  Registration& operator=(const Registration&) = delete;

 private:
  ReactorState& reactor_;
  std::list<ConnectionState*>::iterator it_;
};

// Per-route metrics, created lazily and cached so the hot path takes no lock.
class RouteMetrics {
 public:
  RouteMetrics(core::metrics::Registry& registry, std::string route);
  void Record(unsigned status, double seconds);

 private:
  core::metrics::Registry& registry_;
  std::string route_;
  core::metrics::Histogram& latency_;
  std::unique_ptr<std::atomic<core::metrics::Counter*>[]> by_status_;  // index: 100..599
};

struct Server::Shared {
  ServerOptions options;
  Router& router;
  core::metrics::Registry& registry;
  std::vector<Handler> handlers;           // composed chains, by Route::index
  std::vector<std::vector<Guard>> guards;  // run before the chain, by Route::index
  std::vector<std::unique_ptr<RouteMetrics>> route_metrics;
  std::unique_ptr<RouteMetrics> unmatched_metrics;
  std::atomic<std::size_t> connections{0};
  std::atomic<bool> draining{false};
  core::metrics::Gauge& in_flight;
  core::metrics::Gauge& open_connections;
  core::metrics::Counter& rejected_connections;
  // Set by Start when options.tls is: then every connection is TLS. Read-only once the
  // reactors run (OpenSSL allows concurrent SSL_new and handshakes on one context).
  std::shared_ptr<TlsContext> tls;
  // By HandshakeFailureKind; null without TLS.
  std::array<core::metrics::Counter*, kHandshakeFailureKinds> handshake_failures{};

  Shared(ServerOptions o, Router& r, core::metrics::Registry& m);
};

boost::asio::awaitable<void> AcceptLoop(std::shared_ptr<Server::Shared> shared,
                                        ReactorState& reactor);

// Plain TCP and TLS connections, from accept to close.
boost::asio::awaitable<void> RunConnection(std::shared_ptr<Server::Shared> shared,
                                           ReactorState& reactor,
                                           boost::asio::ip::tcp::socket socket);
boost::asio::awaitable<void> RunTlsConnection(std::shared_ptr<Server::Shared> shared,
                                              ReactorState& reactor,
                                              boost::asio::ip::tcp::socket socket);

// How the request loop ended, which decides how the connection is closed.
enum class Ending {
  kBroken,  // the peer left, timed out or broke the framing: close at once
  kClean,   // last reply written (or stopping while idle): close politely
  kLinger,  // a refusal was written while the peer may still be sending: drain first
};

// The request loop: reads requests, runs the handlers, writes the replies, keep-alive.
// `client_identity` (empty on plain TCP) is given to every request. Instantiated in
// connection.cpp for PlainStream and TlsStream.
template <class Stream>
boost::asio::awaitable<Ending> ServeRequests(Server::Shared& shared, ConnectionState& state,
                                             Stream& stream, boost::beast::flat_buffer& buffer,
                                             std::string_view client_identity);

// Closes the TCP connection (draining first if `linger`) and uncounts it.
boost::asio::awaitable<void> CloseConnection(Server::Shared& shared,
                                             boost::beast::tcp_stream& stream,
                                             boost::beast::flat_buffer& buffer, bool linger);

}  // namespace c2p::http
