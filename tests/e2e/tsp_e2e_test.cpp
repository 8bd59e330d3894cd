// The token services' endpoints (spec/outbound.md §4) against a real c2pd, over raw HTTP:
// authentication per network, strict bodies, the decision, and token events recorded once
// in the card's operations and its view.

#include "jose/rsa_key.hpp"
#include "tests/e2e/registry_fixture.hpp"

namespace c2p::testing {
namespace {

constexpr const char* kVisaSecret = "tsp_visa_secret_0123456789";
constexpr const char* kMastercardSecret = "tsp_mc_secret_9876543210";

class TspE2e : public RegistryE2e {
 protected:
  static void SetUpTestSuite() {
    RegistryE2e::SetUpTestSuite();
    // The networks' sections name files that exist only now: restart with them.
    jose::RsaKey network_key = jose::RsaKey::Generate();
    network_key.set_kid("net-1");
    ASSERT_TRUE(jose::WriteJwkFile(dir_ + "/net.pub.jwk", network_key.ToPublicJwk(), false));
    std::ofstream(dir_ + "/api.key") << "ak_1\n";
    std::ofstream(dir_ + "/visa.tsp") << kVisaSecret << "\n";
    std::ofstream(dir_ + "/mastercard.tsp") << kMastercardSecret << "\n";
    extra_config_ =
        "[[card_products]]\nid = \"VISA_STEP_UP\"\nissuer = \"ISSUER0001\"\nnetwork = \"VISA\"\n"
        "bin_ranges = [[\"400000\", \"499999\"]]\ndecision = \"YELLOW\"\n";
    for (const std::string n : {"visa", "mastercard"}) {
      extra_config_ += "[networks." + n +
                       "]\nurl = \"http://127.0.0.1:1\"\napi_key_file = \"api.key\"\n"
                       "encryption_key = \"net.pub.jwk\"\ntsp_secret_file = \"" +
                       n + ".tsp\"\n";
    }
    StartDaemon({"pan-v1.jwk"});
  }
  static void TearDownTestSuite() {
    RegistryE2e::TearDownTestSuite();
    extra_config_.clear();
  }

  static HttpResponse Tsp(const std::string& network, const std::string& endpoint,
                          const std::string& body, const std::string& secret,
                          const std::string& content_type = "application/json") {
    std::string headers = "Content-Type: " + content_type + "\r\n";
    if (!secret.empty()) headers += "Authorization: Bearer " + secret + "\r\n";
    auto r = Fetch(port_, "POST", "/tsp/v1/networks/" + network + "/" + endpoint, body, headers);
    EXPECT_TRUE(r) << endpoint;
    if (!r) return {};
    std::lock_guard lock(responses_mu_);
    responses_.push_back(r->body);
    return *r;
  }

  static std::string RequestBody(const std::string& pan, const std::string& exp = "1230") {
    return R"({"requestId":"tr_1","tokenRequestorId":"40010030273","tokenType":"CLICK_TO_PAY",)"
           R"("encryptedCard":")" +
           Jwe(pan, exp) + "\"}";
  }
  static std::string EventBody(const std::string& event_id, const std::string& pan,
                               const std::string& event, const std::string& digital_card_id) {
    return R"({"eventId":")" + event_id + R"(","digitalCardId":")" + digital_card_id +
           R"(","tokenRequestorId":"40010030273","encryptedCard":")" + Jwe(pan) + R"(","event":")" +
           event + "\"}";
  }

  // {decision, reason} of a token request by Visa's token service.
  static std::pair<std::string, std::string> Decide(const std::string& pan,
                                                    const std::string& network = "visa",
                                                    const std::string& exp = "1230") {
    auto r = Tsp(network, "tokenRequests", RequestBody(pan, exp),
                 network == "visa" ? kVisaSecret : kMastercardSecret);
    EXPECT_EQ(r.status, 200) << r.body;
    auto b = Body(r);
    return {b.contains("decision") ? std::string(b.at("decision").as_string()) : "",
            b.contains("reason") ? std::string(b.at("reason").as_string()) : ""};
  }

  static std::int64_t Operations(const std::string& card_id, const std::string& operation) {
    return QueryInt(
        "SELECT COUNT(*) FROM operations WHERE issuer_id = 'ISSUER0001' AND card_id = '" + card_id +
        "' AND operation = '" + operation +
        "' AND status = 'SUCCESSFUL' AND requestor_type = 'TSP' AND requestor_id = "
        "'VISA' AND details LIKE '%vdc_%'");
  }

  // Test set-up only: a card ENROLLED as the engine would leave it (no engine here yet).
  static void MarkEnrolled(const std::string& card_id) {
    EXPECT_TRUE(Execute("UPDATE cards SET click_to_pay_status = 'ENROLLED' WHERE card_id = '" +
                        card_id + "' AND state <> 'DELETED'"));
  }

  static json::object ClickToPay(const std::string& card_id) {
    auto r = Call("GET", Card(kIssuerA, card_id));
    EXPECT_EQ(r.status, 200) << r.body;
    auto b = Body(r);
    return b.contains("clickToPay") ? b.at("clickToPay").as_object() : json::object{};
  }
};

TEST_F(TspE2e, EachNetworkAuthenticatesWithItsOwnSecret) {
  const std::string body = RequestBody(Pan("411111000000001"));
  EXPECT_EQ(Tsp("visa", "tokenRequests", body, "").status, 401);
  auto wrong = Tsp("visa", "tokenRequests", body, "tsp_wrong");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(ErrorCodeOf(wrong), "AUTHORIZER_UNAUTHORIZED");
  EXPECT_EQ(Tsp("visa", "tokenRequests", body, kMastercardSecret).status, 401);
  EXPECT_EQ(Tsp("mastercard", "tokenEvents", "{}", kVisaSecret).status, 401);
  // An issuer's access token is not a token service's credential.
  EXPECT_EQ(Tsp("visa", "tokenRequests", body, Token(kIssuerA)).status, 401);
  // Authentication comes before the body: a bad body from a stranger is still 401.
  EXPECT_EQ(Tsp("visa", "tokenRequests", "not json", "").status, 401);
  auto unknown = Tsp("amex", "tokenRequests", body, kVisaSecret);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(ErrorCodeOf(unknown), "NOT_FOUND");
  EXPECT_EQ(Tsp("visa", "tokenRequests", body, kVisaSecret).status, 200);
  EXPECT_EQ(Tsp("mastercard", "tokenRequests", body, kMastercardSecret).status, 200);
}

TEST_F(TspE2e, BadBodiesAre400WithTheField) {
  const std::string pan = Pan("411111000000002");
  auto not_json = Tsp("visa", "tokenRequests", "{\"requestId\":", kVisaSecret);
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(ErrorCodeOf(not_json), "INVALID_JSON");
  EXPECT_EQ(Tsp("visa", "tokenRequests", RequestBody(pan), kVisaSecret, "text/plain").status, 415);
  auto missing = Tsp("visa", "tokenRequests", R"({"tokenType":"CLICK_TO_PAY"})", kVisaSecret);
  EXPECT_EQ(ErrorCodeOf(missing), "FIELD_INVALID_FORMAT");
  EXPECT_EQ(FieldOf(missing), "/requestId");
  auto unknown = Tsp("visa", "tokenRequests",
                     R"({"requestId":"r","tokenRequestorId":"1","tokenType":"CLICK_TO_PAY",)"
                     R"("encryptedCard":"x","extra":1})",
                     kVisaSecret);
  EXPECT_EQ(FieldOf(unknown), "/extra");
  auto jwe = Tsp("visa", "tokenRequests",
                 R"({"requestId":"r","tokenRequestorId":"1","tokenType":"CLICK_TO_PAY",)"
                 R"("encryptedCard":"a.b.c.d.e"})",
                 kVisaSecret);
  EXPECT_EQ(jwe.status, 400);
  EXPECT_EQ(ErrorCodeOf(jwe), "INVALID_ENCRYPTED_DATA");
  EXPECT_EQ(FieldOf(jwe), "/encryptedCard");
  auto card = Tsp("visa", "tokenRequests", RequestBody("4111111111111112"), kVisaSecret);
  EXPECT_EQ(ErrorCodeOf(card), "INVALID_CARD_DATA");
  EXPECT_EQ(FieldOf(card), "/encryptedCard");
  auto event = Tsp("visa", "tokenEvents", EventBody("ev_x", pan, "EXPLODED", "vdc_x"), kVisaSecret);
  EXPECT_EQ(event.status, 400);
  EXPECT_EQ(FieldOf(event), "/event");
  auto event_id =
      Tsp("visa", "tokenEvents", EventBody("ev x", pan, "DELETED", "vdc_x"), kVisaSecret);
  EXPECT_EQ(FieldOf(event_id), "/eventId");
}

TEST_F(TspE2e, DecisionFollowsCardConsumerNetworkAndProduct) {
  const std::string pan = Pan("411111000000003");
  ASSERT_EQ(Call("PUT", Card(kIssuerA, "tsp_green"), CardBody("tsp_c1", pan)).status, 201);
  EXPECT_EQ(Decide(pan), (std::pair<std::string, std::string>{"GREEN", ""}));
  EXPECT_EQ(Decide(Pan("411111000000099")).first, "RED");  // unknown PAN
  EXPECT_EQ(Decide(Pan("411111000000099")).second, "CARD_NOT_FOUND");
  EXPECT_EQ(Decide(pan, "mastercard").first, "RED");  // a Visa card, asked by Mastercard
  EXPECT_EQ(Decide(pan, "visa", "1131").second, "CARD_DATA_MISMATCH");

  ASSERT_EQ(Call("POST", Card(kIssuerA, "tsp_green") + "/operations:suspend").status, 200);
  EXPECT_EQ(Decide(pan), (std::pair<std::string, std::string>{"RED", "CARD_NOT_ACTIVE"}));
  ASSERT_EQ(Call("POST", Card(kIssuerA, "tsp_green") + "/operations:resume").status, 200);
  EXPECT_EQ(Decide(pan).first, "GREEN");

  ASSERT_EQ(Call("PUT", Consumer(kIssuerA, "tsp_c1"), R"({"state":"INACTIVE"})").status, 200);
  EXPECT_EQ(Decide(pan), (std::pair<std::string, std::string>{"RED", "CONSUMER_NOT_ACTIVE"}));
  ASSERT_EQ(Call("PUT", Consumer(kIssuerA, "tsp_c1"), R"({"state":"ACTIVE"})").status, 200);
  EXPECT_EQ(Decide(pan).first, "GREEN");

  // A product with decision = "YELLOW" asks for step-up.
  const std::string step_up = Pan("411111000000004");
  ASSERT_EQ(
      Call("PUT", Card(kIssuerA, "tsp_yellow"), CardBody("tsp_c1", step_up, "VISA_STEP_UP")).status,
      201);
  EXPECT_EQ(Decide(step_up), (std::pair<std::string, std::string>{"YELLOW", "STEP_UP_REQUIRED"}));

  // The same PAN live at two issuers: c2p cannot tell on whose behalf it would answer.
  const std::string shared = Pan("411111000000005");
  ASSERT_EQ(Call("PUT", Card(kIssuerA, "tsp_shared"), CardBody("tsp_c1", shared)).status, 201);
  EXPECT_EQ(Decide(shared).first, "GREEN");
  ASSERT_EQ(Call("PUT", Card(kIssuerB, "tsp_shared"), CardBody("tsp_c2", shared), kIssuerB).status,
            201);
  EXPECT_EQ(Decide(shared), (std::pair<std::string, std::string>{"RED", "CARD_AMBIGUOUS"}));
}

TEST_F(TspE2e, EventsAreRecordedOnceAndShownInTheCard) {
  const std::string pan = Pan("411111000000006");
  ASSERT_EQ(Call("PUT", Card(kIssuerA, "tsp_events"), CardBody("tsp_c3", pan)).status, 201);
  MarkEnrolled("tsp_events");
  const auto events_before = QueryInt("SELECT COUNT(*) FROM token_events");

  EXPECT_EQ(
      Tsp("visa", "tokenEvents", EventBody("ev_a1", pan, "ACTIVATED", "vdc_1"), kVisaSecret).status,
      204);
  EXPECT_EQ(ClickToPay("tsp_events").at("digitalCardId"), "vdc_1");
  EXPECT_EQ(Operations("tsp_events", "DIGITIZE"), 1);
  // The same eventId again (a retry): 204, nothing more.
  EXPECT_EQ(
      Tsp("visa", "tokenEvents", EventBody("ev_a1", pan, "ACTIVATED", "vdc_1"), kVisaSecret).status,
      204);
  EXPECT_EQ(Operations("tsp_events", "DIGITIZE"), 1);

  EXPECT_EQ(ClickToPay("tsp_events").at("digitalCardStatus"), "ACTIVE");
  // SUSPENDED / RESUMED are recorded and change the token's status; the card keeps its
  // state, its Click to Pay status and its token.
  for (const auto& [id, event, op, status] :
       {std::tuple{"ev_a2", "SUSPENDED", "SUSPEND", "SUSPENDED"},
        std::tuple{"ev_a3", "RESUMED", "RESUME", "ACTIVE"}}) {
    EXPECT_EQ(Tsp("visa", "tokenEvents", EventBody(id, pan, event, "vdc_1"), kVisaSecret).status,
              204);
    EXPECT_EQ(Operations("tsp_events", op), 1) << event;
    EXPECT_EQ(ClickToPay("tsp_events").at("digitalCardStatus"), status) << event;
    EXPECT_EQ(ClickToPay("tsp_events").at("status"), "ENROLLED") << event;
  }
  auto view = Call("GET", Card(kIssuerA, "tsp_events"));
  EXPECT_EQ(Body(view).at("state"), "ACTIVE");
  EXPECT_EQ(ClickToPay("tsp_events").at("digitalCardId"), "vdc_1");

  // DELETED clears the token and opts the enrolled card out.
  EXPECT_EQ(
      Tsp("visa", "tokenEvents", EventBody("ev_a4", pan, "DELETED", "vdc_1"), kVisaSecret).status,
      204);
  auto c2p = ClickToPay("tsp_events");
  EXPECT_FALSE(c2p.contains("digitalCardId"));
  EXPECT_FALSE(c2p.contains("digitalCardStatus"));
  EXPECT_EQ(c2p.at("status"), "OPTED_OUT");
  EXPECT_EQ(Operations("tsp_events", "DELETE"), 1);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM token_events"), events_before + 4);

  // Events are listed among the card's operations, most recent first.
  auto ops = QueryInt(
      "SELECT COUNT(*) FROM operations WHERE card_id = 'tsp_events' AND requestor_type = 'TSP'");
  EXPECT_EQ(ops, 4);

  // An unknown PAN: 204 (the token service must not retry forever), nothing recorded.
  EXPECT_EQ(Tsp("visa", "tokenEvents",
                EventBody("ev_a5", Pan("411111000000098"), "ACTIVATED", "vdc_2"), kVisaSecret)
                .status,
            204);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM token_events"), events_before + 4);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM operations WHERE details LIKE '%vdc_2%'"), 0);
}

TEST_F(TspE2e, ADeletedCardsTokenIsStillDeleted) {
  const std::string pan = Pan("411111000000007");
  ASSERT_EQ(Call("PUT", Card(kIssuerA, "tsp_gone"), CardBody("tsp_c4", pan)).status, 201);
  ASSERT_EQ(
      Tsp("visa", "tokenEvents", EventBody("ev_g1", pan, "ACTIVATED", "vdc_g"), kVisaSecret).status,
      204);
  ASSERT_EQ(Call("POST", Card(kIssuerA, "tsp_gone") + "/operations:delete").status, 200);
  // The network deletes the token after the card: found by its digitalCardId.
  ASSERT_EQ(
      Tsp("visa", "tokenEvents", EventBody("ev_g2", pan, "DELETED", "vdc_g"), kVisaSecret).status,
      204);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM operations WHERE card_id = 'tsp_gone' AND "
                     "operation = 'DELETE' AND requestor_type = 'TSP'"),
            1);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM cards WHERE card_id = 'tsp_gone' AND "
                     "digital_card_id IS NOT NULL"),
            0);
  // Another network's token service cannot touch it.
  ASSERT_EQ(Tsp("mastercard", "tokenEvents", EventBody("ev_g3", pan, "ACTIVATED", "vdc_g"),
                kMastercardSecret)
                .status,
            204);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM token_events WHERE event_id = 'ev_g3'"), 0);
}

TEST_F(TspE2e, NoCardDataInResponsesOrLogs) {
  const std::string log = ReadFile(dir_ + "/c2pd.out");
  ASSERT_FALSE(pans_.empty());
  for (const auto& pan : pans_) {
    EXPECT_EQ(log.find(pan), std::string::npos);
    for (const auto& r : Responses()) EXPECT_EQ(r.find(pan), std::string::npos);
  }
  EXPECT_EQ(log.find(kVisaSecret), std::string::npos);
  EXPECT_NE(log.find("tsp.token_event"), std::string::npos);
}

}  // namespace
}  // namespace c2p::testing
