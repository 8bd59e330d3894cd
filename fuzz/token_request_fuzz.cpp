// libFuzzer target for the token endpoint's input: api::ParseTokenRequest (form and JSON
// bodies) and auth::AssertionVerifier::Verify / ClaimedIssuer on whatever assertion comes
// out, against issuer keys generated once per process.
//
// Findings (abort, so libFuzzer keeps the input):
//  - a crash or sanitizer report;
//  - a granted assertion: the issuers' private keys exist only in this process, so no
//    input can carry a valid signature;
//  - a refusal without a description, or an invalid_request/unsupported_grant_type from
//    the verifier (it only ever says invalid_grant).
// The first input byte picks form or JSON; the rest is the body.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "api/token_request.hpp"
#include "auth/assertion.hpp"
#include "jose/jwk.hpp"

namespace {

namespace auth = c2p::auth;
namespace jose = c2p::jose;

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "token_request_fuzz: FINDING: %s\n", what);
  std::abort();
}

auth::AssertionVerifier& Verifier() {
  static auth::AssertionVerifier verifier = [] {
    jose::EcKey a = jose::EcKey::Generate();
    a.set_kid("k1");
    jose::EcKey b = jose::EcKey::Generate();
    b.set_kid("k1");
    std::vector<auth::IssuerAssertionKeys> issuers;
    issuers.push_back({"ISSUER0001", {*jose::VerificationKey::Es256(a)}});
    issuers.push_back({"ISSUER0002", {*jose::VerificationKey::Es256(b)}});
    return auth::AssertionVerifier(std::move(issuers), auth::AssertionPolicy{.audience = "c2p"});
  }();
  return verifier;
}

// A fixed time, so a run is reproducible: 2026-01-17T06:28:02Z.
const c2p::core::SystemTime kNow = c2p::core::FromUnixMillis(1'768'631'282'000);

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto type =
      (data[0] & 1) != 0 ? c2p::api::TokenBodyType::kJson : c2p::api::TokenBodyType::kForm;
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);

  auto request = c2p::api::ParseTokenRequest(type, body);
  if (!request) {
    if (request.error().description.empty()) Die("refusal without a description");
    // The assertion verifier is fuzzed on the raw body too: most interesting inputs for
    // it are not valid form encoding.
  }
  const std::string_view assertion = request ? std::string_view(request->assertion) : body;
  (void)Verifier().ClaimedIssuer(assertion);
  auto issuer = Verifier().Verify(assertion, kNow);
  if (issuer) Die("an assertion was granted without a valid signature");
  if (issuer.error().error != auth::GrantError::kInvalidGrant)
    Die("verifier said other than invalid_grant");
  if (issuer.error().description.empty()) Die("grant refusal without a description");
  return 0;
}
