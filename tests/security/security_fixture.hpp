#pragma once
// The security suites' c2pd (guide/quality.md S1–S7): the Click to Pay fixture (a real
// c2pd wired to a real c2psim, two issuers) plus a batch spool for each issuer, so every
// route of the router has something real behind it, and signed batch files.

#include <filesystem>
#include <string>

#include "jose/jcs.hpp"
#include "tests/e2e/enrol_fixture.hpp"

namespace c2p::testing {

class SecurityE2e : public EnrolE2e {
 protected:
  static void SetUpTestSuite() {
    issuer_a_extra_ = "spool_dir = \"spool-a\"\n";
    issuer_b_extra_ = "spool_dir = \"spool-b\"\n";
    suite_extra_ = "[batch]\npoll_ms = 50\nsettle_ms = 200\nmax_file_mb = 1\n";
    EnrolE2e::SetUpTestSuite();
  }
  static void TearDownTestSuite() {
    EnrolE2e::TearDownTestSuite();
    issuer_a_extra_.clear();
    suite_extra_.clear();
  }

  static std::string Batches(const std::string& issuer) {
    return "/banking/v2/issuers/" + issuer + "/batches";
  }

  // A batch file of one record (a consumer, with `personal_information` if given, and one
  // Visa card with `pan`), its header naming `header_issuer`, signed with `signer`'s key
  // (spec/batch.md §2).
  static std::string BatchFile(const std::string& batch_id, const std::string& header_issuer,
                               const std::string& signer, const std::string& consumer,
                               const std::string& card, const std::string& pan,
                               const json::value& personal_information = nullptr) {
    json::object header{{"batchId", batch_id},
                        {"seqNumber", "1"},
                        {"issuerId", header_issuer},
                        {"operation", "CONSUMER_CARD_REGISTRATION"}};
    json::array cards{json::object{
        {"cardId", card}, {"cardProductId", "VISA_CLASSIC"}, {"encryptedData", Jwe(pan)}}};
    json::object request{{"consumerId", consumer}, {"cards", std::move(cards)}};
    if (!personal_information.is_null()) request["personalInformation"] = personal_information;
    json::array records{
        json::object{{"rowId", 1}, {"consumerAndCardRegistrationRequest", std::move(request)}}};
    json::object payload{{"header", std::move(header)}, {"records", std::move(records)}};
    auto canonical = jose::Canonicalize(payload);
    EXPECT_TRUE(canonical);
    jose::JwsSignOptions options;
    options.kid = signer == kIssuerA ? "a-key" : "b-key";
    options.detached = true;
    auto key = jose::EcKey::FromJwk(
        *jose::ReadJwkFile(dir_ + "/" + (signer == kIssuerA ? "a.jwk" : "b.jwk")));
    payload["signature"] = jose::SignEs256(canonical ? *canonical : std::string{}, *key, options);
    return json::serialize(payload);
  }
};

}  // namespace c2p::testing
