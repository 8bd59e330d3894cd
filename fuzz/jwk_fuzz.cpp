// libFuzzer target for JWK import: strict JSON, then jose::EcKey::FromJwk, OctKey::FromJwk
// and RsaKey::FromJwk on the same object (issuers' assertion keys, the networks' keys and
// the JWE header's `epk` all arrive this way).
//
// Findings (abort, so libFuzzer keeps the input):
//  - a crash or sanitizer report;
//  - a refusal with a code other than kFieldInvalidFormat, without a JSON-pointer field, or
//    quoting the input;
//  - an accepted key that does not read back as the same key from its own JWK (EC and RSA:
//    the same RFC 7638 thumbprint; oct: the same JWK);
//  - an accepted RSA key whose JWK does not carry the very n and e strings it was read from
//    (both must be the minimal Base64urlUInt, so there is one encoding).
//
// OpenSSL's RSA public check (SP 800-56B) runs Miller-Rabin with random bases on n. For a
// modulus with a small-ish prime factor p (say 3631, just above its trial division) a base
// finds that factor with probability gcd(p-1, n-1)/(p-1) per round, so the same n may pass
// once and fail the next time. Real keys (two large primes) are unaffected. The RSA read-back
// therefore allows a refusal of n by that check; any other refusal is a finding.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "core/error.hpp"
#include "core/strict_json.hpp"
#include "fuzz/finding_rules.hpp"
#include "jose/jwk.hpp"
#include "jose/rsa_key.hpp"

namespace {

namespace jose = c2p::jose;

constexpr std::string_view kMessageAlphabet =
    " ()-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr c2p::fuzz::FindingRules kRules{"jwk_fuzz", kMessageAlphabet, 16};

void CheckRefusal(const c2p::core::Error& error, std::string_view input) {
  if (error.code != c2p::core::ErrorCode::kFieldInvalidFormat) {
    kRules.Die("a JWK refused with another code");
  }
  if (!error.field.empty() && error.field.front() != '/') kRules.Die("field is not a pointer");
  if (kRules.Quotes(error.message, input)) kRules.Die("the message quotes the input");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = c2p::core::ParseStrictJson(text);
  if (!parsed || !parsed->is_object()) return 0;
  const boost::json::object& jwk = parsed->as_object();

  if (auto ec = jose::EcKey::FromJwk(jwk); ec) {
    auto again = jose::EcKey::FromJwk(ec->ToPublicJwk());
    if (!again || again->Thumbprint() != ec->Thumbprint()) {
      kRules.Die("an EC key does not read back from its own JWK");
    }
  } else {
    CheckRefusal(ec.error(), text);
  }
  if (auto oct = jose::OctKey::FromJwk(jwk); oct) {
    auto again = jose::OctKey::FromJwk(oct->ToJwk());
    if (!again || boost::json::serialize(again->ToJwk()) != boost::json::serialize(oct->ToJwk())) {
      kRules.Die("an oct key does not read back from its own JWK");
    }
  } else {
    CheckRefusal(oct.error(), text);
  }
  if (auto rsa = jose::RsaKey::FromJwk(jwk); rsa) {
    const boost::json::object written = rsa->ToPublicJwk();
    if (written.at("n") != jwk.at("n") || written.at("e") != jwk.at("e")) {
      kRules.Die("an RSA key's JWK does not carry the n and e it was read from");
    }
    auto again = jose::RsaKey::FromJwk(written);
    if (again ? again->Thumbprint() != rsa->Thumbprint() : again.error().field != "/n") {
      kRules.Die("an RSA key does not read back from its own JWK");
    }
  } else {
    CheckRefusal(rsa.error(), text);
  }
  return 0;
}
