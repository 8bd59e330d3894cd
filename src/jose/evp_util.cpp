#include "jose/evp_util.hpp"

#include <openssl/err.h>
#include <openssl/rand.h>

#include <new>
#include <stdexcept>

namespace c2p::jose::detail {

const EVP_MD* Sha256() {
  // Never freed: it lives as long as the process, and is reachable from here.
  static const EVP_MD* const md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
    if (fetched == nullptr) throw std::runtime_error("OpenSSL has no SHA-256");
    return fetched;
  }();
  return md;
}

const EVP_CIPHER* Aes256Gcm() {
  static const EVP_CIPHER* const cipher = [] {
    EVP_CIPHER* fetched = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    if (fetched == nullptr) throw std::runtime_error("OpenSSL has no AES-256-GCM");
    return fetched;
  }();
  return cipher;
}

Sha256Digest Sha256Of(std::span<const std::uint8_t> data) {
  Sha256Digest digest{};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &size, Sha256(), nullptr) != 1 ||
      size != digest.size()) {
    throw std::runtime_error("SHA-256 failed");
  }
  return digest;
}

PkeyPtr UpRef(EVP_PKEY* pkey) {
  if (pkey == nullptr || EVP_PKEY_up_ref(pkey) != 1) throw std::logic_error("EVP_PKEY_up_ref");
  return PkeyPtr(pkey);
}

PkeyCtxPtr DupOperation(const EVP_PKEY_CTX* initialised) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_dup(initialised));
  if (!ctx) throw std::bad_alloc();
  return ctx;
}

PkeyCtxPtr NewCtx(EVP_PKEY* pkey) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
  if (!ctx) throw std::bad_alloc();
  return ctx;
}

std::vector<std::uint8_t> RandomBytes(std::size_t size) {
  std::vector<std::uint8_t> out(size);
  if (size > 0 && RAND_bytes(out.data(), static_cast<int>(size)) != 1) {
    throw std::runtime_error("CSPRNG unavailable");
  }
  return out;
}

core::SecretBytes RandomSecret(std::size_t size) {
  core::SecretBytes out(size);
  if (size > 0 && RAND_bytes(out.data(), static_cast<int>(size)) != 1) {
    throw std::runtime_error("CSPRNG unavailable");
  }
  return out;
}

void ClearOpenSslErrors() { ERR_clear_error(); }

}  // namespace c2p::jose::detail
