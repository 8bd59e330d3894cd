#pragma once
// The kinds of key c2p uses and how each is generated into its key file, in the format
// c2p's configuration expects. Shared by `c2pctl keys generate` and `c2pd sandbox`.

#include <array>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "jose/key_file.hpp"

namespace c2p::jose {

enum class KeyKind {
  kIssuerSigning,  // P-256 JWK, "use":"sig","alg":"ES256": an issuer's assertions and batches
  kJwe,            // P-256 JWK, "use":"enc","alg":"ECDH-ES": c2p's JWE decryption key
  kPan,            // oct JWK, 32 bytes, "alg":"A256GCM": PAN encryption at rest
  kPanHmac,        // oct JWK, 32 bytes, "alg":"HS256": the PAN index
  kTokenMac,       // oct JWK, 32 bytes, "alg":"HS256": c2p's access tokens
  kWebhook,        // text `whsec_<base64 of 32 bytes>` (Standard Webhooks)
};

// The command-line names, in KeyKind order: issuer-signing, jwe, pan, pan-hmac, token-mac,
// webhook.
inline constexpr std::array<std::string_view, 6> kKeyKindNames = {
    "issuer-signing", "jwe", "pan", "pan-hmac", "token-mac", "webhook"};

std::string_view KeyKindName(KeyKind kind);
// Fails with kConfigInvalid for a name not in kKeyKindNames.
core::Result<KeyKind> ParseKeyKind(std::string_view name);
// True for the EC kinds, which have a public JWK to hand out.
bool KeyKindHasPublicKey(KeyKind kind);
// False for the webhook secret, which is not a JWK and has no kid.
bool KeyKindHasKid(KeyKind kind);

// Generates a fresh key of `kind` and writes it to `out` (mode 0600). For EC kinds, also
// writes the public JWK to `public_out` (mode 0644) when it is not empty.
//
// `kid` empty means the default: the RFC 7638 thumbprint for EC keys, a random id for
// oct keys. A given kid must match [A-Za-z0-9_-]{1,64}. Returns the kid written (empty
// for the webhook secret).
//
// With Overwrite::kRefuse (the default), nothing is written if either file exists.
// Fails with kConfigInvalid for a request that makes no sense (public_out or kid for a
// kind without one, out == public_out) and kIo for file system failures; if the public
// file cannot be written, the private one just written is removed again.
core::Result<std::string> GenerateKeyFile(KeyKind kind, const std::filesystem::path& out,
                                          std::string_view kid = {},
                                          const std::filesystem::path& public_out = {},
                                          Overwrite overwrite = Overwrite::kRefuse);

}  // namespace c2p::jose
