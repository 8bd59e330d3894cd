// The start and the end of a TLS connection; everything between is the shared request
// loop (ServeRequests in connection.cpp).

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "http/connection.hpp"
#include "log/log.hpp"

namespace c2p::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

void RecordHandshakeFailure(Server::Shared& shared, const HandshakeFailure& failure) {
  shared.handshake_failures[static_cast<std::size_t>(failure.kind)]->Add();
  // Port scanners and TCP health checks open and close connections all day: not news.
  const log::Level level =
      failure.kind == HandshakeFailureKind::kClosed ? log::Level::kDebug : log::Level::kInfo;
  if (log::Enabled(level)) {
    log::Write(level, "http.tls_handshake_failed",
               {{"kind", HandshakeFailureLabel(failure.kind)}, {"error", failure.detail}});
  }
}

}  // namespace

asio::awaitable<void> RunTlsConnection(std::shared_ptr<Server::Shared> shared,
                                       ReactorState& reactor, tcp::socket socket) {
  shared->open_connections.Add(1);
  TlsStream stream(std::move(socket), *shared->tls);
  beast::tcp_stream& tcp_layer = beast::get_lowest_layer(stream);
  beast::flat_buffer buffer;
  // Idle while handshaking: Stop closes it at once, as it has no request in flight.
  ConnectionState state{&tcp_layer, true};
  Registration registration(reactor, state);

  // The handshake gets the header's time budget, so a client that connects and stays
  // silent holds a connection slot no longer than one that sends half a header.
  tcp_layer.expires_after(shared->options.header_timeout);
  auto [hec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kUseTuple);
  std::optional<std::string> identity;
  if (!hec) identity = PeerIdentity(stream.native_handle());
  if (!identity) {
    // The context's verify callback already refuses certificates without a usable
    // common name; this guards the invariant that TLS requests always carry an identity.
    RecordHandshakeFailure(
        *shared, hec ? DescribeHandshakeFailure(stream.native_handle(), hec)
                     : HandshakeFailure{HandshakeFailureKind::kCertificate,
                                        "client certificate without a usable common name"});
    co_await CloseConnection(*shared, tcp_layer, buffer, false);
    co_return;
  }

  const Ending ending = co_await ServeRequests(*shared, state, stream, buffer, *identity);
  if (ending != Ending::kBroken) {
    // close_notify tells the client that the reply was not truncated. As nginx does, it is
    // sent without waiting for the client's own: a client that has its reply may just
    // close, and waiting for it would hold the slot. After a TLS error nothing is sent
    // (OpenSSL forbids it, and the peer is gone or hostile).
    SSL_set_shutdown(stream.native_handle(), SSL_RECEIVED_SHUTDOWN);
    tcp_layer.expires_after(shared->options.write_timeout);
    auto [sec] = co_await stream.async_shutdown(kUseTuple);
    (void)sec;  // the connection is closed either way
  }
  co_await CloseConnection(*shared, tcp_layer, buffer, ending == Ending::kLinger);
}

}  // namespace c2p::http
