#include "vault/pan_index.hpp"

#include <array>
#include <stdexcept>

namespace c2p::vault {

std::string PanIndex(const KeyRing& ring, std::string_view issuer_id,
                     const core::SecretBytes& pan) {
  if (issuer_id.size() > 0xFFFF) throw std::length_error("issuer id too long");
  const std::array<std::uint8_t, 2> length = {static_cast<std::uint8_t>(issuer_id.size() >> 8),
                                              static_cast<std::uint8_t>(issuer_id.size() & 0xFF)};
  // The parts go in one after another rather than concatenated first: a concatenation
  // would be one more copy of the PAN to wipe.
  const jose::Mac256 mac = ring.index_mac().Sign(
      {length,
       {reinterpret_cast<const std::uint8_t*>(issuer_id.data()), issuer_id.size()},
       pan.view()});
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(2 * mac.size(), '0');
  for (std::size_t i = 0; i < mac.size(); ++i) {
    hex[2 * i] = kHex[mac[i] >> 4];
    hex[2 * i + 1] = kHex[mac[i] & 0x0F];
  }
  return hex;
}

}  // namespace c2p::vault
