#pragma once
// JSON Web Keys (RFC 7517/7518) for the two key types c2p uses: P-256 EC keys (ES256
// signatures, ECDH-ES key agreement) and symmetric "oct" keys (A256GCM, HS256). Only
// these are accepted; any other kty or crv is refused rather than ignored.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include <openssl/evp.h>
#include <boost/json/object.hpp>

#include "core/error.hpp"
#include "core/secret_bytes.hpp"

namespace c2p::jose {

// A P-256 key pair or public key, owning an OpenSSL EVP_PKEY. Move-only.
//
// The JWK metadata c2p uses (kid, use, alg) travels with the key so JWS/JWE headers can
// name it; it is not part of the key material and not of the thumbprint.
class EcKey {
 public:
  // A fresh key pair from the OpenSSL CSPRNG. Throws only if OpenSSL cannot generate a
  // key at all (no entropy), which nothing can recover from.
  static EcKey Generate();

  // Accepts {"kty":"EC","crv":"P-256","x","y"[,"d"][,"kid","use","alg"]}. x, y and d are
  // base64url of exactly 32 bytes; the point must lie on the curve and d must be the
  // private key of that point. "use" is "sig" or "enc"; "alg" is "ES256" or "ECDH-ES" and
  // must agree with "use". Other members are ignored (RFC 7517 §4). Fails with
  // kFieldInvalidFormat, `field` naming the offending member as a JSON pointer.
  static core::Result<EcKey> FromJwk(const boost::json::object& jwk);

  // A P-256 public key from PEM text ("-----BEGIN PUBLIC KEY-----", SubjectPublicKeyInfo),
  // the other form issuers hand over. No kid: the caller picks one (c2p uses the RFC 7638
  // thumbprint). Fails with kConfigInvalid for anything but one P-256 public key.
  static core::Result<EcKey> FromPublicPem(std::string_view pem);

  // {"kty","crv","kid"?,"use"?,"alg"?,"x","y"}.
  boost::json::object ToPublicJwk() const;
  // ToPublicJwk() plus "d". The private scalar passes only through wiped memory here, but
  // the returned object's strings cannot be wiped by Boost.JSON: call WipeJwkSecrets() on
  // it as soon as it has been written out. Throws std::logic_error on a public-only key.
  boost::json::object ToPrivateJwk() const;

  // RFC 7638 SHA-256 thumbprint, base64url: c2p's default kid for EC keys.
  std::string Thumbprint() const;

  bool has_private() const { return has_private_; }
  // The key for EVP operations (JWS, JWE); owned by this object.
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

  EcKey(PkeyPtr pkey, bool has_private) : pkey_(std::move(pkey)), has_private_(has_private) {}

  PkeyPtr pkey_;
  bool has_private_ = false;
  std::string kid_;
  std::string use_;
  std::string alg_;
};

// A symmetric key ("kty":"oct"). Its bytes live in SecretBytes. Move-only.
class OctKey {
 public:
  // size_bytes random bytes from the OpenSSL CSPRNG. Throws std::invalid_argument for a
  // size of 0 (a bug) and std::runtime_error if the CSPRNG fails.
  static OctKey Generate(std::size_t size_bytes);

  // Accepts {"kty":"oct","k"[,"kid","use","alg"]}. "alg", when present, is "A256GCM" (k of
  // exactly 32 bytes) or "HS256" (k of at least 32 bytes, RFC 7518 §3.2); without it k
  // must hold at least 16 bytes. Fails with kFieldInvalidFormat.
  static core::Result<OctKey> FromJwk(const boost::json::object& jwk);

  // {"kty","kid"?,"use"?,"alg"?,"k"}. As for EcKey::ToPrivateJwk, pass the result to
  // WipeJwkSecrets() once written.
  boost::json::object ToJwk() const;

  const core::SecretBytes& bytes() const { return bytes_; }

  const std::string& kid() const { return kid_; }
  const std::string& use() const { return use_; }
  const std::string& alg() const { return alg_; }
  void set_kid(std::string kid) { kid_ = std::move(kid); }
  void set_use(std::string use) { use_ = std::move(use); }
  void set_alg(std::string alg) { alg_ = std::move(alg); }

 private:
  explicit OctKey(core::SecretBytes bytes) : bytes_(std::move(bytes)) {}

  core::SecretBytes bytes_;
  std::string kid_;
  std::string use_;
  std::string alg_;
};

// Overwrites and removes the secret members ("d", "k", and the RSA "p", "q", "dp", "dq",
// "qi") of a JWK object, the best that can be done for key text held in Boost.JSON strings.
void WipeJwkSecrets(boost::json::object& jwk);

}  // namespace c2p::jose
