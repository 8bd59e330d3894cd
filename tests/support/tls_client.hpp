#pragma once
// A blocking loopback HTTPS client for tests (Boost.Beast over Asio's OpenSSL stream): it
// verifies the server against a given CA and 127.0.0.1, may present a client
// certificate, may be held to one protocol version, and keeps its connection open across
// requests. Every operation has a deadline.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "tests/support/raw_client.hpp"

namespace c2p::testing {

enum class TlsVersion { kAny, kTls11, kTls12, kTls13 };

struct TlsClientOptions {
  std::string ca_pem;  // trusted for the server's certificate
  // Client certificate and key (PEM); empty: present none.
  std::string certificate_pem;
  std::string private_key_pem;
  // Exactly this version. kTls11 also lowers the client's own security floor, so that it
  // really offers TLS 1.1 and the refusal is the server's.
  TlsVersion version = TlsVersion::kAny;
  std::string tls12_ciphers;  // OpenSSL cipher list for TLS 1.2; empty: library default
};

class TlsClient {
 public:
  explicit TlsClient(TlsClientOptions options);
  ~TlsClient();
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  // Connects and handshakes. On failure returns false and, if `error` is given, why.
  bool Connect(std::uint16_t port, std::string* error = nullptr,
               std::chrono::milliseconds timeout = 5s);
  // One request on the open connection; nullopt on error, timeout or close.
  std::optional<HttpResponse> Request(std::string_view method, std::string_view target,
                                      std::string_view body = {},
                                      std::string_view extra_headers = {},
                                      std::chrono::milliseconds timeout = 5s);
  // Sends raw bytes over TLS (a request, or part of one).
  bool Send(std::string_view bytes, std::chrono::milliseconds timeout = 5s);
  // Reads one response to bytes sent with Send; nullopt on error, timeout or close.
  std::optional<HttpResponse> Read(std::chrono::milliseconds timeout = 5s);
  // True once the server has closed the connection (with or without close_notify).
  bool WaitClosed(std::chrono::milliseconds timeout = 5s);
  // The negotiated protocol ("TLSv1.2", "TLSv1.3"), empty before a handshake.
  std::string protocol() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace c2p::testing
