#pragma once
// Verification of the issuer's JWT assertion at the token endpoint (spec/api.md §3.1,
// RFC 7523): ES256 only, the key chosen by (iss, kid) among the issuer's onboarded keys,
// iss = sub = issuerId, exp in the future and at most 15 minutes ahead, iat/nbf not in the
// future, aud (when present) equal to the configured audience, and a jti (when present)
// never accepted twice while the assertion could still be valid.
//
// Failures are RFC 6749 §5.2 errors, not API error codes: the token endpoint answers
// {"error": "invalid_grant", "error_description": "..."}; the description says what was
// wrong without quoting the assertion.

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "auth/replay_cache.hpp"
#include "core/time_format.hpp"
#include "jose/jws.hpp"

namespace c2p::auth {

enum class GrantError { kInvalidRequest, kInvalidGrant, kUnsupportedGrantType };
// "invalid_request", "invalid_grant", "unsupported_grant_type".
std::string_view GrantErrorName(GrantError error);

struct GrantFailure {
  GrantError error = GrantError::kInvalidGrant;
  std::string description;
};

template <typename T>
using GrantResult = tl::expected<T, GrantFailure>;

struct AssertionPolicy {
  std::string audience;                        // an "aud" must name this
  std::chrono::seconds max_lifetime{15 * 60};  // exp - now, at most
  std::chrono::seconds clock_skew{60};         // tolerated either way
};

struct IssuerAssertionKeys {
  std::string issuer_id;
  std::vector<jose::VerificationKey> keys;  // ES256, each with a distinct kid
};

// An accepted assertion's id, for a replay record shared by several nodes (this process's
// memory already holds it): remembered until `forget_after`.
struct AssertionId {
  std::string jti;  // empty: the assertion had none
  core::SystemTime forget_after{};
};

class AssertionVerifier {
 public:
  // Throws std::invalid_argument for a key without a kid, two keys of one issuer with the
  // same kid, or an issuer listed twice: configuration errors caught at start-up.
  AssertionVerifier(std::vector<IssuerAssertionKeys> issuers, AssertionPolicy policy);

  // The issuer named by the peeked (unverified) "iss", when it is a configured one; for
  // charging a rate limit before any signature work. Never trust it for anything else.
  std::string_view ClaimedIssuer(std::string_view assertion) const;

  // The verified issuerId. A valid assertion's jti is remembered; the same jti again
  // (from the same issuer, before its exp) is refused.
  // When `id` is given, an accepted assertion's jti is also written there.
  GrantResult<std::string> Verify(std::string_view assertion, core::SystemTime now,
                                  AssertionId* id = nullptr);

  // The issuer's onboarded key of that kid, or null. The same keys sign the issuer's batch
  // files (spec/batch.md §2).
  const jose::VerificationKey* FindKey(std::string_view issuer, std::string_view kid) const;

 private:
  // issuer -> kid -> key.
  std::map<std::string, std::map<std::string, jose::VerificationKey, std::less<>>, std::less<>>
      keys_;
  AssertionPolicy policy_;
  ReplayCache replay_;
};

}  // namespace c2p::auth
