#include "vault/key_ring.hpp"

#include <algorithm>
#include <stdexcept>

#include "vault/aes_gcm.hpp"

namespace c2p::vault {

namespace {

constexpr std::size_t kMaxVersionBytes = 64;
constexpr std::size_t kMinIndexKeyBytes = 32;

bool IsVersionText(std::string_view version) {
  return !version.empty() && version.size() <= kMaxVersionBytes &&
         std::all_of(version.begin(), version.end(), [](char c) { return c > ' ' && c <= '~'; });
}

tl::unexpected<core::Error> Invalid(std::string message) {
  return core::Fail(core::ErrorCode::kConfigInvalid, std::move(message));
}

}  // namespace

core::Result<KeyRing> KeyRing::Create(std::vector<VaultKey> keys, core::SecretBytes index_key) {
  if (keys.empty()) return Invalid("keys.pan: at least one PAN encryption key is needed");
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const VaultKey& k = keys[i];
    // The version goes into every sealed value and into messages: it must be short and
    // printable. It is a kid, not key material, so naming it is safe.
    if (!IsVersionText(k.version)) {
      return Invalid("keys.pan: each key needs a kid of 1 to 64 printable characters");
    }
    if (k.key.size() != kAesKeyBytes) {
      return Invalid("keys.pan: key " + k.version + " is not a 256-bit key");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (keys[j].version == k.version) {
        return Invalid("keys.pan: kid " + k.version + " appears twice");
      }
    }
  }
  if (index_key.size() < kMinIndexKeyBytes) {
    return Invalid("keys.pan_hmac: the PAN index key needs at least 256 bits");
  }
  PrepareAesGcm();
  auto mac = std::make_unique<jose::HmacSha256>(index_key.view());
  return KeyRing(std::move(keys), std::move(mac));
}

KeyRing::KeyRing(std::vector<VaultKey> keys, std::unique_ptr<jose::HmacSha256> index_mac)
    : keys_(std::move(keys)), index_mac_(std::move(index_mac)) {}

KeyRing::KeyRing(KeyRing&&) noexcept = default;
KeyRing& KeyRing::operator=(KeyRing&&) noexcept = default;
KeyRing::~KeyRing() = default;

const core::SecretBytes* KeyRing::Find(std::string_view version) const {
  const auto it = std::find_if(keys_.begin(), keys_.end(),
                               [&](const VaultKey& k) { return k.version == version; });
  return it == keys_.end() ? nullptr : &it->key;
}

}  // namespace c2p::vault
