#pragma once
// Builds the registry's context (registry::RegistryContext) from the configuration: the PAN
// key ring, c2p's JWE decryption keys, the card products and each issuer's personal data
// mode and auto-enrolment. Keys are read once, here, at start-up; `c2pd check-config` runs the same
// loading.

#include <memory>

#include "app/config.hpp"
#include "registry/registry_context.hpp"
#include "vault/key_ring.hpp"

namespace c2p::app {

// The PAN key ring of `keys`. docs/configuration.md lists pan keys oldest first (the last
// one encrypts); vault::KeyRing takes the current key first, hence the reversal here.
core::Result<vault::KeyRing> LoadPanKeyRing(const KeysConfig& keys);

core::Result<std::unique_ptr<registry::RegistryContext>> BuildRegistryContext(const Config& config,
                                                                              store::Store& store);

}  // namespace c2p::app
