#pragma once
// What a handler answers. Error replies are built only by ErrorReply(), the one place
// where an error code becomes an HTTP status and body (spec/api.md §2).

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
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
  // A body sent from an open file instead of `body` (large documents: never in memory).
  std::shared_ptr<std::ifstream> file;
  std::uint64_t file_size = 0;

  Reply& WithHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

Reply Json(Status status, const boost::json::value& body);
Reply Text(Status status, std::string body, std::string content_type = "text/plain; charset=utf-8");
Reply NoContent();
// `path`'s content as the body, opened now (a later replacement of the file does not
// change what is sent); kIo if it cannot be opened.
core::Result<Reply> FileReply(Status status, const std::filesystem::path& path,
                              std::string content_type = "application/json");

// The HTTP status for an error code.
Status StatusFor(core::ErrorCode code);
// {"errorCode", "error", "field"?} with the status from StatusFor.
Reply ErrorReply(const core::Error& error);

}  // namespace c2p::http
