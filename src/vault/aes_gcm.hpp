#pragma once
// AES-256-GCM, the one primitive under Seal/Open, with a caller-chosen nonce so the
// known-answer tests can drive it. Everything else should use seal.hpp, which draws the
// nonce at random.
//
// The cipher is fetched once per process (EVP_CIPHER_fetch): in OpenSSL 3 an implicit
// fetch per call (EVP_aes_256_gcm()) takes a lock on the provider store, which costs more
// than sealing a PAN and serialises threads.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>

namespace c2p::vault {

inline constexpr std::size_t kAesKeyBytes = 32;
inline constexpr std::size_t kGcmNonceBytes = 12;  // 96 bits, GCM's native size
inline constexpr std::size_t kGcmTagBytes = 16;

using Bytes = std::span<const std::uint8_t>;
// Additional authenticated data, in pieces authenticated in order as if concatenated.
using AadParts = std::initializer_list<Bytes>;

// Fetches the cipher now, so a broken installation stops the start rather than the first
// request. Throws std::runtime_error if OpenSSL has no AES-256-GCM.
void PrepareAesGcm();

// Encrypts `plaintext` to `ciphertext` (same size; may not overlap) and writes the tag.
// Preconditions (bugs otherwise, std::invalid_argument): a 32-byte key, a 12-byte nonce,
// ciphertext.size() == plaintext.size(), tag.size() == 16. Throws std::runtime_error if
// OpenSSL fails.
void AesGcmEncrypt(Bytes key, Bytes nonce, AadParts aad, Bytes plaintext,
                   std::span<std::uint8_t> ciphertext, std::span<std::uint8_t> tag);

// Decrypts and authenticates. False when the tag does not match (wrong key, nonce, AAD or
// any altered byte); `plaintext` is then wiped, so unauthenticated data never escapes.
// Preconditions as for AesGcmEncrypt, with tag.size() == 16.
bool AesGcmDecrypt(Bytes key, Bytes nonce, AadParts aad, Bytes ciphertext, Bytes tag,
                   std::span<std::uint8_t> plaintext);

}  // namespace c2p::vault
