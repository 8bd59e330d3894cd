#pragma once
// HMAC-SHA-256 under one key, keyed once and used many times: c2p's access tokens, the
// PAN index, webhook signatures.
//
// OpenSSL 3 fetches the digest again on every EVP_MAC_init (an implicit fetch, behind a
// global lock) and keying hashes the key pads: doing both per MAC made a bearer check cost
// more than the rest of the request. So the context is keyed once here and duplicated per
// MAC (EVP_MAC_CTX_dup only reads its source, so threads may share one HmacSha256).

#include <array>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string_view>

#include <openssl/evp.h>

namespace c2p::jose {

using Mac256 = std::array<std::uint8_t, 32>;

class HmacSha256 {
 public:
  // Throws std::runtime_error if OpenSSL cannot set up HMAC (a broken installation).
  explicit HmacSha256(std::span<const std::uint8_t> key);

  // The MAC of the concatenation of `parts` (fed one after another, so secret parts need
  // no concatenated copy).
  Mac256 Sign(std::initializer_list<std::span<const std::uint8_t>> parts) const;
  Mac256 Sign(std::string_view data) const;

 private:
  struct CtxFree {
    void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
  };
  std::unique_ptr<EVP_MAC_CTX, CtxFree> keyed_;
};

// Constant-time comparison of two MACs (false when the sizes differ).
bool MacEquals(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

}  // namespace c2p::jose
