#pragma once
// Internal to src/jose (not for use elsewhere): what JWS signing (jws_sign.cpp) and
// verification (jws.cpp) share.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "jose/evp_util.hpp"

namespace c2p::jose::detail {

inline constexpr std::size_t kEs256FieldBytes = 32;
inline constexpr std::size_t kEs256SignatureBytes = 2 * kEs256FieldBytes;

// SHA-256 of ASCII(header_b64 '.' BASE64URL(payload)), encoding the payload piece by piece
// so a large detached payload is never held twice (or base64-inflated) in memory.
class SigningInputDigest {
 public:
  explicit SigningInputDigest(std::string_view header_b64);
  void Update(std::string_view payload_piece);
  Sha256Digest Finish();

 private:
  void Hash(std::string_view text);
  void Flush();

  MdCtxPtr md_;
  std::array<std::uint8_t, 3> pending_{};
  std::size_t pending_size_ = 0;
};

// SHA-256 of `text` (an attached JWS's signing input, already encoded).
Sha256Digest DigestOf(std::string_view text);

}  // namespace c2p::jose::detail
