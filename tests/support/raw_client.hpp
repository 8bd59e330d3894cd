#pragma once
// A blocking loopback HTTP/1.1 client for tests. It sends exactly the bytes it is given
// (so tests can send malformed or slow requests) and reads responses with a deadline.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "tests/support/scratch_dir.hpp"

namespace c2p::testing {

using namespace std::chrono_literals;

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string{} : it->second;
  }
};

class RawClient {
 public:
  RawClient() = default;
  ~RawClient();
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;
  RawClient(RawClient&& other) noexcept;

  bool Connect(std::uint16_t port, const std::string& host = "127.0.0.1");
  bool Send(std::string_view bytes);
  // Reads one response (Content-Length framed). nullopt on timeout, close or garbage.
  std::optional<HttpResponse> Read(std::chrono::milliseconds timeout = 5s);
  // True once the server has closed the connection (read returns 0 or reset) in time.
  bool WaitClosed(std::chrono::milliseconds timeout = 5s);
  void Close();
  int fd() const { return fd_; }

 private:
  bool Fill(std::chrono::steady_clock::time_point deadline);
  int fd_ = -1;
  std::string buffer_;
  bool eof_ = false;
};

// One request on a fresh connection: method, target, body, extra header lines
// ("Name: value\r\n" each).
std::optional<HttpResponse> Fetch(std::uint16_t port, std::string_view method,
                                  std::string_view target, std::string_view body = {},
                                  std::string_view extra_headers = {},
                                  std::chrono::milliseconds timeout = 10s);

// Sees every response Fetch and TlsClient::Request receive, with the port and the request
// line that produced it: how the end-to-end suites check each of c2pd's responses against
// api/openapi.json (tests/support/c2pd_contract.hpp). One observer per process; an empty
// function removes it. Raw RawClient reads (malformed or partial requests) are not seen.
using ResponseObserver = std::function<void(std::uint16_t port, std::string_view method,
                                            std::string_view target, const HttpResponse&)>;
void SetResponseObserver(ResponseObserver observer);
void ObserveResponse(std::uint16_t port, std::string_view method, std::string_view target,
                     const HttpResponse& response);

// Builds the bytes of a request.
std::string BuildRequest(std::string_view method, std::string_view target, std::string_view body,
                         std::string_view extra_headers, bool keep_alive = true);

}  // namespace c2p::testing
