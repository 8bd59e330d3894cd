#pragma once
// RFC 3986 percent-encoding for what c2p puts into the URLs and form bodies it sends: the
// unreserved characters (A-Z a-z 0-9 - . _ ~) as they are, every other byte as %XX. Safe
// for a path segment and for an application/x-www-form-urlencoded value alike.

#include <string>
#include <string_view>

namespace c2p::http {

std::string PercentEncode(std::string_view text);

}  // namespace c2p::http
