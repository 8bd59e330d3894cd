// The registry's pieces below the routes: path parameters, sealed fields (bound to their
// row, under the current key), and the wire views. The routes themselves are driven
// over real sockets by tests/e2e/registry_e2e_test.cpp.

#include <openssl/rand.h>

#include <gtest/gtest.h>
#include <boost/json/serialize.hpp>

#include "api/registry_params.hpp"
#include "api/registry_views.hpp"
#include "vault/seal.hpp"
#include "vault/sealed_fields.hpp"

namespace c2p::api {
namespace {

using core::ErrorCode;

core::SecretBytes RandomKey() {
  core::SecretBytes key(32);
  if (RAND_bytes(key.data(), 32) != 1) std::abort();
  return key;
}

// Current key first, as vault::KeyRing takes them.
vault::KeyRing TwoVersionRing() {
  std::vector<vault::VaultKey> keys;
  keys.push_back({"v2", RandomKey()});
  keys.push_back({"v1", RandomKey()});
  return std::move(*vault::KeyRing::Create(std::move(keys), RandomKey()));
}

TEST(RegistryParams, RefuseIdsBreakingTheirPatternWithTheFieldNamed) {
  EXPECT_TRUE(CheckPathId(PathId::kCardId, "crd_1-A"));
  EXPECT_TRUE(CheckPathId(PathId::kConsumerId, std::string(64, 'c')));
  auto long_card = CheckPathId(PathId::kCardId, std::string(49, 'c'));
  ASSERT_FALSE(long_card);
  EXPECT_EQ(long_card.error().code, ErrorCode::kFieldInvalidFormat);
  EXPECT_EQ(long_card.error().field, "/cardId");
  for (const char* bad : {"", "a b", "a%20", "a.b", "ä"}) {
    auto r = CheckPathId(PathId::kConsumerId, bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().field, "/consumerId");
  }
}

class SealedFieldsTest : public ::testing::Test {
 protected:
  vault::KeyRing ring_ = TwoVersionRing();
};

TEST_F(SealedFieldsTest, CardFieldsOpenOnlyInTheirOwnRow) {
  domain::CardData data{core::SecretBytes(std::string_view("4111111111111111")),
                        {2031, 12},
                        core::SecretBytes(std::string_view("JANE DOE"))};
  const vault::SealedCard sealed = vault::SealCard(ring_, "ISSUER0001", "crd_1", data);
  EXPECT_EQ(vault::SealedVersion(sealed.pan).value(), "v2");  // the current key
  store::CardRecord row;
  row.issuer_id = "ISSUER0001";
  row.card_id = "crd_1";
  row.exp = sealed.exp;
  row.name = sealed.name;
  EXPECT_EQ(vault::OpenExpiry(ring_, row).value(), (domain::CardExpiry{2031, 12}));
  EXPECT_EQ(vault::OpenName(ring_, row).value()->as_text(), "JANE DOE");
  // The PAN's digits are nowhere in the blob.
  const std::string pan_blob(sealed.pan.begin(), sealed.pan.end());
  EXPECT_EQ(pan_blob.find("4111111111111111"), std::string::npos);
  row.card_id = "crd_2";  // copied into another card's row
  auto moved = vault::OpenExpiry(ring_, row);
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code, ErrorCode::kInternal);
}

TEST_F(SealedFieldsTest, PersonalInformationRoundTripsAndIsBoundToItsConsumer) {
  domain::PersonalInformation info;
  info.consumer.first_name = "Jane";
  info.consumer.email = "jane.doe@example.com";
  const store::Blob blob = vault::SealPersonalInformation(ring_, "ISSUER0001", "cons_1", info);
  const std::string raw(blob.begin(), blob.end());
  EXPECT_EQ(raw.find("jane.doe"), std::string::npos);
  EXPECT_EQ(vault::OpenPersonalInformation(ring_, "ISSUER0001", "cons_1", blob).value(), info);
  EXPECT_FALSE(vault::OpenPersonalInformation(ring_, "ISSUER0002", "cons_1", blob));
}

TEST(RegistryViews, CardViewAndOperationObject) {
  store::CardRecord card;
  card.card_id = "crd_1";
  card.consumer_id = "cons_1";
  card.card_product_id = "VISA_CLASSIC";
  card.state = "ACTIVE";
  card.network = "VISA";
  card.pan_last4 = "1111";
  auto view = CardView(card, {2028, 12});
  EXPECT_EQ(boost::json::serialize(view),
            R"({"cardId":"crd_1","consumerId":"cons_1","cardProductId":"VISA_CLASSIC",)"
            R"("state":"ACTIVE","network":"VISA","panLast4":"1111","exp":"12/28",)"
            R"("clickToPay":{"status":"NOT_ENROLLED"}})");

  auto op = MakeOperation({.type = domain::OperationType::kSuspend,
                           .issuer = "ISSUER0001",
                           .card_id = std::string("crd_1"),
                           .reason = std::string("lost"),
                           .reason_code = domain::ReasonCode::kUserDecision});
  EXPECT_EQ(op.operation_id.size(), 33u);  // "op_" + creation time + 128 bits
  auto json = OperationJson(op);
  EXPECT_EQ(json.at("operation"), "SUSPEND");
  EXPECT_EQ(json.at("status"), "SUCCESSFUL");
  EXPECT_EQ(json.at("requestorType"), "ISSUER");
  EXPECT_EQ(json.at("requestorId"), "ISSUER0001");
  EXPECT_EQ(json.at("reasonCode"), "USER_DECISION");
  EXPECT_EQ(json.at("startTime"), json.at("endTime"));
  EXPECT_FALSE(json.contains("consumerId"));
  EXPECT_EQ(OperationResult(op).status, http::Status::ok);

  auto pending = MakeOperation(
      {.type = domain::OperationType::kDelete, .issuer = "ISSUER0001", .complete = false});
  auto reply = OperationResult(pending);
  EXPECT_EQ(reply.status, http::Status::accepted);
  ASSERT_EQ(reply.headers.size(), 1u);
  EXPECT_EQ(reply.headers[0].second,
            "/banking/v1/issuers/ISSUER0001/operations/" + pending.operation_id);
  EXPECT_FALSE(OperationJson(pending).contains("endTime"));
}

}  // namespace
}  // namespace c2p::api
