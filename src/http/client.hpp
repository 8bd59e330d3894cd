#pragma once
// The outbound HTTP/1.1 client: libcurl's multi interface driven by Boost.Asio. curl's
// sockets are waited on by the executor's reactor and its timers by one steady_timer, so
// there is no polling thread and no blocking call: a transfer in flight costs a socket and
// a few hundred bytes. Connections are kept and reused between transfers to the same host.
//
// What a caller gets is a value: the response (any status; 3xx is returned, never
// followed) or a TransportError. Error messages are fixed texts: they never carry the
// URL's query, a header or a body, so they can be logged.
//
// Threading: every libcurl call runs on the executor given at construction, which must be
// single-threaded (an io_context run by one thread, or a strand). Send() may be awaited
// from any executor; the caller resumes on its own executor.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <tl/expected.hpp>

namespace c2p::http {

struct ClientRequest {
  std::string method = "GET";  // an HTTP token: GET, POST, PUT, DELETE...
  std::string url;             // http:// or https:// only
  // Sent as given (set Content-Type for a body). Names and values must not hold CR or LF.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Whole transfer, connection included. 0: ClientOptions::timeout.
  std::chrono::milliseconds timeout{0};
};

struct ClientResponse {
  unsigned status = 0;
  // In arrival order, names lower-cased, values trimmed. Interim (1xx) responses dropped.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The first value of header `name` (any case); empty if absent.
  std::string_view header(std::string_view name) const;
};

enum class TransportErrorKind {
  kInvalidRequest,    // bad URL, scheme, method or header text: nothing was sent
  kConnect,           // name resolution or TCP connect failed: nothing was sent
  kTimeout,           // the request's timeout passed (the peer may have acted on it)
  kTls,               // TLS handshake or certificate verification failed
  kConnectionLost,    // sent (maybe partly) but no complete response came back
  kResponseTooLarge,  // the body exceeded ClientOptions::max_response_bytes
  kCancelled,         // the client was destroyed while the request was in flight
  kOther,
};

std::string_view TransportErrorKindName(TransportErrorKind kind);

struct TransportError {
  TransportErrorKind kind = TransportErrorKind::kOther;
  std::string message;  // fixed text; safe to log
};

using ClientResult = tl::expected<ClientResponse, TransportError>;

struct ClientOptions {
  std::chrono::milliseconds timeout{10'000};         // default per-request total
  std::chrono::milliseconds connect_timeout{3'000};  // TCP (+TLS) connect
  std::size_t max_response_bytes = std::size_t{1} << 20;
  long max_connections_per_host = 0;  // 0: unlimited; beyond it transfers queue
  long max_idle_connections = 64;     // kept for reuse
  std::string user_agent = "c2p";
  std::string ca_file;  // empty: the system's trust store
};

class Client {
 public:
  explicit Client(boost::asio::any_io_executor executor, ClientOptions options = {});
  // Completes every transfer in flight with kCancelled (each caller resumes on its own
  // executor). Call it on the client's executor, or once that executor has stopped.
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  boost::asio::awaitable<ClientResult> Send(ClientRequest request);

  const ClientOptions& options() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace c2p::http
