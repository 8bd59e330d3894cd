#pragma once
// The bytes of a reply's status line and header, written by hand: the reply shapes c2p
// sends are few and fixed, and formatting them into one reused string costs a fraction
// of Beast's generic serializer (which dominated the CPU profile of small requests).

#include <string>
#include <string_view>

#include "http/reply.hpp"

namespace c2p::http {

struct HeadContext {
  unsigned version = 11;  // 10 or 11
  bool keep_alive = true;
  std::string_view server_name;
  std::string_view correlation_id;
};

// Appends "HTTP/1.x NNN Reason\r\n" and every header line, ending with the blank line, to
// `out`. Adds Date, Server, Content-Type, Content-Length and Connection as needed. Header
// values from `reply.headers` are written as given: they come from c2p, never from input.
void AppendHead(std::string& out, const Reply& reply, const HeadContext& context);

// An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") for now, cached per thread and second.
std::string_view HttpDateNow();

}  // namespace c2p::http
