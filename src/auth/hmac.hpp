#pragma once
// HMAC-SHA-256 on OpenSSL 3's EVP_MAC, with the algorithm fetched once per process
// (implicit fetches take a global lock and dominate small MACs under threads).

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace c2p::auth {

using Mac256 = std::array<std::uint8_t, 32>;

Mac256 HmacSha256(std::span<const std::uint8_t> key, std::string_view data);

// Constant-time comparison.
bool MacEquals(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

}  // namespace c2p::auth
