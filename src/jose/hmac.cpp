#include "jose/hmac.hpp"

#include <stdexcept>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/params.h>

namespace c2p::jose {

namespace {

EVP_MAC* HmacAlgorithm() {
  static EVP_MAC* mac = [] {
    EVP_MAC* m = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (m == nullptr) throw std::runtime_error("OpenSSL has no HMAC");
    return m;
  }();
  return mac;
}

[[noreturn]] void Broken() {
  // Allocation failure or a missing provider: a dead process, never bad input.
  ERR_clear_error();
  throw std::runtime_error("HMAC-SHA-256 failed");
}

}  // namespace

HmacSha256::HmacSha256(std::span<const std::uint8_t> key)
    : keyed_(EVP_MAC_CTX_new(HmacAlgorithm())) {
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end(),
  };
  if (!keyed_ || EVP_MAC_init(keyed_.get(), key.data(), key.size(), params) != 1) Broken();
}

Mac256 HmacSha256::Sign(std::initializer_list<std::span<const std::uint8_t>> parts) const {
  std::unique_ptr<EVP_MAC_CTX, CtxFree> ctx(EVP_MAC_CTX_dup(keyed_.get()));
  if (!ctx) Broken();
  for (const auto& part : parts) {
    if (EVP_MAC_update(ctx.get(), part.data(), part.size()) != 1) Broken();
  }
  Mac256 out{};
  std::size_t len = 0;
  if (EVP_MAC_final(ctx.get(), out.data(), &len, out.size()) != 1 || len != out.size()) Broken();
  return out;
}

Mac256 HmacSha256::Sign(std::string_view data) const {
  return Sign({std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(data.data()),
                                             data.size())});
}

bool MacEquals(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace c2p::jose
