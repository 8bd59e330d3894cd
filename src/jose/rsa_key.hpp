#pragma once
// RSA JSON Web Keys (RFC 7517, RFC 7518 §6.3): public keys of partners that sign with
// PS256 or RS256, and RSA-OAEP-256 encryption keys (a network's public key; c2p's own
// decryption key when one is configured). Moduli of 2048 to 4096 bits only.

#include <memory>
#include <string>

#include <openssl/evp.h>
#include <boost/json/object.hpp>

#include "core/error.hpp"

namespace c2p::jose {

// An RSA public key or key pair, owning an OpenSSL EVP_PKEY. Move-only. As for EcKey, the
// JWK metadata (kid, use, alg) travels with the key and is not part of its thumbprint.
class RsaKey {
 public:
  static constexpr int kMinBits = 2048;
  static constexpr int kMaxBits = 4096;

  // A fresh key pair (e = 65537), for tests and tools. Throws std::invalid_argument for
  // `bits` outside [kMinBits, kMaxBits] and std::runtime_error if OpenSSL cannot generate.
  static RsaKey Generate(int bits = kMinBits);

  // Accepts {"kty":"RSA","n","e"[,"d","p","q","dp","dq","qi"][,"kid","use","alg"]}.
  //  - n: base64urlUInt without leading zero octets (RFC 7518 §6.3.1.1), 2048..4096 bits;
  //  - e: odd, > 1, at most 64 bits (OpenSSL refuses larger exponents for moduli above
  //    3072 bits when the key is used; refusing them here makes that a load-time error);
  //  - a private key has all of d, p, q, dp, dq, qi (c2p needs the CRT form) and no "oth"
  //    (multi-prime keys are not supported); leading zero octets are tolerated there;
  //  - the key is checked with EVP_PKEY_public_check, and a private key with EVP_PKEY_check
  //    (primes, d·e ≡ 1, CRT values), which takes a noticeable time for large keys;
  //  - "use" is "sig" (alg "PS256" or "RS256") or "enc" (alg "RSA-OAEP-256").
  // Fails with kFieldInvalidFormat, `field` naming the member, never quoting key material.
  static core::Result<RsaKey> FromJwk(const boost::json::object& jwk);

  // {"kty","kid"?,"use"?,"alg"?,"n","e"}.
  boost::json::object ToPublicJwk() const;
  // ToPublicJwk() plus d, p, q, dp, dq, qi, encoded through wiped memory. Pass the result
  // to WipeJwkSecrets() once written. Throws std::logic_error on a public-only key.
  boost::json::object ToPrivateJwk() const;

  // RFC 7638 SHA-256 thumbprint, base64url.
  std::string Thumbprint() const;

  bool has_private() const { return has_private_; }
  // Modulus size in bits and bytes (the size of every signature and OAEP ciphertext).
  int bits() const;
  std::size_t modulus_bytes() const;
  // The key for EVP operations; owned by this object.
  EVP_PKEY* pkey() const { return pkey_.get(); }

  const std::string& kid() const { return kid_; }
  const std::string& use() const { return use_; }
  const std::string& alg() const { return alg_; }
  void set_kid(std::string kid) { kid_ = std::move(kid); }
  void set_use(std::string use) { use_ = std::move(use); }
  void set_alg(std::string alg) { alg_ = std::move(alg); }

 private:
  struct PkeyFree {
    void operator()(EVP_PKEY* pkey) const { EVP_PKEY_free(pkey); }
  };
  using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

  RsaKey(PkeyPtr pkey, bool has_private) : pkey_(std::move(pkey)), has_private_(has_private) {}

  PkeyPtr pkey_;
  bool has_private_ = false;
  std::string kid_;
  std::string use_;
  std::string alg_;
};

}  // namespace c2p::jose
