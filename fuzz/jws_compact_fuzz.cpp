// libFuzzer target for compact JWS: jose::PeekJwsHeader and jose::VerifyJws (attached and
// detached) on arbitrary input, against keys generated once per process and pinned to
// ES256 (with and without a kid), PS256 and RS256.
//
// Findings (abort, so libFuzzer keeps the input):
//  - a crash or sanitizer report;
//  - a successful verification: the keys exist only in this process, so no input can
//    carry a valid signature, and an accepted one means a check was skipped;
//  - a refusal with an error code other than kFieldInvalidFormat, or a message that quotes
//    the input;
//  - VerifyJws disagreeing with PeekJwsHeader on an input whose header cannot be read.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "fuzz/finding_rules.hpp"
#include "jose/jwk.hpp"
#include "jose/jws.hpp"
#include "jose/rsa_key.hpp"

namespace {

namespace jose = c2p::jose;

// The characters of every fixed jose error message. An input made only of them can be a
// piece of a fixed message (libFuzzer's comparison hooks find those), so quoting is only
// recognisable in longer inputs with at least one other character ('.', '_', ...).
constexpr std::string_view kMessageAlphabet =
    " ()-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr c2p::fuzz::FindingRules kRules{"jws_compact_fuzz", kMessageAlphabet, 16};

struct Keys {
  jose::EcKey ec = jose::EcKey::Generate();
  jose::EcKey ec_with_kid = [] {
    jose::EcKey key = jose::EcKey::Generate();
    key.set_kid("fuzz-ec");
    return key;
  }();
  jose::RsaKey rsa = jose::RsaKey::Generate(2048);
  jose::VerificationKey es256 = *jose::VerificationKey::Es256(ec);
  jose::VerificationKey es256_kid = *jose::VerificationKey::Es256(ec_with_kid);
  jose::VerificationKey ps256 = *jose::VerificationKey::Ps256(rsa);
  jose::VerificationKey rs256 = *jose::VerificationKey::Rs256(rsa);
};

const Keys& GetKeys() {
  static const Keys keys;
  return keys;
}

void CheckRefusal(const c2p::core::Error& error, std::string_view input) {
  if (error.code != c2p::core::ErrorCode::kFieldInvalidFormat) {
    kRules.Die("a JWS refusal with an error code other than kFieldInvalidFormat");
  }
  if (kRules.Quotes(error.message, input)) {
    kRules.Die("a JWS error message quotes the input");
  }
}

void MustRefuse(std::string_view input, const jose::VerificationKey& key,
                std::optional<std::string_view> detached) {
  auto verified = jose::VerifyJws(input, key, detached);
  if (verified) kRules.Die("a JWS verified with a key no input could have been signed with");
  CheckRefusal(verified.error(), input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Keys& keys = GetKeys();
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  auto header = jose::PeekJwsHeader(input);
  if (!header) {
    CheckRefusal(header.error(), input);
    // Verification reads the header the same way first, so it must fail the same way.
    auto verified = jose::VerifyJws(input, keys.es256);
    if (verified || verified.error().message != header.error().message) {
      kRules.Die("VerifyJws and PeekJwsHeader disagree on an unreadable header");
    }
    return 0;
  }

  MustRefuse(input, keys.es256, std::nullopt);
  MustRefuse(input, keys.es256_kid, std::nullopt);
  MustRefuse(input, keys.ps256, std::nullopt);
  MustRefuse(input, keys.rs256, std::nullopt);
  MustRefuse(input, keys.es256, std::string_view("{}"));
  MustRefuse(input, keys.es256_kid, input);
  return 0;
}
