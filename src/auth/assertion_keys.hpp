#pragma once
// Loading an issuer's onboarded assertion keys: one P-256 public key per file, as a JWK or
// as PEM. A JWK keeps its own kid; a PEM key (or a JWK without one) is known by its
// RFC 7638 thumbprint, which the issuer puts in the assertion's "kid" header.

#include <filesystem>

#include "core/error.hpp"
#include "jose/jws.hpp"

namespace c2p::auth {

// Fails with kConfigInvalid / kIo, naming the path, never the content. A JWK marked
// "use":"enc" or with an "alg" other than ES256 is refused: keys are pinned to ES256.
core::Result<jose::VerificationKey> LoadAssertionKey(const std::filesystem::path& path);

}  // namespace c2p::auth
