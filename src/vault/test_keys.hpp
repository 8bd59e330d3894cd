#pragma once
// Test helpers for src/vault: rings built from fixed or random keys.

#include <string>
#include <utility>
#include <vector>

#include <openssl/rand.h>

#include "core/secret_bytes.hpp"
#include "vault/key_ring.hpp"

namespace c2p::vault::testing {

inline core::SecretBytes RandomKey(std::size_t size = 32) {
  core::SecretBytes key(size);
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) std::abort();
  return key;
}

inline VaultKey Key(std::string version, const core::SecretBytes& bytes) {
  return VaultKey{std::move(version), bytes.Clone()};
}

// A ring of the given (version, key) pairs, current first, with `index_key`.
inline KeyRing Ring(std::vector<std::pair<std::string, const core::SecretBytes*>> keys,
                    const core::SecretBytes& index_key) {
  std::vector<VaultKey> ring_keys;
  for (auto& [version, bytes] : keys) ring_keys.push_back(Key(version, *bytes));
  auto ring = KeyRing::Create(std::move(ring_keys), index_key.Clone());
  if (!ring) std::abort();
  return std::move(*ring);
}

}  // namespace c2p::vault::testing
