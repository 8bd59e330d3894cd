#include "http/client_rules.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>

namespace c2p::http {

std::string_view TransportErrorKindName(TransportErrorKind kind) {
  switch (kind) {
    case TransportErrorKind::kInvalidRequest:
      return "invalid request";
    case TransportErrorKind::kConnect:
      return "cannot connect";
    case TransportErrorKind::kTimeout:
      return "timed out";
    case TransportErrorKind::kTls:
      return "TLS failure";
    case TransportErrorKind::kConnectionLost:
      return "connection lost";
    case TransportErrorKind::kResponseTooLarge:
      return "response too large";
    case TransportErrorKind::kCancelled:
      return "cancelled";
    case TransportErrorKind::kOther:
      return "transfer failed";
  }
  return "transfer failed";
}

namespace {

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsToken(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsTokenChar);
}

// Header values and URLs go on the wire as given: a CR, LF or NUL would let text in them
// start a new header or request.
bool IsSafeText(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// Headers libcurl derives from the request itself; a caller setting them would corrupt
// the framing.
bool IsFramingHeader(std::string_view name) {
  return IEquals(name, "content-length") || IEquals(name, "transfer-encoding") ||
         IEquals(name, "connection") || IEquals(name, "host") || IEquals(name, "expect");
}

}  // namespace

std::string_view ClientResponse::header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (IEquals(n, name)) return v;
  }
  return {};
}

std::optional<std::string> CheckRequest(const ClientRequest& r) {
  if (!IsToken(r.method)) return "method is not an HTTP token";
  const std::string_view url = r.url;
  const bool http = url.size() > 7 && IEquals(url.substr(0, 7), "http://");
  const bool https = url.size() > 8 && IEquals(url.substr(0, 8), "https://");
  if ((!http && !https) || !IsSafeText(url) || url.find(' ') != std::string_view::npos) {
    return "URL must be http:// or https:// without spaces or control characters";
  }
  for (const auto& [name, value] : r.headers) {
    if (!IsToken(name) || !IsSafeText(value)) return "header name or value not allowed";
    if (IsFramingHeader(name)) return "framing headers are set by the client";
  }
  return std::nullopt;
}

TransportErrorKind KindOfCurlError(int curl_code, bool too_large) {
  switch (static_cast<CURLcode>(curl_code)) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return TransportErrorKind::kInvalidRequest;
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
      return TransportErrorKind::kConnect;
    case CURLE_OPERATION_TIMEDOUT:
      return TransportErrorKind::kTimeout;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_CRL_BADFILE:
      return TransportErrorKind::kTls;
    case CURLE_WRITE_ERROR:
      return too_large ? TransportErrorKind::kResponseTooLarge : TransportErrorKind::kOther;
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_WEIRD_SERVER_REPLY:
      return TransportErrorKind::kConnectionLost;
    default:
      return TransportErrorKind::kOther;
  }
}

TransportError MakeError(TransportErrorKind kind, std::string_view detail) {
  std::string message(TransportErrorKindName(kind));
  if (!detail.empty()) {
    message += ": ";
    message += detail;
  }
  return TransportError{kind, std::move(message)};
}

}  // namespace c2p::http
