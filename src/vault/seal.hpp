#pragma once
// Field-level encryption at rest: Seal turns one field's plaintext into a self-describing
// blob under the ring's current key; Open turns it back, under whichever configured key
// version the blob names.
//
// Blob format (version 'v'):
//
//   offset 0       'v' (0x76)       format marker: anything else is refused, not guessed
//   offset 1       n, 1..64         length of the key version
//   offset 2       version          n bytes, the key's kid
//   offset 2+n     nonce            12 random bytes
//   offset 14+n    ciphertext       as long as the plaintext
//   end - 16       tag              16 bytes
//
// AES-256-GCM authenticates the header (marker, n, version) followed by the caller's
// associated data, so neither the version label nor the binding (associated_data.hpp)
// can be swapped. Nonces are random: keep each key version below about 2^32 seals
// (NIST SP 800-38D §8.3) and rotate well before; at c2p's volumes that is far off.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/secret_bytes.hpp"
#include "vault/key_ring.hpp"

namespace c2p::vault {

using SealedBlob = std::vector<std::uint8_t>;

// Seals under ring.current_version(). Throws std::runtime_error only if OpenSSL fails
// (no entropy, a broken installation): nothing about the input can make it fail.
SealedBlob Seal(const KeyRing& ring, std::span<const std::uint8_t> plaintext,
                std::string_view associated_data);
inline SealedBlob Seal(const KeyRing& ring, const core::SecretBytes& plaintext,
                       std::string_view associated_data) {
  return Seal(ring, plaintext.view(), associated_data);
}

// Opens a blob sealed with the same associated data. kInternal (a stored row that does
// not open is c2p's fault, never the caller's), with a fixed message and no byte of the
// blob: malformed; a key version not in the ring; authentication failed (wrong associated
// data, altered byte, or a key that changed under the same version).
core::Result<core::SecretBytes> Open(const KeyRing& ring, std::span<const std::uint8_t> blob,
                                     std::string_view associated_data);

// The key version a blob was sealed with, a view into `blob`; kInternal when the header
// is malformed. Says nothing about whether the rest would open.
core::Result<std::string_view> SealedVersion(std::span<const std::uint8_t> blob);

// Open, then Seal under the current version: one step of a key rotation. The plaintext
// lives only in wiped memory in between.
core::Result<SealedBlob> Reseal(const KeyRing& ring, std::span<const std::uint8_t> blob,
                                std::string_view associated_data);

}  // namespace c2p::vault
