// libFuzzer target for compact JWE: jose::DecryptJwe on arbitrary input, against a key set
// generated once per process: a P-256 ECDH-ES key ("fuzz-ec") and a 2048-bit RSA-OAEP-256
// key ("fuzz-rsa"), the kids the seed corpus uses so inputs reach the key agreement, the
// RSA unwrap and the AES-GCM tag check.
//
// Findings (abort, so libFuzzer keeps the input):
//  - a crash or sanitizer report;
//  - a successful decryption: the seeds were encrypted to other keys, and forging an
//    AES-GCM tag for a key the fuzzer cannot know means authentication was skipped;
//  - a refusal with an error code other than kInvalidEncryptedData, or a message that
//    quotes the input.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "fuzz/finding_rules.hpp"
#include "jose/jwe.hpp"
#include "jose/jwk.hpp"
#include "jose/rsa_key.hpp"

namespace {

namespace jose = c2p::jose;

// The characters of every fixed jose error message. An input made only of them can be a
// piece of a fixed message (libFuzzer's comparison hooks find those), so quoting is only
// recognisable in longer inputs with at least one other character ('.', '_', ...).
constexpr std::string_view kMessageAlphabet =
    " ()-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr c2p::fuzz::FindingRules kRules{"jwe_compact_fuzz", kMessageAlphabet, 16};

const jose::JweDecryptionKeys& GetKeys() {
  static const jose::JweDecryptionKeys keys = [] {
    jose::EcKey ec = jose::EcKey::Generate();
    ec.set_kid("fuzz-ec");
    jose::RsaKey rsa = jose::RsaKey::Generate(2048);
    rsa.set_kid("fuzz-rsa");
    jose::JweDecryptionKeys set;
    if (!set.AddEcdhEs(ec) || !set.AddRsaOaep256(rsa)) kRules.Die("cannot build the key set");
    return set;
  }();
  return keys;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto plaintext = jose::DecryptJwe(input, GetKeys());
  if (plaintext) kRules.Die("a JWE decrypted under keys no input could have been encrypted to");
  if (plaintext.error().code != c2p::core::ErrorCode::kInvalidEncryptedData) {
    kRules.Die("a JWE refusal with an error code other than kInvalidEncryptedData");
  }
  if (kRules.Quotes(plaintext.error().message, input)) {
    kRules.Die("a JWE error message quotes the input");
  }
  return 0;
}
