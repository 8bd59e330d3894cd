#include "auth/assertion.hpp"

#include <cmath>
#include <stdexcept>

#include <boost/json/object.hpp>

#include "core/ids.hpp"
#include "core/strict_json.hpp"
#include "jose/base64url.hpp"

namespace c2p::auth {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxJtiLength = 256;

tl::unexpected<GrantFailure> Grant(std::string description) {
  return tl::unexpected(GrantFailure{GrantError::kInvalidGrant, std::move(description)});
}

std::int64_t UnixSeconds(core::SystemTime t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// RFC 7519 NumericDate: seconds, possibly fractional. Whole seconds are enough here
// (floor keeps "not after" checks conservative for exp, and iat/nbf are given the skew).
std::optional<std::int64_t> NumericDate(const json::value* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) {
    if (v->as_uint64() > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<std::int64_t>(v->as_uint64());
  }
  if (v->is_double()) {
    const double d = v->as_double();
    // Beyond ±2^53 a double has no whole-second precision: such a date is nonsense anyway.
    if (!std::isfinite(d) || std::fabs(d) > 9.0e15) return std::nullopt;
    return static_cast<std::int64_t>(std::floor(d));
  }
  return std::nullopt;
}

// The payload of a compact JWS, parsed but NOT verified.
std::optional<json::object> PeekPayload(std::string_view compact) {
  if (compact.size() > jose::kMaxJwsCompactBytes) return std::nullopt;
  const auto a = compact.find('.');
  if (a == std::string_view::npos) return std::nullopt;
  const auto b = compact.find('.', a + 1);
  if (b == std::string_view::npos) return std::nullopt;
  auto bytes = jose::Base64UrlDecode(compact.substr(a + 1, b - a - 1));
  if (!bytes) return std::nullopt;
  auto parsed = core::ParseStrictJson(
      std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()));
  if (!parsed || !parsed->is_object()) return std::nullopt;
  return std::move(parsed->as_object());
}

std::string_view StringMember(const json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  if (v == nullptr || !v->is_string()) return {};
  return v->as_string();
}

bool AudienceMatches(const json::value& aud, std::string_view expected) {
  if (aud.is_string()) return aud.as_string() == expected;
  if (!aud.is_array() || aud.as_array().empty()) return false;
  for (const auto& item : aud.as_array()) {
    if (!item.is_string()) return false;
  }
  for (const auto& item : aud.as_array()) {
    if (item.as_string() == expected) return true;
  }
  return false;
}

}  // namespace

std::string_view GrantErrorName(GrantError error) {
  switch (error) {
    case GrantError::kInvalidRequest:
      return "invalid_request";
    case GrantError::kInvalidGrant:
      return "invalid_grant";
    case GrantError::kUnsupportedGrantType:
      return "unsupported_grant_type";
  }
  return "invalid_request";
}

AssertionVerifier::AssertionVerifier(std::vector<IssuerAssertionKeys> issuers,
                                     AssertionPolicy policy)
    : policy_(std::move(policy)) {
  for (auto& issuer : issuers) {
    auto [slot, fresh] = keys_.try_emplace(issuer.issuer_id);
    if (!fresh) throw std::invalid_argument("issuer listed twice: " + issuer.issuer_id);
    for (auto& key : issuer.keys) {
      if (key.alg() != jose::JwsAlg::kEs256) {
        throw std::invalid_argument("assertion keys are ES256 only (issuer " + issuer.issuer_id +
                                    ")");
      }
      if (key.kid().empty()) {
        throw std::invalid_argument("assertion key without kid (issuer " + issuer.issuer_id + ")");
      }
      const std::string kid = key.kid();
      if (!slot->second.emplace(kid, std::move(key)).second) {
        throw std::invalid_argument("two assertion keys with kid " + kid + " (issuer " +
                                    issuer.issuer_id + ")");
      }
    }
  }
}

const jose::VerificationKey* AssertionVerifier::FindKey(std::string_view issuer,
                                                        std::string_view kid) const {
  auto it = keys_.find(issuer);
  if (it == keys_.end()) return nullptr;
  auto k = it->second.find(kid);
  return k == it->second.end() ? nullptr : &k->second;
}

std::string_view AssertionVerifier::ClaimedIssuer(std::string_view assertion) const {
  auto payload = PeekPayload(assertion);
  if (!payload) return {};
  auto it = keys_.find(StringMember(*payload, "iss"));
  return it == keys_.end() ? std::string_view{} : std::string_view(it->first);
}

GrantResult<std::string> AssertionVerifier::Verify(std::string_view assertion, core::SystemTime now,
                                                   AssertionId* id_out) {
  // Choose the key from the unverified header and payload; everything is checked again
  // on the verified payload below.
  auto header = jose::PeekJwsHeader(assertion);
  if (!header) return Grant("assertion is not a compact JWS");
  const std::string_view alg = StringMember(*header, "alg");
  if (alg != "ES256") return Grant("assertion alg must be ES256");
  const std::string_view kid = StringMember(*header, "kid");
  if (kid.empty()) return Grant("assertion header needs a kid");
  auto peeked = PeekPayload(assertion);
  if (!peeked) return Grant("assertion payload is not a JSON object");
  const jose::VerificationKey* key = FindKey(StringMember(*peeked, "iss"), kid);
  if (key == nullptr) return Grant("unknown issuer or kid");

  auto verified = jose::VerifyJws(assertion, *key);
  if (!verified) return Grant("assertion signature or format rejected");
  auto parsed = core::ParseStrictJson(verified->payload);
  if (!parsed || !parsed->is_object()) return Grant("assertion payload is not a JSON object");
  const json::object& claims = parsed->as_object();

  const std::string_view iss = StringMember(claims, "iss");
  const std::string_view sub = StringMember(claims, "sub");
  if (iss.empty() || sub != iss) return Grant("iss and sub must both be the issuerId");
  // The key was chosen by the peeked iss; the verified one is the same bytes, but the
  // binding of key to issuer is what matters, so it is checked, not assumed.
  if (iss != StringMember(*peeked, "iss")) return Grant("iss does not own the key");

  const std::int64_t t = UnixSeconds(now);
  const std::int64_t skew = policy_.clock_skew.count();
  const auto exp = NumericDate(claims.if_contains("exp"));
  if (!exp) return Grant("exp is required (NumericDate)");
  if (*exp + skew <= t) return Grant("assertion expired");
  if (*exp > t + policy_.max_lifetime.count() + skew) {
    return Grant("exp is more than 15 minutes ahead");
  }
  if (claims.contains("iat")) {
    const auto iat = NumericDate(claims.if_contains("iat"));
    if (!iat) return Grant("iat must be a NumericDate");
    if (*iat > t + skew) return Grant("iat is in the future");
  }
  if (claims.contains("nbf")) {
    const auto nbf = NumericDate(claims.if_contains("nbf"));
    if (!nbf) return Grant("nbf must be a NumericDate");
    if (*nbf > t + skew) return Grant("assertion not yet valid (nbf)");
  }
  if (const auto* aud = claims.if_contains("aud")) {
    if (!AudienceMatches(*aud, policy_.audience)) return Grant("aud does not name this service");
  }
  if (const auto* jti = claims.if_contains("jti")) {
    if (!jti->is_string() || jti->as_string().empty() || jti->as_string().size() > kMaxJtiLength) {
      return Grant("jti must be a string of 1..256 characters");
    }
    // Keyed by issuer too: two issuers may pick the same ids.
    std::string id(iss);
    id += '\n';
    id += jti->as_string();
    const auto forget_after = core::SystemTime(std::chrono::seconds(*exp + skew + 1));
    switch (replay_.Use(id, forget_after, now)) {
      case ReplayCache::Outcome::kFirstUse:
        break;
      case ReplayCache::Outcome::kReplay:
        return Grant("jti already used");
      case ReplayCache::Outcome::kFull:
        return Grant("too many recent assertions; retry shortly");
    }
    if (id_out != nullptr) *id_out = AssertionId{std::string(jti->as_string()), forget_after};
  }
  return std::string(iss);
}

}  // namespace c2p::auth
