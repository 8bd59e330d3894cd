#pragma once
// What a handler answers. Error replies are built only by ErrorReply(), the one place
// where an error code becomes an HTTP status and body (spec/api.md §2).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/beast/http/status.hpp>
#include <boost/json/value.hpp>

#include "core/error.hpp"

namespace c2p::http {

using Status = boost::beast::http::status;

struct Reply {
  Status status = Status::ok;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Close the connection after this reply (framing is unreliable or the peer misbehaved).
  bool close = false;

  Reply& WithHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

Reply Json(Status status, const boost::json::value& body);
Reply Text(Status status, std::string body, std::string content_type = "text/plain; charset=utf-8");
Reply NoContent();

// The HTTP status for an error code.
Status StatusFor(core::ErrorCode code);
// {"errorCode", "error", "field"?} with the status from StatusFor.
Reply ErrorReply(const core::Error& error);

}  // namespace c2p::http
