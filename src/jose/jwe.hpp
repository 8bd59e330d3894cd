#pragma once
// Compact JWE (RFC 7516 §7.1) with exactly two key managements, both with "enc" A256GCM:
//  - "ECDH-ES" on P-256, direct key agreement (RFC 7518 §4.6): c2p's card-data key (D1);
//  - "RSA-OAEP-256" (OAEP, SHA-256, MGF1-SHA-256; RFC 7518 §4.3): c2p's key when an RSA key
//    is configured, and card data sent to the networks.
// Everything else is refused, not ignored: RSA1_5, RSA-OAEP (SHA-1), dir, every key-wrap
// variant (A*KW, ECDH-ES+A*KW, A*GCMKW, PBES2-*), any other enc, "zip", any "crit".
//
// Errors: every refusal is core::Error with ErrorCode::kInvalidEncryptedData (the API's
// 400 INVALID_ENCRYPTED_DATA), an empty `field` (the caller knows which member held the
// JWE) and a fixed message: never plaintext, key material or a quote of the input. An
// authentication failure and an unusable RSA-wrapped key give the same message.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/secret_bytes.hpp"
#include "jose/jwk.hpp"
#include "jose/rsa_key.hpp"

namespace c2p::jose {

// Longest compact JWE accepted (spec/api.md §4.4).
inline constexpr std::size_t kMaxJweCompactBytes = 8192;

// c2p's decryption keys, by kid. The key's type decides the one alg a JWE naming it may
// use: an EC key only ECDH-ES, an RSA key only RSA-OAEP-256. Cheap to copy (entries are
// shared); safe to use from several threads once filled.
class JweDecryptionKeys {
 public:
  // Fail with kConfigInvalid: no private part, no kid, a kid already present, or key
  // metadata announcing another use ("use":"sig") or algorithm.
  core::Result<void> AddEcdhEs(const EcKey& key);
  core::Result<void> AddRsaOaep256(const RsaKey& key);

  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

  // Internal to src/jose: one key with its prepared OpenSSL context. Defined in
  // jwe_internal.hpp.
  struct Entry;
  const Entry* Find(std::string_view kid) const;

 private:
  core::Result<void> Add(std::shared_ptr<const Entry> entry);
  std::vector<std::shared_ptr<const Entry>> entries_;
};

// Decrypts a compact JWE to one of `keys`, chosen by the header's "kid" (required). Refuses
// (kInvalidEncryptedData): more than kMaxJweCompactBytes characters; not exactly five
// parts; bad base64url in any part; a header that is not a JSON object (strict parser);
// "alg" other than ECDH-ES or RSA-OAEP-256; "enc" other than A256GCM; "zip"; "crit"; a
// missing, non-string or unknown "kid"; an alg the named key is not for; an IV that is not
// 12 bytes or a tag that is not 16; for ECDH-ES a non-empty encrypted key, an "epk" that is
// not a P-256 public key on the curve, non-string or non-base64url "apu"/"apv"; for
// RSA-OAEP-256 an encrypted key not of the modulus size; and a failed authentication
// (tampered header, IV, ciphertext or tag, or the wrong key).
//
// The plaintext comes back in wiped memory; every intermediate secret (Z, CEK) is wiped.
core::Result<core::SecretBytes> DecryptJwe(std::string_view compact, const JweDecryptionKeys& keys);

// Encrypts to a P-256 public key with ECDH-ES + A256GCM: a fresh ephemeral key per call
// ("epk"), Concat KDF without apu/apv, random 96-bit IV. `kid` empty means the recipient's
// kid; when both are empty the header has no "kid" (c2p's own decryption then refuses it).
// Throws std::runtime_error if OpenSSL fails (no entropy, broken installation).
std::string EncryptEcdhEs(std::span<const std::uint8_t> plaintext, const EcKey& recipient,
                          std::string_view kid = {});

// Encrypts to an RSA public key with RSA-OAEP-256 + A256GCM: a random 256-bit CEK wrapped
// with OAEP (SHA-256, MGF1-SHA-256), random 96-bit IV. `kid` as for EncryptEcdhEs.
std::string EncryptRsaOaep256(std::span<const std::uint8_t> plaintext, const RsaKey& recipient,
                              std::string_view kid = {});

}  // namespace c2p::jose
