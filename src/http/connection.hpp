#pragma once
// Internal to the server: per-reactor state and the per-connection loop.

#include <chrono>
#include <list>
#include <memory>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "core/metrics.hpp"
#include "http/server.hpp"

namespace c2p::http {

// One live connection, as the shutdown logic sees it.
struct ConnectionState {
  boost::beast::tcp_stream* stream = nullptr;
  bool idle = true;  // waiting for the next request, nothing in flight
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
  std::vector<Handler> handlers;  // composed chains, by Route::index
  std::vector<std::unique_ptr<RouteMetrics>> route_metrics;
  std::unique_ptr<RouteMetrics> unmatched_metrics;
  std::atomic<std::size_t> connections{0};
  std::atomic<bool> draining{false};
  core::metrics::Gauge& in_flight;
  core::metrics::Gauge& open_connections;
  core::metrics::Counter& rejected_connections;

  Shared(ServerOptions o, Router& r, core::metrics::Registry& m);
};

boost::asio::awaitable<void> AcceptLoop(std::shared_ptr<Server::Shared> shared,
                                        ReactorState& reactor);

boost::asio::awaitable<void> RunConnection(std::shared_ptr<Server::Shared> shared,
                                           ReactorState& reactor,
                                           boost::asio::ip::tcp::socket socket);

}  // namespace c2p::http
