#include "http/connection.hpp"

#include <array>
#include <filesystem>
#include <system_error>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>

#include "core/ids.hpp"
#include "http/wire.hpp"
#include "log/log.hpp"

namespace c2p::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
// After refusing a request whose body is still coming: how long and how much to drain.
constexpr std::chrono::milliseconds kLingerTime{2000};
constexpr std::size_t kLingerBytes = std::size_t{1} << 20;

RouteMetrics::RouteMetrics(core::metrics::Registry& registry, std::string route)
    : registry_(registry),
      route_(std::move(route)),
      latency_(registry.GetHistogram("c2p_http_request_seconds",
                                     "Time from request header read to reply ready to write.",
                                     {{"route", route_}}, core::metrics::LatencyBuckets())),
      by_status_(new std::atomic<core::metrics::Counter*>[500]) {
  for (int i = 0; i < 500; ++i) by_status_[i].store(nullptr);
}

void RouteMetrics::Record(unsigned status, double seconds) {
  latency_.Observe(seconds);
  if (status < 100 || status > 599) status = 599;
  auto& slot = by_status_[status - 100];
  core::metrics::Counter* counter = slot.load(std::memory_order_acquire);
  if (counter == nullptr) {
    // The registry returns the same counter to racing threads; first use only.
    counter = &registry_.GetCounter("c2p_http_requests_total", "HTTP requests by route and status.",
                                    {{"route", route_}, {"status", std::to_string(status)}});
    slot.store(counter, std::memory_order_release);
  }
  counter->Add();
}

Server::Shared::Shared(ServerOptions o, Router& r, core::metrics::Registry& m)
    : options(std::move(o)),
      router(r),
      registry(m),
      in_flight(m.GetGauge("c2p_http_in_flight_requests", "Requests being handled.")),
      open_connections(m.GetGauge("c2p_http_open_connections", "Open client connections.")),
      rejected_connections(m.GetCounter("c2p_http_rejected_connections_total",
                                        "Connections closed at once: max_connections reached.")) {
  if (!options.tls) return;
  for (std::size_t i = 0; i < kHandshakeFailureKinds; ++i) {
    const auto kind = static_cast<HandshakeFailureKind>(i);
    handshake_failures[i] = &m.GetCounter("c2p_http_tls_handshake_failures_total",
                                          "TLS handshakes that failed, by kind.",
                                          {{"kind", std::string(HandshakeFailureLabel(kind))}});
  }
}

asio::awaitable<void> AcceptLoop(std::shared_ptr<Server::Shared> shared, ReactorState& reactor) {
  auto executor = co_await asio::this_coro::executor;
  for (;;) {
    auto [ec, socket] = co_await reactor.acceptor->async_accept(kUseTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !reactor.acceptor->is_open()) co_return;
      // Out of descriptors or a transient network error: back off instead of spinning.
      log::Warn("http.accept_failed", {{"error", ec.message()}});
      asio::steady_timer pause(executor, std::chrono::milliseconds(50));
      co_await pause.async_wait(kUseTuple);
      continue;
    }
    if (shared->connections.load() >= shared->options.max_connections) {
      shared->rejected_connections.Add();
      beast::error_code ignored;
      socket.close(ignored);
      continue;
    }
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    // Counted here, not when the coroutine starts, so connections accepted back to back
    // cannot overshoot the limit before their coroutines run. CloseConnection uncounts.
    shared->connections.fetch_add(1);
    if (shared->tls) {
      asio::co_spawn(executor, RunTlsConnection(shared, reactor, std::move(socket)),
                     asio::detached);
    } else {
      asio::co_spawn(executor, RunConnection(shared, reactor, std::move(socket)), asio::detached);
    }
  }
}

namespace {

Reply ErrorFor(core::ErrorCode code, std::string message, bool close) {
  Reply r = ErrorReply(core::Error::Make(code, std::move(message)));
  r.close = close;
  return r;
}

// Runs the route's guards, then its chain. A thrown exception is a bug: it becomes a 500 without
// details, logged with the correlation id (handlers only throw for broken invariants, never with
// request data in the message). Done here rather than as a middleware layer to spare
// every request a coroutine frame.
asio::awaitable<Reply> Dispatch(const std::vector<Guard>& guards, const Handler& handler,
                                Request& request) {
  std::string what;
  try {
    for (const auto& guard : guards) {
      if (auto refusal = guard(request)) co_return std::move(*refusal);
    }
    co_return co_await handler(request);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
    what = "unknown exception";
  }
  log::Error("http.handler_exception",
             {{"correlation_id", request.correlation_id()}, {"what", what}});
  co_return ErrorReply(core::Error::Make(core::ErrorCode::kInternal, "internal error"));
}

// Errors that come from the connection rather than from the bytes on it: the peer left,
// a timer fired, the socket was closed by Stop, or TLS failed. Nothing can be answered.
// Parser errors (Beast's http category) are the client's fault and get a 400, except
// end_of_stream, which is the peer closing between requests.
bool IsTransportError(const beast::error_code& ec) {
  static const boost::system::error_category& http_category =
      beast_http::make_error_code(beast_http::error::end_of_stream).category();
  return ec.category() != http_category || ec == beast_http::error::end_of_stream;
}

}  // namespace

template <class Stream>
asio::awaitable<Ending> ServeRequests(Server::Shared& shared, ConnectionState& state,
                                      Stream& stream, beast::flat_buffer& buffer,
                                      std::string_view client_identity) {
  const ServerOptions& options = shared.options;
  // Timers live on the TCP layer; reads and writes go through the whole stream.
  beast::tcp_stream& tcp_layer = beast::get_lowest_layer(stream);
  std::string head;

  for (;;) {
    // Wait for the first byte of the next request under the idle timeout, so a slow
    // header is timed from when it starts rather than from the previous reply.
    if (buffer.size() == 0) {
      if (shared.draining.load()) co_return Ending::kClean;
      state.idle = true;
      tcp_layer.expires_after(options.idle_timeout);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), kUseTuple);
      if (ec) co_return Ending::kBroken;
      buffer.commit(n);
    }
    state.idle = false;
    const auto started = Clock::now();

    beast_http::request_parser<beast_http::empty_body> header_parser;
    header_parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
    // The body limit depends on the route, known only once the header is read: the
    // header parser must not apply Beast's default (1 MB) to Content-Length on its own.
    header_parser.body_limit(boost::none);
    tcp_layer.expires_after(options.header_timeout);
    auto [hec, hn] =
        co_await beast_http::async_read_header(stream, buffer, header_parser, kUseTuple);
    (void)hn;

    // A kFile route's body on disk, removed at the end of the request unless the handler
    // moved it away.
    struct Upload {
      std::filesystem::path path;
      Upload() = default;
      Upload(const Upload&) = delete;
      Upload& operator=(const Upload&) = delete;
      ~Upload() { Remove(); }
      void Remove() {
        std::error_code ignored;
        if (!path.empty()) std::filesystem::remove(path, ignored);
        path.clear();
      }
    } upload;
    Reply reply;
    std::string correlation_id;
    const Route* route = nullptr;
    bool request_keep_alive = false;
    unsigned version = 11;

    if (hec == beast_http::error::header_limit) {
      reply = ErrorFor(core::ErrorCode::kHeaderTooLarge, "request header too large", true);
    } else if (hec && IsTransportError(hec)) {
      co_return Ending::kBroken;
    } else if (hec) {
      // The framing of whatever follows cannot be trusted: answer and close.
      reply = ErrorFor(core::ErrorCode::kMalformedRequest, "malformed HTTP request", true);
    } else {
      auto& header = header_parser.get();
      version = header.version();
      request_keep_alive = header.keep_alive();
      const std::string_view target(header.target().data(), header.target().size());
      const auto qmark = target.find('?');
      const std::string_view path = target.substr(0, qmark);
      const std::string_view query =
          qmark == std::string_view::npos ? std::string_view{} : target.substr(qmark + 1);

      const auto cid = header.find("x-correlation-id");
      const std::string_view given =
          cid == header.end() ? std::string_view{}
                              : std::string_view(cid->value().data(), cid->value().size());
      correlation_id = core::IsCorrelationId(given) ? std::string(given) : core::NewCorrelationId();

      Match match = shared.router.Find(header.method(), path);
      route = match.route;
      const std::size_t limit = route ? route->options.body_limit : kDefaultBodyLimit;
      const auto declared = header_parser.content_length();

      if (declared && *declared > limit) {
        reply = ErrorFor(core::ErrorCode::kPayloadTooLarge, "request body too large", true);
      } else {
        if (beast::iequals(std::string_view(header[beast_http::field::expect].data(),
                                            header[beast_http::field::expect].size()),
                           "100-continue")) {
          static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
          tcp_layer.expires_after(options.write_timeout);
          auto [cec, cn] = co_await asio::async_write(
              stream, asio::buffer(kContinue.data(), kContinue.size()), kUseTuple);
          (void)cn;
          if (cec) co_return Ending::kBroken;
        }
        const auto body_timeout = route != nullptr && route->options.body_timeout.count() > 0
                                      ? route->options.body_timeout
                                      : options.body_timeout;
        RawRequest raw;
        beast::error_code bec;
        bool upload_failed = false;
        if (route != nullptr && route->options.body == BodyKind::kFile) {
          // Streamed to disk as it arrives: memory does not grow with the body.
          upload.path = route->options.upload_dir / (".upload-" + core::NewCorrelationId());
          beast_http::request_parser<beast_http::file_body> parser(std::move(header_parser));
          parser.body_limit(limit);
          beast::error_code oec;
          parser.get().body().open(upload.path.c_str(), beast::file_mode::write_new, oec);
          if (oec) {
            upload_failed = true;
            upload.path.clear();
          } else if (!parser.is_done()) {
            tcp_layer.expires_after(body_timeout);
            auto [read_ec, bn] = co_await beast_http::async_read(stream, buffer, parser, kUseTuple);
            (void)bn;
            bec = read_ec;
          }
          parser.get().body().close();
          raw = RawRequest(std::move(parser.get().base()));
        } else {
          beast_http::request_parser<beast_http::string_body> parser(std::move(header_parser));
          parser.body_limit(limit);
          if (!parser.is_done()) {  // most GETs have no body: no read, no timer
            tcp_layer.expires_after(body_timeout);
            auto [read_ec, bn] = co_await beast_http::async_read(stream, buffer, parser, kUseTuple);
            (void)bn;
            bec = read_ec;
          }
          raw = parser.release();
        }
        if (upload_failed) {
          log::Error("http.upload_file_failed", {{"correlation_id", correlation_id}});
          reply = ErrorFor(core::ErrorCode::kInternal, "internal error", true);
        } else if (bec == beast_http::error::body_limit) {
          reply = ErrorFor(core::ErrorCode::kPayloadTooLarge, "request body too large", true);
        } else if (bec && (IsTransportError(bec) || bec == beast_http::error::partial_message)) {
          co_return Ending::kBroken;
        } else if (bec) {
          reply = ErrorFor(core::ErrorCode::kMalformedRequest, "malformed HTTP request body", true);
        } else if (match.kind == Match::Kind::kNotFound) {
          reply = ErrorFor(core::ErrorCode::kNotFound, "no such resource", false);
        } else if (match.kind == Match::Kind::kMethodNotAllowed) {
          reply = ErrorFor(core::ErrorCode::kMethodNotAllowed, "method not allowed", false);
          reply.WithHeader("Allow", match.allow);
        } else {
          Request request(std::move(raw), path, query);
          if (!upload.path.empty()) request.set_body_file(upload.path);
          request.set_params(std::move(match.params));
          request.set_route(route);
          request.set_correlation_id(correlation_id);
          if (!client_identity.empty()) request.set_client_identity(std::string(client_identity));
          shared.in_flight.Add(1);
          reply = co_await Dispatch(shared.guards[route->index], shared.handlers[route->index],
                                    request);
          shared.in_flight.Add(-1);
        }
      }
    }

    upload.Remove();  // before the reply: a client that has it never finds the file
    const bool keep_alive = request_keep_alive && !reply.close && !shared.draining.load();
    // Recorded before the write: a client that has its reply always finds it counted in
    // /metrics and the log. The latency is from header read to reply ready.
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    const unsigned status = static_cast<unsigned>(reply.status);
    (route ? *shared.route_metrics[route->index] : *shared.unmatched_metrics)
        .Record(status, seconds);
    if (options.access_log && log::Enabled(log::Level::kInfo)) {
      log::Info("http.request", {{"correlation_id", correlation_id},
                                 {"route", route ? std::string_view(route->path_template)
                                                 : std::string_view("unmatched")},
                                 {"status", status},
                                 {"ms", seconds * 1000.0}});
    }
    head.clear();  // keeps its capacity across the connection's requests
    AppendHead(head, reply, {version, keep_alive, options.server_name, correlation_id});
    const std::array<asio::const_buffer, 2> wire = {asio::buffer(head), asio::buffer(reply.body)};
    tcp_layer.expires_after(options.write_timeout);
    auto [wec, wn] = co_await asio::async_write(stream, wire, kUseTuple);
    (void)wn;

    if (wec) co_return Ending::kBroken;
    if (reply.file) {
      // Sent in pieces, exactly file_size bytes: the head announced that many.
      std::vector<char> piece(std::size_t{64} * 1024);
      std::uint64_t left = reply.file_size;
      while (left > 0) {
        const auto want = static_cast<std::streamsize>(std::min<std::uint64_t>(left, piece.size()));
        reply.file->read(piece.data(), want);
        if (reply.file->gcount() != want) co_return Ending::kBroken;  // cut short: framing lost
        tcp_layer.expires_after(options.write_timeout);
        auto [fec, fn] = co_await asio::async_write(
            stream, asio::buffer(piece.data(), static_cast<std::size_t>(want)), kUseTuple);
        (void)fn;
        if (fec) co_return Ending::kBroken;
        left -= static_cast<std::uint64_t>(want);
      }
    }
    if (!keep_alive) co_return reply.close ? Ending::kLinger : Ending::kClean;
  }
}

template asio::awaitable<Ending> ServeRequests<PlainStream>(Server::Shared&, ConnectionState&,
                                                            PlainStream&, beast::flat_buffer&,
                                                            std::string_view);
template asio::awaitable<Ending> ServeRequests<TlsStream>(Server::Shared&, ConnectionState&,
                                                          TlsStream&, beast::flat_buffer&,
                                                          std::string_view);

asio::awaitable<void> CloseConnection(Server::Shared& shared, beast::tcp_stream& stream,
                                      beast::flat_buffer& buffer, bool linger) {
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  if (linger) {
    // The peer may still be sending the body we refused. Closing with unread data makes
    // the kernel send a reset, which can destroy our reply before the peer reads it; so
    // drain (bounded in time and bytes) until the peer closes its side.
    stream.expires_after(kLingerTime);
    std::size_t drained = 0;
    while (drained < kLingerBytes) {
      auto [lec, ln] = co_await stream.async_read_some(buffer.prepare(16384), kUseTuple);
      if (lec) break;
      drained += ln;
    }
  }
  stream.socket().close(ignored);
  shared.open_connections.Add(-1);
  shared.connections.fetch_sub(1);
}

asio::awaitable<void> RunConnection(std::shared_ptr<Server::Shared> shared, ReactorState& reactor,
                                    tcp::socket socket) {
  shared->open_connections.Add(1);
  PlainStream stream(std::move(socket));
  beast::flat_buffer buffer;
  ConnectionState state{&stream, true};
  Registration registration(reactor, state);
  const Ending ending = co_await ServeRequests(*shared, state, stream, buffer, {});
  co_await CloseConnection(*shared, stream, buffer, ending == Ending::kLinger);
}

}  // namespace c2p::http
