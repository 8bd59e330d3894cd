#pragma once
// Internal to src/jose (not for use elsewhere): the pieces of JWE shared by the compact
// serialisation (jwe_compact.cpp) and the two key managements (jwe_ecdh.cpp, jwe_rsa.cpp).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/error.hpp"
#include "core/secret_bytes.hpp"
#include "jose/evp_util.hpp"
#include "jose/jwe.hpp"

namespace c2p::jose {

enum class JweKeyAlg { kEcdhEs, kRsaOaep256 };

struct JweDecryptionKeys::Entry {
  std::string kid;
  JweKeyAlg alg = JweKeyAlg::kEcdhEs;
  detail::PkeyPtr pkey;
  // Initialised once (derive for ECDH-ES; decrypt with OAEP-SHA-256 for RSA) and duplicated
  // per JWE, so decryption does not fetch the algorithm each time. Only read after Add().
  detail::PkeyCtxPtr op;
  std::size_t rsa_bytes = 0;  // modulus size of an RSA key
};

namespace detail {

inline constexpr std::size_t kCekBytes = 32;    // A256GCM
inline constexpr std::size_t kGcmIvBytes = 12;  // RFC 7518 §5.3: 96-bit IV
inline constexpr std::size_t kGcmTagBytes = 16;
inline constexpr std::string_view kEnc = "A256GCM";

// kInvalidEncryptedData with a fixed message.
tl::unexpected<core::Error> InvalidJwe(std::string message);

// Concat KDF (NIST SP 800-56A §5.8.1) as RFC 7518 §4.6.2 profiles it: SHA-256,
// AlgorithmID = len32 ‖ algorithm_id, PartyUInfo = len32 ‖ apu, PartyVInfo = len32 ‖ apv,
// SuppPubInfo = key_bits as 32-bit big-endian, no SuppPrivInfo. `key_bits` is a multiple
// of 8 (std::invalid_argument otherwise).
core::SecretBytes ConcatKdf(std::span<const std::uint8_t> z, std::string_view algorithm_id,
                            std::span<const std::uint8_t> apu, std::span<const std::uint8_t> apv,
                            std::size_t key_bits);

// The operation contexts a JweDecryptionKeys::Entry keeps. Throw std::runtime_error.
PkeyCtxPtr PrepareEcdhDerive(EVP_PKEY* private_key);
PkeyCtxPtr PrepareRsaOaepDecrypt(EVP_PKEY* private_key);

// ECDH-ES: the CEK agreed from the header's "epk" (and "apu"/"apv") and the key's private
// part. Fails with kInvalidEncryptedData for an epk that is not a P-256 public key.
core::Result<core::SecretBytes> EcdhEsUnwrap(const boost::json::object& header,
                                             const JweDecryptionKeys::Entry& key);

// RSA-OAEP-256: the CEK unwrapped from `encrypted_key`, which has the modulus size. When
// OAEP decoding fails or yields other than 32 bytes, a random CEK is returned instead, so
// the failure surfaces only as the tag check failing, with the same error as any other
// tampering (RFC 7516 §11.5: no oracle on the key unwrap).
core::SecretBytes RsaOaepUnwrap(std::span<const std::uint8_t> encrypted_key,
                                const JweDecryptionKeys::Entry& key);

// AES-256-GCM with a 12-byte IV and 16-byte tag. Open returns nothing when the tag does
// not authenticate (the partial plaintext is wiped).
struct GcmSealed {
  std::vector<std::uint8_t> iv;
  std::vector<std::uint8_t> ciphertext;
  std::vector<std::uint8_t> tag;
};
GcmSealed AesGcmSeal(const core::SecretBytes& cek, std::string_view aad,
                     std::span<const std::uint8_t> plaintext);
std::optional<core::SecretBytes> AesGcmOpen(const core::SecretBytes& cek,
                                            std::span<const std::uint8_t> iv, std::string_view aad,
                                            std::span<const std::uint8_t> ciphertext,
                                            std::span<const std::uint8_t> tag);

// The compact serialisation of `header` with `encrypted_key` and `plaintext` sealed under
// `cek` with a fresh random IV; the AAD is the encoded header, as RFC 7516 §5.1 step 14.
std::string SealCompact(const boost::json::object& header,
                        std::span<const std::uint8_t> encrypted_key, const core::SecretBytes& cek,
                        std::span<const std::uint8_t> plaintext);

// {"alg", "enc":"A256GCM"[, "kid"]}: the start of every header c2p writes.
boost::json::object StartHeader(std::string_view alg, std::string_view kid);

}  // namespace detail
}  // namespace c2p::jose
