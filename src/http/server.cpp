#include "http/server.hpp"

#include <condition_variable>
#include <mutex>
#include <stdexcept>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/socket_base.hpp>

#include "http/connection.hpp"
#include "http/tls.hpp"
#include "log/log.hpp"

namespace c2p::http {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

// SO_REUSEPORT lets every reactor own an acceptor on the same port.
using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

}  // namespace

Server::Server(ServerOptions options, Router& router, core::metrics::Registry& metrics,
               const std::vector<Layer>& layers)
    : options_(std::move(options)) {
  shared_ = std::make_shared<Shared>(options_, router, metrics);
  for (const auto& route : router.routes()) {
    // The application's layers (authentication first) run before the body is parsed, so
    // an unauthenticated caller learns nothing from how its body would have been judged.
    std::vector<Middleware> chain;
    std::vector<Guard> guards;
    for (const auto& layer : layers) {
      if (static_cast<bool>(layer.middleware) == static_cast<bool>(layer.guard) ||
          (layer.guard && !chain.empty())) {
        throw std::logic_error("a layer is one middleware or one guard, guards first");
      }
      if (layer.applies && !layer.applies(*route)) continue;
      if (layer.guard) {
        guards.push_back(layer.guard);
      } else {
        chain.push_back(layer.middleware);
      }
    }
    if (route->options.body != BodyKind::kNone) chain.push_back(BodyMiddleware());
    shared_->handlers.push_back(Compose(chain, route->handler));
    shared_->guards.push_back(std::move(guards));
    shared_->route_metrics.push_back(std::make_unique<RouteMetrics>(metrics, route->path_template));
  }
  shared_->unmatched_metrics = std::make_unique<RouteMetrics>(metrics, "unmatched");
}

Server::~Server() { Stop(); }

core::Result<void> Server::Start() {
  unsigned n = options_.threads;
  if (n == 0) n = std::max(1u, std::thread::hardware_concurrency());

  if (options_.tls) {
    // Built once, before any reactor runs, and only read afterwards: loading keys and
    // certificates per connection or per thread would cost and could diverge.
    auto context = MakeTlsContext(*options_.tls);
    if (!context) return tl::unexpected(std::move(context.error()));
    shared_->tls = std::move(*context);
  }

  boost::system::error_code ec;
  const auto address = asio::ip::make_address(options_.listen_address, ec);
  if (ec) {
    return core::Fail(core::ErrorCode::kConfigInvalid,
                      "listen address is not an IP address: " + options_.listen_address);
  }
  // SO_REUSEPORT would let a second c2pd (same user) silently share this port and take
  // half the traffic. Sockets with and without the option cannot share a port, so a probe
  // bind without it fails if anyone listens there already, and picks the port for port 0.
  std::uint16_t port = options_.port;
  {
    asio::io_context probe_io(1);
    tcp::acceptor probe(probe_io);
    const tcp::endpoint endpoint(address, port);
    probe.open(endpoint.protocol(), ec);
    if (!ec) probe.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) probe.bind(endpoint, ec);
    if (ec) {
      return core::Fail(core::ErrorCode::kIo, "cannot listen on " + options_.listen_address + ":" +
                                                  std::to_string(port) + ": " + ec.message());
    }
    port = probe.local_endpoint().port();
  }
  for (unsigned i = 0; i < n; ++i) {
    auto io = std::make_unique<asio::io_context>(1);
    auto reactor = std::make_unique<ReactorState>(*io);
    auto& acceptor = *reactor->acceptor;
    const tcp::endpoint endpoint(address, port);
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.set_option(ReusePort(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return core::Fail(core::ErrorCode::kIo, "cannot listen on " + options_.listen_address + ":" +
                                                  std::to_string(port) + ": " + ec.message());
    }
    reactors_.push_back(std::move(reactor));
    contexts_.push_back(std::move(io));
  }
  bound_port_ = port;
  for (unsigned i = 0; i < n; ++i) {
    asio::io_context& io = *contexts_[i];
    ReactorState& reactor = *reactors_[i];
    asio::co_spawn(io, AcceptLoop(shared_, reactor), asio::detached);
    threads_.emplace_back([&io] {
      for (;;) {
        try {
          io.run();
          return;
        } catch (const std::exception& e) {
          // A handler escaped its coroutine: a bug. Keep the reactor alive for the others.
          log::Error("http.reactor_exception", {{"what", e.what()}});
        }
      }
    });
  }
  log::Info("http.listening", {{"address", options_.listen_address},
                               {"port", static_cast<unsigned>(bound_port_)},
                               {"threads", n},
                               {"tls", options_.tls.has_value()}});
  return {};
}

asio::io_context& Server::AnyContext() {
  return *contexts_[next_context_.fetch_add(1) % contexts_.size()];
}

void Server::Stop(const std::function<void()>& release) {
  if (stopped_.exchange(true)) return;
  if (contexts_.empty()) return;
  shared_->draining.store(true);

  // 1. Stop accepting; close connections that wait for a request. Busy ones finish their
  //    current request and then close (draining makes the reply say Connection: close).
  for (std::size_t i = 0; i < contexts_.size(); ++i) {
    ReactorState* reactor = reactors_[i].get();
    asio::post(*contexts_[i], [reactor] {
      boost::system::error_code ignored;
      reactor->acceptor->close(ignored);
      for (ConnectionState* c : reactor->connections) {
        if (c->idle) c->stream->socket().close(ignored);
      }
    });
  }

  // 2. Wait for in-flight requests, up to the grace period. This is a shutdown path on
  //    the main thread, not async work in a request, so a short poll is fine here.
  const auto deadline = std::chrono::steady_clock::now() + options_.shutdown_grace;
  while (shared_->connections.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }

  // 3. Whatever is left is cut off.
  for (std::size_t i = 0; i < contexts_.size(); ++i) {
    ReactorState* reactor = reactors_[i].get();
    asio::post(*contexts_[i], [reactor] {
      boost::system::error_code ignored;
      for (ConnectionState* c : reactor->connections) c->stream->socket().close(ignored);
    });
  }
  const auto hard_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (shared_->connections.load() > 0 && std::chrono::steady_clock::now() < hard_deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (auto& io : contexts_) io->stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
  if (release) release();
  // Order matters: acceptors need their context alive; coroutine frames still suspended
  // on a stopped context point at the reactor states, so destroy the contexts (and with
  // them the frames) before the states.
  for (auto& reactor : reactors_) reactor->acceptor.reset();
  contexts_.clear();
  reactors_.clear();
  log::Info("http.stopped");
}

}  // namespace c2p::http
