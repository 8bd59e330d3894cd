#pragma once
// Base64url (RFC 4648 §5) without padding, as JOSE uses it (RFC 7515 §2). Decoding is
// strict: only the canonical encoding of a byte string is accepted, so that one value has
// exactly one spelling (no padding, no whitespace, no other alphabet, zero trailing bits).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/secret_bytes.hpp"

namespace c2p::jose {

// Encodes without padding.
std::string Base64UrlEncode(std::span<const std::uint8_t> data);
inline std::string Base64UrlEncode(std::string_view text) {
  return Base64UrlEncode(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}
// Encodes secret bytes into a wiped buffer (the text is as secret as the bytes).
core::SecretBytes Base64UrlEncodeSecret(std::span<const std::uint8_t> data);

// Fails with kFieldInvalidFormat on padding, characters outside [A-Za-z0-9_-], a length
// that no byte string encodes to (len % 4 == 1) or non-zero trailing bits. The message
// never quotes the input.
core::Result<std::vector<std::uint8_t>> Base64UrlDecode(std::string_view text);
// Same rules; decodes straight into wiped memory, for key material.
core::Result<core::SecretBytes> Base64UrlDecodeSecret(std::string_view text);

}  // namespace c2p::jose
