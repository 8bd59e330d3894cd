#include "auth/access_token.hpp"

#include <array>
#include <atomic>
#include <cstring>
#include <functional>
#include <stdexcept>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "core/ids.hpp"
#include "core/strict_json.hpp"
#include "jose/base64url.hpp"

namespace c2p::auth {

namespace json = boost::json;

namespace {

constexpr std::string_view kPrefix = "c2p1";
// Far above any token c2p issues (about 200 bytes): anything longer is not ours.
constexpr std::size_t kMaxTokenLength = 1024;

tl::unexpected<core::Error> Invalid() {
  return core::Fail(core::ErrorCode::kUnauthorized, "invalid or expired access token");
}

std::int64_t UnixSeconds(core::SystemTime t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// The per-thread memo of verified tokens (see Verify). Direct-mapped: a token's slot is
// its hash, a newer token in the same slot replaces the older. 256 slots of about 300
// bytes per reactor thread; a client that keeps the memo missing only pays the full check.
struct MemoEntry {
  std::uint64_t owner = 0;  // 0: empty
  std::string token;
  AccessClaims claims;
};
constexpr std::size_t kMemoSlots = 256;
thread_local std::array<MemoEntry, kMemoSlots> memo;  // NOLINT: per-thread by design
std::atomic<std::uint64_t> next_memo_owner{1};

// Constant time in the contents (no early exit: the differences are OR-ed together), so
// the memo tells a caller nothing about a remembered token but whether theirs is the very
// same string. Eight bytes at a time: CRYPTO_memcmp's byte loop was a visible share of a
// remembered check.
bool SameToken(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  std::uint64_t diff = 0;
  std::size_t i = 0;
  for (; i + 8 <= a.size(); i += 8) {
    std::uint64_t x = 0;
    std::uint64_t y = 0;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    diff |= x ^ y;
  }
  for (; i < a.size(); ++i) {
    diff |= static_cast<std::uint8_t>(a[i]) ^ static_cast<std::uint8_t>(b[i]);
  }
  return diff == 0;
}

}  // namespace

AccessTokens::AccessTokens(const std::vector<jose::OctKey>& keys, std::chrono::seconds lifetime)
    : lifetime_(lifetime), memo_owner_(next_memo_owner.fetch_add(1)) {
  if (keys.empty()) throw std::invalid_argument("access tokens need at least one MAC key");
  for (const auto& k : keys) {
    if (!core::IsIdToken(k.kid(), 1, 64) || k.bytes().size() < 32) {
      throw std::invalid_argument("access-token MAC keys need a kid and 32 bytes or more");
    }
    keys_.push_back(MacKey{k.kid(), jose::HmacSha256(k.bytes().view())});
  }
}

const AccessTokens::MacKey* AccessTokens::KeyFor(std::string_view kid) const {
  for (const auto& k : keys_) {
    if (k.kid == kid) return &k;
  }
  return nullptr;
}

std::string AccessTokens::Issue(std::string_view issuer_id, core::SystemTime now) const {
  const MacKey& key = keys_.front();
  const std::int64_t iat = UnixSeconds(now);
  json::object claims;
  claims["iss"] = issuer_id;
  claims["iat"] = iat;
  claims["exp"] = iat + lifetime_.count();
  claims["jti"] = core::NewRandomId();
  std::string token(kPrefix);
  token += '.';
  token += key.kid;
  token += '.';
  token += jose::Base64UrlEncode(json::serialize(claims));
  const jose::Mac256 mac = key.mac.Sign(token);
  token += '.';
  token += jose::Base64UrlEncode(std::span<const std::uint8_t>(mac));
  return token;
}

core::Result<AccessClaims> AccessTokens::Verify(std::string_view token,
                                                core::SystemTime now) const {
  if (token.size() > kMaxTokenLength) return Invalid();
  MemoEntry& slot = memo[std::hash<std::string_view>{}(token) % kMemoSlots];
  if (slot.owner == memo_owner_ && SameToken(slot.token, token)) {
    if (UnixSeconds(now) >= slot.claims.expires_at) return Invalid();
    return slot.claims;
  }
  auto claims = VerifyUncached(token, now);
  if (claims) {
    slot.owner = 0;  // never a half-written entry under an owner, even if a copy throws
    slot.token.assign(token);
    slot.claims = *claims;
    slot.owner = memo_owner_;
  }
  return claims;
}

core::Result<AccessClaims> AccessTokens::VerifyUncached(std::string_view token,
                                                        core::SystemTime now) const {
  if (token.size() > kMaxTokenLength) return Invalid();
  // prefix . kid . claims . mac
  const auto p1 = token.find('.');
  const auto p2 = p1 == std::string_view::npos ? p1 : token.find('.', p1 + 1);
  const auto p3 = p2 == std::string_view::npos ? p2 : token.find('.', p2 + 1);
  if (p3 == std::string_view::npos || token.find('.', p3 + 1) != std::string_view::npos) {
    return Invalid();
  }
  if (token.substr(0, p1) != kPrefix) return Invalid();
  const MacKey* key = KeyFor(token.substr(p1 + 1, p2 - p1 - 1));
  if (key == nullptr) return Invalid();

  // The MAC first: nothing of an unauthenticated token is parsed.
  auto given = jose::Base64UrlDecode(token.substr(p3 + 1));
  if (!given) return Invalid();
  const jose::Mac256 expected = key->mac.Sign(token.substr(0, p3));
  if (!jose::MacEquals(*given, expected)) return Invalid();

  auto raw = jose::Base64UrlDecode(token.substr(p2 + 1, p3 - p2 - 1));
  if (!raw) return Invalid();
  auto parsed = core::ParseStrictJson(
      std::string_view(reinterpret_cast<const char*>(raw->data()), raw->size()));
  if (!parsed || !parsed->is_object()) return Invalid();
  const json::object& claims = parsed->as_object();
  const auto* iss = claims.if_contains("iss");
  const auto* iat = claims.if_contains("iat");
  const auto* exp = claims.if_contains("exp");
  const auto* jti = claims.if_contains("jti");
  if (iss == nullptr || !iss->is_string() || iat == nullptr || !iat->is_int64() || exp == nullptr ||
      !exp->is_int64() || jti == nullptr || !jti->is_string()) {
    return Invalid();
  }
  AccessClaims out{std::string(iss->as_string()), iat->as_int64(), exp->as_int64(),
                   std::string(jti->as_string())};
  if (UnixSeconds(now) >= out.expires_at) return Invalid();
  return out;
}

}  // namespace c2p::auth
