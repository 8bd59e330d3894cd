#include "tests/support/tls_client.hpp"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <cctype>
#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace c2p::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = asio::ssl;

namespace {

int ProtocolNumber(TlsVersion v) {
  switch (v) {
    case TlsVersion::kTls11:
      return TLS1_1_VERSION;
    case TlsVersion::kTls12:
      return TLS1_2_VERSION;
    case TlsVersion::kTls13:
      return TLS1_3_VERSION;
    case TlsVersion::kAny:
      break;
  }
  return 0;
}

}  // namespace

struct TlsClient::Impl {
  explicit Impl(TlsClientOptions o) : options(std::move(o)), ctx(ssl::context::tls_client) {
    ctx.set_verify_mode(ssl::verify_peer);
    ctx.add_certificate_authority(asio::buffer(options.ca_pem));
    if (!options.certificate_pem.empty()) {
      ctx.use_certificate_chain(asio::buffer(options.certificate_pem));
      ctx.use_private_key(asio::buffer(options.private_key_pem), ssl::context::pem);
    }
    SSL_CTX* native = ctx.native_handle();
    if (const int v = ProtocolNumber(options.version); v != 0) {
      if (options.version == TlsVersion::kTls11) {
        // Debian's OpenSSL refuses to offer TLS 1.1 at its default security level.
        SSL_CTX_set_security_level(native, 0);
        SSL_CTX_set_cipher_list(native, "DEFAULT:@SECLEVEL=0");
      }
      SSL_CTX_set_min_proto_version(native, v);
      SSL_CTX_set_max_proto_version(native, v);
    }
    if (!options.tls12_ciphers.empty()) {
      SSL_CTX_set_cipher_list(native, options.tls12_ciphers.c_str());
    }
  }

  // Runs the queued operation to completion; the stream's timer bounds it.
  void Run() {
    io.restart();
    io.run();
  }

  beast::tcp_stream& tcp() { return beast::get_lowest_layer(*stream); }

  TlsClientOptions options;
  asio::io_context io;
  ssl::context ctx;
  std::optional<beast::ssl_stream<beast::tcp_stream>> stream;
  beast::flat_buffer buffer;
  std::uint16_t port = 0;  // of the last Connect, for the response observer
};

TlsClient::TlsClient(TlsClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

TlsClient::~TlsClient() = default;

bool TlsClient::Connect(std::uint16_t port, std::string* error, std::chrono::milliseconds timeout) {
  impl_->stream.emplace(impl_->io, impl_->ctx);
  impl_->buffer.clear();
  impl_->port = port;
  // The server certificate must name 127.0.0.1 (an IP subjectAltName).
  X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(impl_->stream->native_handle()), "127.0.0.1");
  beast::error_code ec;
  impl_->tcp().expires_after(timeout);
  impl_->tcp().async_connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                             [&](beast::error_code e) { ec = e; });
  impl_->Run();
  if (!ec) {
    impl_->tcp().expires_after(timeout);
    impl_->stream->async_handshake(ssl::stream_base::client, [&](beast::error_code e) { ec = e; });
    impl_->Run();
  }
  if (ec && error != nullptr) *error = ec.message();
  return !ec;
}

bool TlsClient::Send(std::string_view bytes, std::chrono::milliseconds timeout) {
  if (!impl_->stream) return false;
  beast::error_code ec;
  impl_->tcp().expires_after(timeout);
  asio::async_write(*impl_->stream, asio::buffer(bytes.data(), bytes.size()),
                    [&](beast::error_code e, std::size_t) { ec = e; });
  impl_->Run();
  return !ec;
}

std::optional<HttpResponse> TlsClient::Read(std::chrono::milliseconds timeout) {
  if (!impl_->stream) return std::nullopt;
  beast::http::response_parser<beast::http::string_body> parser;
  parser.body_limit(std::size_t{16} << 20);
  beast::error_code ec;
  impl_->tcp().expires_after(timeout);
  beast::http::async_read(*impl_->stream, impl_->buffer, parser,
                          [&](beast::error_code e, std::size_t) { ec = e; });
  impl_->Run();
  if (ec) return std::nullopt;
  const auto& message = parser.get();
  HttpResponse response;
  response.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    response.headers[name] = std::string(field.value());
  }
  response.body = message.body();
  return response;
}

std::optional<HttpResponse> TlsClient::Request(std::string_view method, std::string_view target,
                                               std::string_view body,
                                               std::string_view extra_headers,
                                               std::chrono::milliseconds timeout) {
  if (!Send(BuildRequest(method, target, body, extra_headers), timeout)) return std::nullopt;
  auto response = Read(timeout);
  if (response) ObserveResponse(impl_->port, method, target, *response);
  return response;
}

bool TlsClient::WaitClosed(std::chrono::milliseconds timeout) {
  if (!impl_->stream) return true;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    beast::error_code ec;
    impl_->tcp().expires_at(deadline);
    impl_->stream->async_read_some(impl_->buffer.prepare(4096),
                                   [&](beast::error_code e, std::size_t n) {
                                     ec = e;
                                     impl_->buffer.commit(n);
                                   });
    impl_->Run();
    if (ec == beast::error::timeout) return false;
    if (ec) return true;  // eof (close_notify), truncated, reset: closed all the same
    impl_->buffer.clear();
  }
}

std::string TlsClient::protocol() const {
  if (!impl_->stream) return {};
  return SSL_get_version(impl_->stream->native_handle());
}

}  // namespace c2p::testing
