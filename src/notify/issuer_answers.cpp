// The pure readers of the issuer backend's answers (declared in outbound_oauth.hpp and
// consumer_info_client.hpp). Any input gives a value: never an exception, never a message
// that quotes the answer.

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <iterator>

#include <boost/json/value.hpp>

#include "core/strict_json.hpp"
#include "notify/consumer_info_client.hpp"
#include "notify/outbound_oauth.hpp"

namespace c2p::notify {
namespace json = boost::json;

namespace {

constexpr std::int64_t kMaxTokenLifetime = 366LL * 24 * 3600;
constexpr std::size_t kMaxAccessToken = 4096;

bool RetryableStatus(unsigned status) { return status == 408 || status == 429 || status >= 500; }

std::string StatusText(unsigned status) { return "HTTP " + std::to_string(status); }

OAuthResult<IssuerToken> TokenMalformed(std::string what) {
  return tl::unexpected(OAuthFailure{
      false, 200, "issuer token endpoint: malformed answer (" + std::move(what) + ")"});
}

// expires_in: 900 or "900".
std::optional<std::int64_t> ReadLifetime(const json::value& v) {
  std::int64_t n = -1;
  if (v.is_int64()) {
    n = v.get_int64();
  } else if (v.is_string()) {
    const std::string_view s = v.get_string();
    if (s.empty() || s.size() > 10) return std::nullopt;
    for (const char c : s) {
      if (c < '0' || c > '9') return std::nullopt;
    }
    std::from_chars(s.data(), s.data() + s.size(), n);
  }
  if (n < 0 || n > kMaxTokenLifetime) return std::nullopt;
  return n;
}

bool IsBearer(std::string_view type) {
  constexpr std::string_view kBearer = "bearer";
  if (type.size() != kBearer.size()) return false;
  for (std::size_t i = 0; i < type.size(); ++i) {
    const char c = type[i] >= 'A' && type[i] <= 'Z' ? static_cast<char>(type[i] + 32) : type[i];
    if (c != kBearer[i]) return false;
  }
  return true;
}

// It is sent back in a header: visible ASCII only, so no CR/LF can be smuggled in.
bool IsTokenText(std::string_view token) {
  if (token.empty() || token.size() > kMaxAccessToken) return false;
  for (const char c : token) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

FetchFailure Final(unsigned status, std::string message) {
  FetchFailure f;
  f.retryable = false;
  f.http_status = status;
  f.message = std::move(message);
  return f;
}

FetchResult MalformedConsumer(const core::Error& error) {
  std::string field = error.field;
  std::string what = error.message;
  // The domain readers name an unknown member by its key, which here comes from the issuer's
  // answer (and could be anything, a PAN even): name the object that holds it instead.
  if (what == "unknown member") {
    constexpr std::string_view kObjects[] = {"/consumerInfo", "/billingAddress",
                                             "/consumerInfo/mobilePhoneNumber"};
    if (std::find(std::begin(kObjects), std::end(kObjects), field) == std::end(kObjects)) {
      field.resize(field.rfind('/') == std::string::npos ? 0 : field.rfind('/'));
    }
    what = "has an unknown member";
  }
  std::string where = field.empty() ? std::string() : " at " + field;
  return tl::unexpected(
      Final(200, "issuer's consumer information is malformed" + where + " (" + what + ")"));
}

}  // namespace

OAuthResult<IssuerToken> ReadTokenAnswer(unsigned status, std::string_view body) {
  if (status != 200) {
    OAuthFailure f{RetryableStatus(status), status,
                   "issuer token endpoint answered " + StatusText(status)};
    if (status == 400 || status == 401 || status == 403) {
      f.message += ": it refused c2p's client credentials or grant";
    }
    return tl::unexpected(std::move(f));
  }
  auto parsed = core::ParseStrictJson(body);
  if (!parsed || !parsed->is_object()) return TokenMalformed("not a JSON object");
  const json::object& o = parsed->get_object();
  const json::value* token = o.if_contains("access_token");
  if (token == nullptr || !token->is_string() || !IsTokenText(token->get_string())) {
    return TokenMalformed("access_token");
  }
  const json::value* type = o.if_contains("token_type");
  if (type == nullptr || !type->is_string() || !IsBearer(type->get_string())) {
    return TokenMalformed("token_type");
  }
  const json::value* expires_in = o.if_contains("expires_in");
  const auto lifetime = expires_in == nullptr ? std::nullopt : ReadLifetime(*expires_in);
  if (!lifetime) return TokenMalformed("expires_in");
  // expires_at is the issuer's clock: accepted when well-typed, the lifetime comes from
  // expires_in (docs/issuer-backend.md).
  if (const json::value* at = o.if_contains("expires_at");
      at != nullptr && !at->is_string() && !at->is_number()) {
    return TokenMalformed("expires_at");
  }
  return IssuerToken{std::string(token->get_string()), std::chrono::seconds(*lifetime)};
}

OAuthFailure OAuthTransportFailure(const http::TransportError& error) {
  using K = http::TransportErrorKind;
  const bool retryable = error.kind != K::kInvalidRequest && error.kind != K::kResponseTooLarge;
  return OAuthFailure{retryable, 0, "issuer token endpoint: " + error.message};
}

std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value) {
  if (value.empty() || value.size() > 5) return std::nullopt;
  std::int64_t n = 0;
  for (const char c : value) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  if (n > 86'400) return std::nullopt;
  return std::chrono::seconds(n);
}

FetchFailure FetchTransportFailure(const http::TransportError& error) {
  using K = http::TransportErrorKind;
  FetchFailure f;
  f.retryable = error.kind != K::kInvalidRequest && error.kind != K::kResponseTooLarge;
  f.message = "issuer consumer information: " + error.message;
  return f;
}

FetchResult ReadConsumerInfoAnswer(unsigned status, std::string_view body,
                                   std::string_view retry_after) {
  if (status != 200) {
    FetchFailure f = Final(status, "issuer consumer information answered " + StatusText(status));
    if (RetryableStatus(status)) {
      f.retryable = true;
      f.retry_after = ParseRetryAfter(retry_after);
    } else if (status == 404) {
      f.message += ": no such consumer at the issuer";
    } else if (status == 401 || status == 403) {
      f.message += ": the issuer refused c2p";
    }
    return tl::unexpected(std::move(f));
  }
  auto parsed = core::ParseStrictJson(body);
  if (!parsed || !parsed->is_object()) {
    return tl::unexpected(Final(200, "issuer's consumer information is not a JSON object"));
  }
  // Other top-level members are the issuer's business and are ignored; the two objects c2p
  // uses are read as strictly as a request body's (unknown members inside them refused).
  const json::object& o = parsed->get_object();
  const json::value* info = o.if_contains("consumerInfo");
  if (info == nullptr) {
    return tl::unexpected(Final(200, "issuer's consumer information lacks /consumerInfo"));
  }
  auto consumer = domain::ReadConsumerInfo(*info, "/consumerInfo");
  if (!consumer) return MalformedConsumer(consumer.error());
  FetchedConsumer out{std::move(*consumer), std::nullopt};
  if (const json::value* billing = o.if_contains("billingAddress");
      billing != nullptr && !billing->is_null()) {
    auto address = domain::ReadBillingAddress(*billing, "/billingAddress");
    if (!address) return MalformedConsumer(address.error());
    out.billing = std::move(*address);
  }
  return out;
}

}  // namespace c2p::notify
