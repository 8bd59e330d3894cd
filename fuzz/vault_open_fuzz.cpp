// libFuzzer target for src/vault: Open on arbitrary blobs, and Seal/Open round trips on
// arbitrary plaintexts. The keys are drawn at random once per process, so no input can
// have been sealed under them.
//
// The first byte picks the mode:
//  - even: the rest is a blob. Findings: it opens (a forged tag, or authentication
//    skipped); a refusal that is not kInternal or whose message is not one of the three
//    fixed ones; SealedVersion and Open disagreeing about whether the header is well formed;
//  - odd: the rest is a plaintext. Findings: Seal + Open does not give it back; the blob
//    is not reported as sealed with the current version; the blob with one byte flipped
//    (position chosen by the input) still opens.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string_view>
#include <vector>

#include <openssl/rand.h>

#include "vault/key_ring.hpp"
#include "vault/seal.hpp"

namespace {

namespace vault = c2p::vault;
namespace core = c2p::core;

constexpr std::string_view kAad = "fuzz associated data";

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "vault_open_fuzz: FINDING: %s\n", what);
  std::abort();
}

core::SecretBytes RandomKey() {
  core::SecretBytes key(32);
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) Die("no entropy");
  return key;
}

// Versions the seed corpus names, so inputs reach the tag check.
const vault::KeyRing& Ring() {
  static const vault::KeyRing ring = [] {
    std::vector<vault::VaultKey> keys;
    keys.push_back({"v2", RandomKey()});
    keys.push_back({"v1", RandomKey()});
    auto created = vault::KeyRing::Create(std::move(keys), RandomKey());
    if (!created) Die("cannot build the key ring");
    return std::move(*created);
  }();
  return ring;
}

bool IsFixedMessage(std::string_view message) {
  return message == "sealed value is malformed" ||
         message == "sealed value names a key version that is not configured" ||
         message == "sealed value failed authentication";
}

void OpenArbitrary(std::span<const std::uint8_t> blob) {
  auto opened = vault::Open(Ring(), blob, kAad);
  if (opened) Die("an arbitrary blob opened");
  if (opened.error().code != core::ErrorCode::kInternal) Die("refusal with another code");
  if (!IsFixedMessage(opened.error().message)) Die("refusal with an unexpected message");
  const bool malformed = opened.error().message == "sealed value is malformed";
  if (malformed == static_cast<bool>(vault::SealedVersion(blob))) {
    Die("SealedVersion and Open disagree about the header");
  }
}

void RoundTrip(std::span<const std::uint8_t> plaintext, std::uint8_t flip_seed) {
  const vault::SealedBlob blob = vault::Seal(Ring(), plaintext, kAad);
  auto version = vault::SealedVersion(blob);
  if (!version || *version != Ring().current_version()) Die("sealed with another version");
  auto opened = vault::Open(Ring(), blob, kAad);
  if (!opened) Die("a sealed value does not open");
  if (!std::equal(plaintext.begin(), plaintext.end(), opened->data(),
                  opened->data() + opened->size()) ||
      opened->size() != plaintext.size()) {
    Die("a sealed value opens to something else");
  }
  vault::SealedBlob altered = blob;
  altered[flip_seed % altered.size()] ^= static_cast<std::uint8_t>(1 + (flip_seed >> 5));
  if (vault::Open(Ring(), altered, kAad)) Die("an altered blob opened");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::span<const std::uint8_t> rest(data + 1, size - 1);
  if ((data[0] & 1) == 0) {
    OpenArbitrary(rest);
  } else {
    RoundTrip(rest, data[0]);
  }
  return 0;
}
