#pragma once
// Internal to src/jose (not for use elsewhere): owning pointers for OpenSSL objects, the
// algorithm objects fetched once per process, and small EVP helpers shared by JWS and JWE.
//
// Why fetch once: in OpenSSL 3 every EVP_sha256()/EVP_aes_256_gcm() use and every
// *_init() of a pkey operation fetches its algorithm from the provider store under a
// lock, which costs more than the hash itself and serialises threads. The MD and cipher
// are fetched here once; pkey operations are initialised once per key into a template
// context and duplicated per use (EVP_PKEY_CTX_dup copies the already fetched method).

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/secret_bytes.hpp"

namespace c2p::jose::detail {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* p) const { EVP_CIPHER_CTX_free(p); }
};
struct BnFree {
  // Clear-free for all: some hold private values, and the cost is nothing.
  void operator()(BIGNUM* p) const { BN_clear_free(p); }
};
struct EcdsaSigFree {
  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, EcdsaSigFree>;

inline constexpr std::size_t kSha256Bytes = 32;
using Sha256Digest = std::array<std::uint8_t, kSha256Bytes>;

// Fetched on first use, kept for the life of the process. Throw std::runtime_error if the
// default provider lacks them (a broken installation).
const EVP_MD* Sha256();
const EVP_CIPHER* Aes256Gcm();

// SHA-256 of `data`.
Sha256Digest Sha256Of(std::span<const std::uint8_t> data);

// A new reference to `pkey` (EVP_PKEY_up_ref), so a key can outlive the object it came from.
PkeyPtr UpRef(EVP_PKEY* pkey);

// A copy of an operation context initialised once (sign/verify/derive/decrypt), for one
// use. Throws std::bad_alloc.
PkeyCtxPtr DupOperation(const EVP_PKEY_CTX* initialised);

// An operation context for `pkey`. Throws std::bad_alloc.
PkeyCtxPtr NewCtx(EVP_PKEY* pkey);

// Random bytes from the OpenSSL CSPRNG; throws std::runtime_error if it fails.
std::vector<std::uint8_t> RandomBytes(std::size_t size);
core::SecretBytes RandomSecret(std::size_t size);

// Drops the reasons a refused input left on OpenSSL's thread-local error queue, so they
// are not mistaken for the cause of a later, unrelated failure.
void ClearOpenSslErrors();

}  // namespace c2p::jose::detail
