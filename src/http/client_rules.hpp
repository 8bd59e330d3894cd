#pragma once
// Internal to the client (client.cpp, client_rules.cpp): what a request may hold before
// anything is sent, and how libcurl's failures become TransportErrors.

#include <optional>
#include <string>
#include <string_view>

#include "http/client.hpp"

namespace c2p::http {

// Why `request` cannot be sent (method not a token, URL not http(s) or with control
// characters, a header with CR/LF or one of the framing headers libcurl sets); nullopt
// when it can.
std::optional<std::string> CheckRequest(const ClientRequest& request);

// The kind of a failed transfer from its CURLcode; `too_large` when the body callback
// refused more bytes.
TransportErrorKind KindOfCurlError(int curl_code, bool too_large);

// "<kind name>[: detail]", with `detail` a fixed text (never request data).
TransportError MakeError(TransportErrorKind kind, std::string_view detail);

}  // namespace c2p::http
