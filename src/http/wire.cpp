#include "http/wire.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

#include <boost/beast/http/status.hpp>

namespace c2p::http {

std::string_view HttpDateNow() {
  thread_local std::time_t cached_second = 0;
  thread_local char text[40] = {};
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  if (now != cached_second) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached_second = now;
  }
  return text;
}

void AppendHead(std::string& out, const Reply& reply, const HeadContext& context) {
  const unsigned code = static_cast<unsigned>(reply.status);
  const auto reason = boost::beast::http::obsolete_reason(reply.status);
  out += context.version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(code);
  out += ' ';
  out.append(reason.data(), reason.size());
  out += "\r\nDate: ";
  out += HttpDateNow();
  out += "\r\nServer: ";
  out += context.server_name;
  if (!reply.content_type.empty()) {
    out += "\r\nContent-Type: ";
    out += reply.content_type;
  }
  if (!context.correlation_id.empty()) {
    out += "\r\nx-correlation-id: ";
    out += context.correlation_id;
  }
  for (const auto& [name, value] : reply.headers) {
    // A line break in a header would let a value smuggle headers or a second response.
    // Header values are c2p's own, so this is a bug guard, not input handling.
    if (name.find_first_of("\r\n") != std::string::npos ||
        value.find_first_of("\r\n") != std::string::npos) {
      continue;
    }
    out += "\r\n";
    out += name;
    out += ": ";
    out += value;
  }
  // 1xx, 204 and 304 replies carry no body and no Content-Length.
  if (code >= 200 && code != 204 && code != 304) {
    out += "\r\nContent-Length: ";
    out += std::to_string(reply.file ? reply.file_size : reply.body.size());
  }
  if (!context.keep_alive && context.version == 11) {
    out += "\r\nConnection: close";
  } else if (context.keep_alive && context.version == 10) {
    out += "\r\nConnection: keep-alive";
  }
  out += "\r\n\r\n";
}

}  // namespace c2p::http
