#pragma once
// c2p's access tokens (spec/api.md §3.2): a MAC-based bearer token, so that checking one
// on the hot path costs one HMAC (about a microsecond) and works on every node that holds
// the same key, without a shared session store.
//
//   c2p1.<kid>.<base64url(claims JSON)>.<base64url(HMAC-SHA-256(key, "c2p1.<kid>.<claims>"))>
//
// claims: {"iss": issuerId, "iat": unix seconds, "exp": unix seconds, "jti": random id}.
// The kid names the MAC key, so keys can rotate: the first key signs, every listed key
// verifies.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/time_format.hpp"
#include "jose/hmac.hpp"
#include "jose/jwk.hpp"

namespace c2p::auth {

struct AccessClaims {
  std::string issuer_id;
  std::int64_t issued_at = 0;   // unix seconds
  std::int64_t expires_at = 0;  // unix seconds
  std::string token_id;
};

class AccessTokens {
 public:
  // `keys` must not be empty; keys[0] signs. Each key needs a kid of token characters and
  // at least 32 bytes. Throws std::invalid_argument otherwise (a start-up error).
  explicit AccessTokens(const std::vector<jose::OctKey>& keys,
                        std::chrono::seconds lifetime = std::chrono::seconds(900));

  std::chrono::seconds lifetime() const { return lifetime_; }

  std::string Issue(std::string_view issuer_id, core::SystemTime now) const;

  // The claims of a valid, unexpired token; kUnauthorized for anything else, with a
  // message that never repeats the token.
  //
  // A client sends the same token with every call for its whole lifetime, so each thread
  // remembers the last tokens it accepted (a small direct-mapped table): a token seen
  // before costs a hash and a constant-time comparison with the remembered copy instead
  // of an HMAC, two base64url decodings and a JSON parse (P6, docs/performance.md). Only
  // tokens that passed the full check are remembered, under the identity of this key
  // set (keys never change after construction), and expiry is checked on every call.
  core::Result<AccessClaims> Verify(std::string_view token, core::SystemTime now) const;

 private:
  core::Result<AccessClaims> VerifyUncached(std::string_view token, core::SystemTime now) const;

  struct MacKey {
    std::string kid;
    jose::HmacSha256 mac;  // keyed once: a check costs one HMAC, not a key set-up
  };
  const MacKey* KeyFor(std::string_view kid) const;

  std::vector<MacKey> keys_;
  std::chrono::seconds lifetime_;
  // Tags this key set's entries in the per-thread memo of verified tokens; copies and
  // moves keep it (same keys, same verdicts).
  std::uint64_t memo_owner_;
};

}  // namespace c2p::auth
