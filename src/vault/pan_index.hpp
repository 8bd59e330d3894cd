#pragma once
// The PAN index: how the store finds a card by PAN without holding the PAN (spec/api.md
// §4.4: PAN_ALREADY_REGISTERED, PAN_RETIRED).
//
// PanIndex = lowercase hex of HMAC-SHA-256(index key, len(issuerId) || issuerId || PAN),
// len being two bytes big-endian. The issuer is inside the MAC, so:
//  - PAN uniqueness is per issuer, as §4.4 defines it: the same PAN at two issuers gives
//    two unrelated indexes and never collides;
//  - a leaked table cannot link one cardholder's cards across issuers.
// Hex rather than base64url because it survives case-insensitive collations and is
// what SQL tools show; 64 characters.
//
// Unlike the encryption keys, the index key cannot rotate by version: changing it means
// recomputing every index from the decrypted PANs.

#include <string>
#include <string_view>

#include "core/secret_bytes.hpp"
#include "vault/key_ring.hpp"

namespace c2p::vault {

// Deterministic for a ring's index key. The PAN is only read, never copied. Throws
// std::runtime_error if OpenSSL fails; issuer ids longer than 65535 bytes are a bug
// (std::length_error).
std::string PanIndex(const KeyRing& ring, std::string_view issuer_id, const core::SecretBytes& pan);

}  // namespace c2p::vault
