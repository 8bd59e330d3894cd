#pragma once
// Compact JWS (RFC 7515 §7.1), attached or with a detached payload (RFC 7515 appendix F):
// ES256 signing, and verification of ES256, PS256 and RS256.
//
// The verifier decides the algorithm by the KEY, never by the token: a VerificationKey is
// pinned to exactly one alg, and a token whose "alg" is anything else ("none", "HS256",
// another RSA padding, ...) is refused before any cryptography runs.
//
// Errors: every refusal is a core::Error with ErrorCode::kFieldInvalidFormat, an empty
// `field`, and a message naming what is wrong without quoting the token. JWS failures mean
// different things to different callers (the token endpoint answers 400 invalid_grant, a
// batch file with a bad signature is rejected as a file), so each caller maps the error to
// its own answer and sets the field it knows (e.g. "/signature").

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "core/error.hpp"
#include "jose/jwk.hpp"
#include "jose/rsa_key.hpp"

namespace c2p::jose {

// Longest compact JWS accepted (the detached payload is not counted): far above any
// assertion or batch signature, low enough to bound the work an attacker can ask for.
inline constexpr std::size_t kMaxJwsCompactBytes = std::size_t{16} * 1024;

enum class JwsAlg {
  kEs256,  // ECDSA P-256 SHA-256, signature r‖s of 64 bytes (RFC 7518 §3.4)
  kPs256,  // RSASSA-PSS SHA-256, MGF1-SHA-256, salt 32 bytes (RFC 7518 §3.5)
  kRs256,  // RSASSA-PKCS1-v1_5 SHA-256 (RFC 7518 §3.3)
};
// "ES256", "PS256", "RS256".
std::string_view JwsAlgName(JwsAlg alg);

// A public key pinned to one JWS algorithm. Cheap to copy (shares the key); safe to use
// from several threads at once.
class VerificationKey {
 public:
  // Fail with kConfigInvalid when the key's own metadata contradicts the pin ("use":"enc",
  // or an "alg" other than the pinned one). The key's kid, if any, is kept: a token
  // verified with this key must then carry the same "kid".
  static core::Result<VerificationKey> Es256(const EcKey& key);
  static core::Result<VerificationKey> Ps256(const RsaKey& key);
  static core::Result<VerificationKey> Rs256(const RsaKey& key);

  JwsAlg alg() const;
  const std::string& kid() const;

  // Internal to src/jose: the pinned key, its prepared verify context. Defined in jws.cpp.
  struct State;
  const State& state() const { return *state_; }

 private:
  explicit VerificationKey(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  std::shared_ptr<const State> state_;
};

struct VerifiedJws {
  boost::json::object header;
  // The payload bytes of an attached JWS; empty for a detached one (the caller has it).
  std::string payload;
};

// The protected header of a compact JWS, before choosing the key (e.g. by "kid"). Checks
// the size, the three parts, base64url and that the header is a JSON object (strict
// parser); nothing about alg or kid, and nothing is verified: trust no member of it beyond
// using it to look up a key.
core::Result<boost::json::object> PeekJwsHeader(std::string_view compact);

// Verifies `compact` with `key`. With `detached_payload`, the token must have an empty
// payload part and the signature covers the given bytes (RFC 7515 appendix F); without
// it, the payload part must be non-empty. Refuses: more or fewer than three parts, a token
// over kMaxJwsCompactBytes, bad base64url in any part, a header that is not a JSON object,
// a missing or non-string "alg", an "alg" other than the key's, a non-string or empty
// "kid", a "kid" other than the key's (when the key has one), any "crit", any "b64"
// (RFC 7797 payloads are not used by c2p), a signature of the wrong length, and a
// signature that does not verify.
core::Result<VerifiedJws> VerifyJws(std::string_view compact, const VerificationKey& key,
                                    std::optional<std::string_view> detached_payload = {});

// Verification of a detached JWS whose payload arrives in pieces (a batch file's
// canonical JSON need not be held in memory at once). Start() checks everything but the
// signature; Update() feeds the payload; Finish() verifies. Move-only.
class DetachedJwsVerifier {
 public:
  static core::Result<DetachedJwsVerifier> Start(std::string_view compact,
                                                 const VerificationKey& key);
  void Update(std::string_view payload_piece);
  // The verified protected header. Call once (std::logic_error on a second call).
  core::Result<boost::json::object> Finish();

  DetachedJwsVerifier(DetachedJwsVerifier&&) noexcept;
  DetachedJwsVerifier& operator=(DetachedJwsVerifier&&) noexcept;
  ~DetachedJwsVerifier();

 private:
  struct Impl;
  explicit DetachedJwsVerifier(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct JwsSignOptions {
  // Empty: the key's kid; both empty: no "kid" member.
  std::string kid;
  // Produce "header..signature" (RFC 7515 appendix F); the payload travels separately.
  bool detached = false;
  // More protected header members, e.g. {"typ":"JWT"}. Must not contain "alg", "kid",
  // "crit" or "b64" (std::invalid_argument: a bug in the caller).
  boost::json::object extra_header;
};

// ES256 signing of a detached payload that arrives in pieces (a batch file streamed to
// disk need not be held in memory to be signed): the counterpart of DetachedJwsVerifier,
// sharing its streaming digest. Start() takes the key (kept by reference count, so `key`
// may go away) and the options (`detached` is implied); Update() feeds the payload;
// Finish() returns "header..signature", exactly what SignEs256 with options.detached
// returns for the concatenated pieces. Start() throws like SignEs256; Finish() throws
// std::logic_error on a second call. Move-only.
class DetachedJwsSigner {
 public:
  static DetachedJwsSigner Start(const EcKey& key, const JwsSignOptions& options = {});
  void Update(std::string_view payload_piece);
  std::string Finish();

  DetachedJwsSigner(DetachedJwsSigner&&) noexcept;
  DetachedJwsSigner& operator=(DetachedJwsSigner&&) noexcept;
  ~DetachedJwsSigner();

 private:
  struct Impl;
  explicit DetachedJwsSigner(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Signs `payload` with ES256 (RFC 7518 §3.4: the signature is r‖s, each left-padded to 32
// bytes). Header: {"alg":"ES256"[,"kid"]} followed by extra_header. Throws
// std::logic_error for a public-only key and std::runtime_error if OpenSSL fails.
std::string SignEs256(std::string_view payload, const EcKey& key,
                      const JwsSignOptions& options = {});

}  // namespace c2p::jose
