#pragma once
// The keys that protect card and personal data at rest: PAN encryption keys by version,
// and the key of the PAN index. Built once at start-up from the configuration (keys.pan[]
// and keys.pan_hmac: oct JWKs, the version being the kid), immutable afterwards and safe
// to share between threads.
//
// Rotation: configure the new key first and keep the old ones after it. Seal uses the
// first (current) version; Open takes any configured version. Once every row is resealed
// (SealedVersion tells which are not), the old key can be removed.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/secret_bytes.hpp"
#include "jose/hmac.hpp"

namespace c2p::vault {

struct VaultKey {
  std::string version;    // the JWK's kid: 1..64 printable ASCII characters, no space
  core::SecretBytes key;  // AES-256: 32 bytes
};

class KeyRing {
 public:
  // `keys` in configuration order, current first. Fails with kConfigInvalid (the message
  // names the version at fault, never key bytes): no key; a version that is empty, longer
  // than 64 or not printable ASCII; the same version twice; a key that is not 32 bytes;
  // an index key shorter than 32 bytes. Also fetches the OpenSSL algorithms, so a broken
  // installation fails here (std::runtime_error) and not on the first request.
  static core::Result<KeyRing> Create(std::vector<VaultKey> keys, core::SecretBytes index_key);

  KeyRing(KeyRing&&) noexcept;
  KeyRing& operator=(KeyRing&&) noexcept;
  ~KeyRing();

  // The version Seal uses.
  const std::string& current_version() const { return keys_.front().version; }
  // The key of `version`, nullptr when it is not configured.
  const core::SecretBytes* Find(std::string_view version) const;

  // Internal to src/vault: the PAN index MAC, keyed once at Create (pan_index.cpp).
  const jose::HmacSha256& index_mac() const { return *index_mac_; }

 private:
  KeyRing(std::vector<VaultKey> keys, std::unique_ptr<jose::HmacSha256> index_mac);

  std::vector<VaultKey> keys_;
  std::unique_ptr<jose::HmacSha256> index_mac_;
};

}  // namespace c2p::vault
