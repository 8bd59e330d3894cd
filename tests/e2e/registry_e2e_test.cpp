// The consumers & cards registry of spec/api.md §4 against a real c2pd: each rule of the
// issue as one test, over the socket, with real tokens and real JWE card data.

#include "tests/e2e/registry_fixture.hpp"

namespace c2p::testing {
namespace {

using RegistryRulesE2e = RegistryE2e;

TEST_F(RegistryRulesE2e, ConsumerPutCreatesReplacesAndIsIdempotent) {
  const std::string path = Consumer(kIssuerA, "cons_put");
  auto created = Call("PUT", path, kInfo);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Body(created), (json::object{{"consumerId", "cons_put"}, {"state", "ACTIVE"}}));
  auto again = Call("PUT", path, kInfo);
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM operations WHERE consumer_id = 'cons_put' AND "
                     "operation = 'REGISTER' AND requestor_type = 'ISSUER'"),
            1);
  // Stored encrypted, returned on GET.
  auto got = Call("GET", path);
  ASSERT_EQ(got.status, 200) << got.body;
  auto body = Body(got);
  EXPECT_EQ(body.at("personalInformation").at("email"), "jane.rules@example.com");
  EXPECT_EQ(body.at("cardIds"), json::array{});
  // A state-only PUT keeps the personal information and changes the state.
  auto inactive = Call("PUT", path, R"({"state":"INACTIVE"})");
  EXPECT_EQ(inactive.status, 200);
  EXPECT_EQ(Body(inactive).at("state"), "INACTIVE");
  EXPECT_TRUE(Body(Call("GET", path)).contains("personalInformation"));
  EXPECT_EQ(Call("GET", Consumer(kIssuerA, "cons_nobody")).status, 404);
  EXPECT_EQ(ErrorCodeOf(Call("GET", Consumer(kIssuerA, "cons_nobody"))), "CONSUMER_NOT_FOUND");
}

TEST_F(RegistryRulesE2e, EveryFieldIsValidatedAndNamedByItsPointer) {
  const std::string path = Consumer(kIssuerA, "cons_fields");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"state":"DELETED"})", "/state"},
      {R"({"status":"ACTIVE"})", "/status"},
      {R"({"personalInformation":{"email":"no-at-sign"}})", "/personalInformation/email"},
      {R"({"personalInformation":{"language":"english"}})", "/personalInformation/language"},
      {R"({"personalInformation":{"firstName":""}})", "/personalInformation/firstName"},
      {R"({"personalInformation":{"dateOfBirth":"1990-02-30"}})",
       "/personalInformation/dateOfBirth"},
      {R"({"personalInformation":{"mobilePhoneNumber":{"countryCode":"3a","phoneNumber":"612345678"}}})",
       "/personalInformation/mobilePhoneNumber/countryCode"},
      {R"({"personalInformation":{"billingAddress":{"addressLine1":"x","city":"y","postalCode":"1","countryCode":"XX"}}})",
       "/personalInformation/billingAddress/countryCode"},
      {R"({"personalInformation":{"nickname":"JD"}})", "/personalInformation/nickname"},
  };
  for (const auto& [body, field] : cases) {
    auto r = Call("PUT", path, body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(ErrorCodeOf(r), "FIELD_INVALID_FORMAT") << body;
    EXPECT_EQ(FieldOf(r), field) << body << " -> " << r.body;
  }
  auto dup = Call("PUT", path, R"({"state":"ACTIVE","state":"ACTIVE"})");
  EXPECT_EQ(ErrorCodeOf(dup), "INVALID_JSON");
  auto bad_id = Call("PUT", Consumer(kIssuerA, std::string(65, 'c')), "{}");
  EXPECT_EQ(bad_id.status, 400);
  EXPECT_EQ(FieldOf(bad_id), "/consumerId");
  auto card = Call("PUT", Card(kIssuerA, "crd_fields"),
                   R"({"consumerId":"c 1","cardProductId":"VISA_CLASSIC","encryptedData":"x"})");
  EXPECT_EQ(FieldOf(card), "/consumerId");
  auto unknown = Call(
      "PUT", Card(kIssuerA, "crd_fields"),
      CardBody("cons_fields", Pan("411111000000001"), "VISA_CLASSIC", "1230", R"(,"pan":"x")"));
  EXPECT_EQ(ErrorCodeOf(unknown), "FIELD_INVALID_FORMAT");
  EXPECT_EQ(FieldOf(unknown), "/pan");
  // Nothing was written by any refusal.
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM consumers WHERE consumer_id = 'cons_fields'"), 0);
}

TEST_F(RegistryRulesE2e, FetchIssuerRefusesPersonalInformation) {
  auto r = Call("PUT", Consumer(kIssuerB, "cons_fetch"), kInfo, kIssuerB);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorCodeOf(r), "FIELD_INVALID_FORMAT");
  EXPECT_EQ(FieldOf(r), "/personalInformation");
  EXPECT_EQ(Call("PUT", Consumer(kIssuerB, "cons_fetch"), "{}", kIssuerB).status, 201);
}

TEST_F(RegistryRulesE2e, CardRegistrationRegistersTheConsumerImplicitly) {
  const std::string pan = Pan("411111000000010");
  auto r = Call("PUT", Card(kIssuerA, "crd_implicit"), CardBody("cons_implicit", pan));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Body(r), (json::object{{"cardId", "crd_implicit"},
                                   {"consumerId", "cons_implicit"},
                                   {"cardProductId", "VISA_CLASSIC"},
                                   {"state", "ACTIVE"},
                                   {"network", "VISA"},
                                   {"panLast4", pan.substr(pan.size() - 4)},
                                   {"exp", "12/30"},
                                   {"clickToPay", {{"status", "NOT_ENROLLED"}}}}));
  auto consumer = Call("GET", Consumer(kIssuerA, "cons_implicit"));
  ASSERT_EQ(consumer.status, 200);
  EXPECT_EQ(Body(consumer).at("state"), "ACTIVE");
  EXPECT_FALSE(Body(consumer).contains("personalInformation"));
  EXPECT_EQ(Body(consumer).at("cardIds"), json::array{"crd_implicit"});
  auto view = Call("GET", Card(kIssuerA, "crd_implicit"));
  EXPECT_EQ(Body(view), Body(r));
  auto list = Call("GET", Consumer(kIssuerA, "cons_implicit") + "/cards");
  EXPECT_EQ(Body(list), (json::object{{"cards", json::array{Body(r)}}}));

  // The same registration again (a fresh JWE of the same data): 200, nothing changes.
  auto again = Call("PUT", Card(kIssuerA, "crd_implicit"), CardBody("cons_implicit", pan));
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Body(again), Body(r));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM operations WHERE card_id = 'crd_implicit'"), 1);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM operations WHERE consumer_id = 'cons_implicit' AND "
                     "card_id IS NULL AND operation = 'REGISTER'"),
            1);
  // A renewed card (new expiry) replaces the live one: 200 and a REGISTER operation.
  auto renewed = Call("PUT", Card(kIssuerA, "crd_implicit"),
                      CardBody("cons_implicit", pan, "VISA_CLASSIC", "0331"));
  EXPECT_EQ(renewed.status, 200);
  EXPECT_EQ(Body(renewed).at("exp"), "03/31");
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM operations WHERE card_id = 'crd_implicit'"), 2);
  EXPECT_EQ(ErrorCodeOf(Call("GET", Card(kIssuerA, "crd_none"))), "CARD_NOT_FOUND");
}

TEST_F(RegistryRulesE2e, CardDataRules) {
  const std::string path = Card(kIssuerA, "crd_data");
  auto expect = [&](const std::string& body, const std::string& code, const std::string& field) {
    auto r = Call("PUT", path, body);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(ErrorCodeOf(r), code) << r.body;
    EXPECT_EQ(FieldOf(r), field) << r.body;
  };
  const std::string good = Pan("411111000000020");
  std::string luhn_broken = good;
  luhn_broken.back() = luhn_broken.back() == '9' ? '0' : static_cast<char>(luhn_broken.back() + 1);
  expect(CardBody("cons_data", luhn_broken), "INVALID_CARD_DATA", "/encryptedData");
  expect(CardBody("cons_data", Pan("4111110000")), "INVALID_CARD_DATA",
         "/encryptedData");  // 11 digits
  expect(CardBody("cons_data", good, "VISA_CLASSIC", "0120"), "INVALID_CARD_DATA",
         "/encryptedData");
  expect(CardBody("cons_data", good, "VISA_CLASSIC", "1330"), "INVALID_CARD_DATA",
         "/encryptedData");
  expect(CardBody("cons_data", good, "MC_STANDARD"), "INVALID_CARD_PRODUCT", "/cardProductId");
  expect(CardBody("cons_data", good, "AMEX_GOLD"), "INVALID_CARD_PRODUCT", "/cardProductId");
  expect(R"({"consumerId":"cons_data","cardProductId":"VISA_CLASSIC","encryptedData":"a.b.c.d.e"})",
         "INVALID_ENCRYPTED_DATA", "/encryptedData");
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM consumers WHERE consumer_id = 'cons_data'"), 0);
  // The product decides the network; a 19-digit PAN is fine.
  auto mc = Call("PUT", path, CardBody("cons_data", Pan("555555000000003"), "MC_STANDARD"));
  ASSERT_EQ(mc.status, 201) << mc.body;
  EXPECT_EQ(Body(mc).at("network"), "MASTERCARD");
  auto long_pan =
      Call("PUT", Card(kIssuerA, "crd_data19"), CardBody("cons_data", Pan("411111000000000002")));
  EXPECT_EQ(long_pan.status, 201) << long_pan.body;
}

TEST_F(RegistryRulesE2e, PanAndCardIdRules) {
  const std::string pan1 = Pan("411111000000030");
  const std::string pan2 = Pan("411111000000031");
  ASSERT_EQ(Call("PUT", Card(kIssuerA, "crd_pan1"), CardBody("cons_pan", pan1)).status, 201);
  auto same_pan = Call("PUT", Card(kIssuerA, "crd_pan2"), CardBody("cons_pan", pan1));
  EXPECT_EQ(same_pan.status, 409);
  EXPECT_EQ(ErrorCodeOf(same_pan), "PAN_ALREADY_REGISTERED");
  auto other_pan = Call("PUT", Card(kIssuerA, "crd_pan1"), CardBody("cons_pan", pan2));
  EXPECT_EQ(other_pan.status, 409);
  EXPECT_EQ(ErrorCodeOf(other_pan), "CARD_ID_IN_USE");
  auto other_consumer = Call("PUT", Card(kIssuerA, "crd_pan1"), CardBody("cons_pan_b", pan1));
  EXPECT_EQ(ErrorCodeOf(other_consumer), "CARD_ID_IN_USE");
  // The same PAN at another issuer is another card.
  EXPECT_EQ(Call("PUT", Card(kIssuerB, "crd_pan1"), CardBody("cons_pan", pan1), kIssuerB).status,
            201);

  ASSERT_EQ(Call("POST", Card(kIssuerA, "crd_pan1") + "/operations:delete").status, 200);
  // The cardId may be reused after delete, with another PAN ...
  auto reused = Call("PUT", Card(kIssuerA, "crd_pan1"), CardBody("cons_pan", pan2));
  EXPECT_EQ(reused.status, 201) << reused.body;
  // ... but the deleted card's PAN is retired for good, under any cardId.
  for (const char* id : {"crd_pan3", "crd_pan4"}) {
    auto retired = Call("PUT", Card(kIssuerA, id), CardBody("cons_pan", pan1));
    EXPECT_EQ(retired.status, 409);
    EXPECT_EQ(ErrorCodeOf(retired), "PAN_RETIRED");
  }
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM cards WHERE card_id = 'crd_pan1' AND issuer_id = "
                     "'ISSUER0001'"),
            2);
}

TEST_F(RegistryRulesE2e, LifecycleStateRules) {
  const std::string card = Card(kIssuerA, "crd_life");
  const std::string consumer = Consumer(kIssuerA, "cons_life");
  ASSERT_EQ(Call("PUT", card, CardBody("cons_life", Pan("411111000000040"))).status, 201);
  auto suspended = Call("POST", card + "/operations:suspend",
                        R"({"reason":"lost card","reasonCode":"USER_DECISION"})");
  ASSERT_EQ(suspended.status, 200) << suspended.body;
  EXPECT_EQ(Body(suspended).at("status"), "SUCCESSFUL");
  EXPECT_EQ(Body(Call("GET", card)).at("state"), "SUSPENDED");
  EXPECT_EQ(ErrorCodeOf(Call("POST", card + "/operations:suspend")), "INVALID_STATE");
  // Resume needs an ACTIVE consumer.
  ASSERT_EQ(Call("PUT", consumer, R"({"state":"INACTIVE"})").status, 200);
  auto refused = Call("POST", card + "/operations:resume");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(ErrorCodeOf(refused), "INVALID_STATE");
  ASSERT_EQ(Call("PUT", consumer, R"({"state":"ACTIVE"})").status, 200);
  EXPECT_EQ(Call("POST", card + "/operations:resume").status, 200);
  EXPECT_EQ(Body(Call("GET", card)).at("state"), "ACTIVE");
  // Lifecycle bodies are validated too.
  EXPECT_EQ(FieldOf(Call("POST", card + "/operations:suspend", R"({"reason":"a_b"})")), "/reason");
  EXPECT_EQ(FieldOf(Call("POST", card + "/operations:suspend", R"({"reasonCode":"X"})")),
            "/reasonCode");

  ASSERT_EQ(Call("POST", card + "/operations:delete").status, 200);
  // A DELETED card accepts nothing but GET.
  for (const char* op : {"suspend", "resume", "delete"}) {
    auto r = Call("POST", card + "/operations:" + op);
    EXPECT_EQ(r.status, 403) << op;
    EXPECT_EQ(ErrorCodeOf(r), "INVALID_STATE") << op;
  }
  auto view = Call("GET", card);
  EXPECT_EQ(view.status, 200);
  EXPECT_EQ(Body(view).at("state"), "DELETED");
  EXPECT_EQ(ErrorCodeOf(Call("POST", Card(kIssuerA, "crd_nope") + "/operations:suspend")),
            "CARD_NOT_FOUND");

  // Every lifecycle call is an operation, with its reason.
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM operations WHERE card_id = 'crd_life' AND "
                     "requestor_type = 'ISSUER' AND status = 'SUCCESSFUL' AND end_ms IS NOT NULL"),
            4);  // REGISTER, SUSPEND, RESUME, DELETE
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM operations WHERE card_id = 'crd_life' AND "
                     "operation = 'SUSPEND' AND reason = 'lost card' AND "
                     "reason_code = 'USER_DECISION'"),
            1);
}

TEST_F(RegistryRulesE2e, ConsumerDeleteCascadesToItsCards) {
  const std::string consumer = Consumer(kIssuerA, "cons_cascade");
  ASSERT_EQ(Call("PUT", consumer, kInfo).status, 201);
  const std::string pan = Pan("411111000000050");
  ASSERT_EQ(Call("PUT", Card(kIssuerA, "crd_cascade1"), CardBody("cons_cascade", pan)).status, 201);
  ASSERT_EQ(Call("PUT", Card(kIssuerA, "crd_cascade2"),
                 CardBody("cons_cascade", Pan("555555000000013"), "MC_STANDARD"))
                .status,
            201);
  auto deleted = Call("POST", consumer + "/operations:delete", R"({"reason":"closed"})");
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(Body(deleted).at("status"), "SUCCESSFUL");
  for (const char* id : {"crd_cascade1", "crd_cascade2"}) {
    EXPECT_EQ(Body(Call("GET", Card(kIssuerA, id))).at("state"), "DELETED") << id;
  }
  auto got = Body(Call("GET", consumer));
  EXPECT_EQ(got.at("state"), "DELETED");
  EXPECT_FALSE(got.contains("personalInformation"));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM consumers WHERE consumer_id = 'cons_cascade' AND "
                     "personal_information IS NULL"),
            1);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM operations WHERE consumer_id = 'cons_cascade' AND "
                     "operation = 'DELETE' AND requestor_type = 'D1'"),
            2);
  // Delete is final: the consumer takes no PUT, no card, no second delete.
  EXPECT_EQ(ErrorCodeOf(Call("PUT", consumer, "{}")), "INVALID_STATE");
  EXPECT_EQ(ErrorCodeOf(Call("PUT", Card(kIssuerA, "crd_cascade3"),
                             CardBody("cons_cascade", Pan("411111000000051")))),
            "INVALID_STATE");
  EXPECT_EQ(ErrorCodeOf(Call("POST", consumer + "/operations:delete")), "INVALID_STATE");
  EXPECT_EQ(ErrorCodeOf(Call("PUT", Card(kIssuerA, "crd_cascade4"), CardBody("cons_new", pan))),
            "PAN_RETIRED");
}

}  // namespace
}  // namespace c2p::testing
