#pragma once
// The server side of mutual TLS: one OpenSSL context built at start-up from
// ServerOptions::tls and shared read-only by every reactor thread, and what a connection
// needs to know about its peer.
//
// Policy (spec/api.md §3.2, docs/configuration.md "TLS"):
// - TLS 1.2 and 1.3 only. On 1.2, ECDHE key exchange with AEAD ciphers only; the server
//   certificate must be ECDSA P-256, so only ECDHE-ECDSA suites are offered.
// - A client certificate is required and must chain to `client_ca` (and nothing else: the
//   system trust store is not loaded). Its subject must hold exactly one common name of
//   1..64 printable characters, which becomes the request's client identity; a
//   certificate without one fails the handshake, so a TLS connection never reaches the
//   application without an identity.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <openssl/ssl.h>
#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>

#include "core/error.hpp"
#include "http/server.hpp"

namespace c2p::http {

using TlsContext = boost::asio::ssl::context;

// Loads and checks the three files. A failure is kConfigInvalid with a message naming the
// option, e.g. "tls.certificate: must be an ECDSA P-256 certificate (found RSA)".
core::Result<std::shared_ptr<TlsContext>> MakeTlsContext(const TlsOptions& options);

// The client identity of a connection whose handshake succeeded: its certificate
// subject's common name. nullopt if there is none (a context from MakeTlsContext refuses
// such certificates during the handshake, so callers treat it as a bug-proof refusal).
std::optional<std::string> PeerIdentity(SSL* ssl);

// Why a handshake failed. Kinds are fixed so they can label a metric.
enum class HandshakeFailureKind { kTimeout, kClosed, kCertificate, kProtocol };
inline constexpr std::size_t kHandshakeFailureKinds = 4;
std::string_view HandshakeFailureLabel(HandshakeFailureKind kind);

struct HandshakeFailure {
  HandshakeFailureKind kind = HandshakeFailureKind::kProtocol;
  // For the log: OpenSSL's reason and, for a refused certificate, the verification
  // error. Never certificate contents (names, serials, fingerprints).
  std::string detail;
};
HandshakeFailure DescribeHandshakeFailure(SSL* ssl, const boost::system::error_code& ec);

}  // namespace c2p::http
