// Consumer-level Click to Pay end to end (spec/api.md §5.4, §5.6, §4.1 propagation, §4.6
// consumer delete cascade): a real c2pd drives a real c2psim; every consumer has one card
// on each network, so every operation spans both directories.

#include "engine/external_ids.hpp"
#include "tests/e2e/enrol_fixture.hpp"

namespace c2p::testing {
namespace {

std::string Str(const json::object& o, const char* key) {
  return o.contains(key) && o.at(key).is_string() ? std::string(o.at(key).as_string()) : "";
}

// Personal information with its own email and city, so each consumer is found alone.
std::string Info(const std::string& email, const std::string& city = "Paris") {
  return R"({"personalInformation":{"language":"en-US","firstName":"Jane","lastName":"Doe",)"
         R"("email":")" +
         email +
         R"(","mobilePhoneNumber":{"countryCode":"33","phoneNumber":"612345678"},)"
         R"("billingAddress":{"addressLine1":"1 rue de la Paix","city":")" +
         city + R"(","postalCode":"75002","countryCode":"FR"}}})";
}

std::string UpdateBody(const std::string& email, const std::string& city = {}) {
  std::string body =
      R"({"reason":"new details","consumerInfo":{"language":"en-US","firstName":"Janet",)"
      R"("lastName":"Doe","email":")" +
      email + R"(","mobilePhoneNumber":{"countryCode":"33","phoneNumber":"612345679"}})";
  if (!city.empty()) {
    body += R"(,"billingAddress":{"addressLine1":"2 avenue Foch","city":")" + city +
            R"(","postalCode":"75016","countryCode":"FR"})";
  }
  return body + "}";
}

class ConsumerClickToPay : public EnrolE2e {
 protected:
  static std::string ConsumerOp(const std::string& consumer, const std::string& op) {
    return "/banking/v1/issuers/" + std::string(kIssuerA) + "/consumers/" + consumer +
           "/operations:" + op;
  }

  struct Enrolled {
    std::string consumer, visa_card, mc_card, visa_pan, mc_pan;
  };

  // A consumer with stored personal information (`email`) and one ENROLLED card per network.
  static Enrolled EnrolBoth(const std::string& name, const std::string& email) {
    Enrolled e{name, name + "-v", name + "-m", TestPan("4"), TestPan("51")};
    auto c = Call("PUT", Consumer(kIssuerA, name), Info(email));
    EXPECT_TRUE(c.status == 200 || c.status == 201) << c.body;
    for (auto [card, product, pan] : {std::tuple{e.visa_card, "VISA_CLASSIC", e.visa_pan},
                                      std::tuple{e.mc_card, "MC_STANDARD", e.mc_pan}}) {
      auto r = Call("PUT", Card(kIssuerA, card), CardBody(name, pan, product));
      EXPECT_TRUE(r.status == 200 || r.status == 201) << r.body;
      const std::string op = Enrol(card);
      EXPECT_EQ(Str(Ended(op), "status"), "SUCCESSFUL");
    }
    return e;
  }

  static std::string Post(const std::string& path, const std::string& body, int expect) {
    auto r = Call("POST", path, body);
    EXPECT_EQ(r.status, expect) << r.body;
    auto b = Body(r);
    if (r.status != 202 && r.status != 200) return "";
    return Str(b, "operationId");
  }

  static json::object CardView(const std::string& card) {
    return Body(Call("GET", Card(kIssuerA, card)));
  }
  static json::array Operations(const std::string& kind, const std::string& id) {
    auto b = Body(Call("GET", "/banking/v1/issuers/" + std::string(kIssuerA) + "/" + kind + "/" +
                                  id + "/operations?limit=100"));
    return b.contains("operations") ? b.at("operations").as_array() : json::array{};
  }
  // The one operation of `type` by `requestor` in the list.
  static json::object Find(const json::array& ops, const std::string& type,
                           const std::string& requestor) {
    json::object found;
    int count = 0;
    for (const auto& o : ops) {
      const auto& op = o.as_object();
      if (Str(op, "operation") == type && Str(op, "requestorType") == requestor) {
        found = op;
        ++count;
      }
    }
    EXPECT_EQ(count, 1) << type << " " << requestor << " in " << json::serialize(ops);
    return found;
  }

  // c2psim's checkout lookup: the networks where a consumer with `email` is enrolled.
  static std::string Lookup(const std::string& email) {
    auto r = Fetch(sim_->sim_port, "POST", "/sim/v1/checkout/lookup",
                   R"({"email":")" + email + "\"}", "Content-Type: application/json\r\n");
    EXPECT_TRUE(r && r->status == 200);
    return r ? r->body : "";
  }
  static int LookupProfiles(const std::string& email) {
    auto b = json::parse(Lookup(email));
    return static_cast<int>(b.at("profiles").as_array().size());
  }

  // What each directory holds for the consumer (its own read endpoints): status and body.
  static std::pair<int, std::string> VisaProfile(const std::string& consumer) {
    const std::string ext = engine::ExternalConsumerId(kIssuerA, consumer);
    auto r =
        Fetch(sim_->sim_port, "POST", "/visaIdCredential/v1/getData",
              R"({"intent":{"type":"PRODUCT_CODE","value":"CLICK_TO_PAY"},)"
              R"("consumerInformation":{"externalConsumerID":")" +
                  ext + "\"}}",
              std::string("Content-Type: application/json\r\nx-request-id: t1\r\nx-api-key: ") +
                  kSimVisaApiKey + "\r\n");
    EXPECT_TRUE(r);
    return r ? std::pair{r->status, r->body} : std::pair{0, std::string()};
  }
  static std::pair<int, std::string> McProfile(const std::string& consumer) {
    const std::string ext = engine::ExternalConsumerId(kIssuerA, consumer);
    auto r = Fetch(sim_->sim_port, "GET", "/src/api/digital/payments/consumers/" + ext, {},
                   std::string("x-request-id: t1\r\nx-api-key: ") + kSimMcApiKey + "\r\n");
    EXPECT_TRUE(r);
    return r ? std::pair{r->status, r->body} : std::pair{0, std::string()};
  }

  // Every card the directory holds for the consumer has a billing address in `city`.
  static void ExpectCardsIn(const std::pair<int, std::string>& profile, const char* cards_key,
                            const std::string& city) {
    ASSERT_EQ(profile.first, 200) << profile.second;
    const auto body = json::parse(profile.second).as_object();
    const auto& cards = body.at(cards_key).as_array();
    ASSERT_FALSE(cards.empty());
    for (const auto& card : cards) {
      const auto* address = card.as_object().if_contains("billingAddress");
      ASSERT_NE(address, nullptr) << profile.second;
      EXPECT_NE(json::serialize(*address).find(city), std::string::npos) << profile.second;
    }
  }

  static void ExpectNoDuplicates() {
    EXPECT_EQ(Stat("visa", "duplicateEnrolments"), 0);
    EXPECT_EQ(Stat("mastercard", "duplicateEnrolments"), 0);
  }
};

TEST_F(ConsumerClickToPay, OptOutRemovesEveryProfileAndReEnrolmentWorksAfter) {
  const auto e = EnrolBoth("cc-out", "cc.out@example.com");
  ASSERT_EQ(LookupProfiles("cc.out@example.com"), 2);
  const std::string old_token =
      Str(CardView(e.visa_card).at("clickToPay").as_object(), "digitalCardId");
  ASSERT_FALSE(old_token.empty());

  const std::string op = Post(ConsumerOp(e.consumer, "clickToPayOptOut"),
                              R"({"reason":"leaving","reasonCode":"USER_DECISION"})", 202);
  ASSERT_FALSE(op.empty());
  auto end = Ended(op);
  ASSERT_EQ(Str(end, "status"), "SUCCESSFUL") << json::serialize(end);
  EXPECT_EQ(Str(end, "operation"), "CLICK_TO_PAY_OPTOUT");
  EXPECT_EQ(Str(end, "requestorType"), "ISSUER");
  EXPECT_EQ(Str(end, "consumerId"), e.consumer);
  EXPECT_EQ(Str(end, "reason"), "leaving");
  EXPECT_EQ(Str(end, "reasonCode"), "USER_DECISION");
  EXPECT_EQ(Str(Find(Operations("consumers", e.consumer), "CLICK_TO_PAY_OPTOUT", "ISSUER"),
                "operationId"),
            op);

  for (const auto& card : {e.visa_card, e.mc_card}) {
    SCOPED_TRACE(card);
    auto d1 = Find(Operations("cards", card), "CLICK_TO_PAY_OPTOUT", "D1");
    EXPECT_EQ(Str(d1, "status"), "SUCCESSFUL");
    EXPECT_FALSE(Str(d1, "endTime").empty());
    const auto c2p = CardView(card).at("clickToPay").as_object();
    EXPECT_EQ(Str(c2p, "status"), "OPTED_OUT");
    EXPECT_FALSE(c2p.contains("digitalCardId")) << json::serialize(c2p);
  }
  EXPECT_EQ(LookupProfiles("cc.out@example.com"), 0) << Lookup("cc.out@example.com");
  EXPECT_EQ(VisaProfile(e.consumer).first, 404);
  EXPECT_EQ(McProfile(e.consumer).first, 404);
  // Nothing left to opt out.
  Post(ConsumerOp(e.consumer, "clickToPayOptOut"), {}, 409);

  // Enrolling again creates the profile again.
  for (const auto& card : {e.visa_card, e.mc_card}) {
    auto again = Ended(Enrol(card));
    ASSERT_EQ(Str(again, "status"), "SUCCESSFUL") << json::serialize(again);
    EXPECT_TRUE(again.at("details").at("consumerProfileCreated").as_bool());
    EXPECT_EQ(Str(CardView(card).at("clickToPay").as_object(), "status"), "ENROLLED");
  }
  EXPECT_EQ(LookupProfiles("cc.out@example.com"), 2);

  // The old token's DELETED event arriving late (after the opt-out ended and the card was
  // enrolled again) is recorded but leaves the card enrolled with its new token.
  const std::string new_token =
      Str(CardView(e.visa_card).at("clickToPay").as_object(), "digitalCardId");
  ASSERT_NE(new_token, old_token);
  auto late = Fetch(port_, "POST", "/tsp/v1/networks/visa/tokenEvents",
                    R"({"eventId":"cc-late-1","digitalCardId":")" + old_token +
                        R"(","tokenRequestorId":"40010030273","encryptedCard":")" +
                        Jwe(e.visa_pan) + R"(","event":"DELETED"})",
                    std::string("Content-Type: application/json\r\nAuthorization: Bearer ") +
                        kSimVisaTspSecret + "\r\n");
  ASSERT_TRUE(late);
  EXPECT_EQ(late->status, 204) << late->body;
  const auto after = CardView(e.visa_card).at("clickToPay").as_object();
  EXPECT_EQ(Str(after, "status"), "ENROLLED");
  EXPECT_EQ(Str(after, "digitalCardId"), new_token);
  ExpectNoDuplicates();
}

TEST_F(ConsumerClickToPay, UpdateReplacesTheConsumerAndEachCardsAddress) {
  const auto e = EnrolBoth("cc-upd", "cc.upd@example.com");
  const std::string op = Post(ConsumerOp(e.consumer, "clickToPayUpdate"),
                              UpdateBody("cc.upd2@example.com", "Lyon"), 202);
  auto end = Ended(op);
  ASSERT_EQ(Str(end, "status"), "SUCCESSFUL") << json::serialize(end);
  EXPECT_EQ(Str(end, "operation"), "CLICK_TO_PAY_UPDATE");
  EXPECT_EQ(Str(end, "requestorType"), "ISSUER");
  EXPECT_EQ(Str(end, "reason"), "new details");

  // The networks hold the new data: found by the new email only, the new address on each card.
  EXPECT_EQ(LookupProfiles("cc.upd2@example.com"), 2) << Lookup("cc.upd2@example.com");
  EXPECT_EQ(LookupProfiles("cc.upd@example.com"), 0);
  const auto visa = VisaProfile(e.consumer);
  ASSERT_EQ(visa.first, 200) << visa.second;
  EXPECT_NE(visa.second.find("Janet"), std::string::npos) << visa.second;
  ExpectCardsIn(visa, "paymentInstruments", "Lyon");
  const auto mc = McProfile(e.consumer);
  ASSERT_EQ(mc.first, 200) << mc.second;
  EXPECT_NE(mc.second.find("Janet"), std::string::npos) << mc.second;
  ExpectCardsIn(mc, "cards", "Lyon");
  // The cards stay enrolled with their tokens.
  for (const auto& card : {e.visa_card, e.mc_card}) {
    const auto c2p = CardView(card).at("clickToPay").as_object();
    EXPECT_EQ(Str(c2p, "status"), "ENROLLED");
    EXPECT_FALSE(Str(c2p, "digitalCardId").empty());
  }

  // Without a billing address the cards keep theirs.
  auto second = Ended(
      Post(ConsumerOp(e.consumer, "clickToPayUpdate"), UpdateBody("cc.upd3@example.com"), 202));
  ASSERT_EQ(Str(second, "status"), "SUCCESSFUL") << json::serialize(second);
  EXPECT_EQ(LookupProfiles("cc.upd3@example.com"), 2);
  ExpectCardsIn(McProfile(e.consumer), "cards", "Lyon");
  ExpectCardsIn(VisaProfile(e.consumer), "paymentInstruments", "Lyon");
  ExpectNoDuplicates();
}

TEST_F(ConsumerClickToPay, AnUpdateRetriedForOneNetworkDoesNotRepeatTheOther) {
  // Requests of `kind` the directory received, faulted ones included (c2psim's `calls`).
  const auto SimCalls = [](const char* network, const char* kind) -> std::int64_t {
    const auto stats = SimStats();
    const auto* n = stats.at(network).as_object().at("calls").as_object().if_contains(kind);
    return n == nullptr ? 0 : n->to_number<std::int64_t>();
  };
  // The update runs MASTERCARD then VISA. With every Visa call failing, the job retries;
  // Mastercard's update, already done, is kept in the job's progress and not sent again.
  const auto e = EnrolBoth("cc-prog", "cc.prog@example.com");
  const auto mc_before = SimCalls("mastercard", "updateConsumer");
  const auto visa_before = SimCalls("visa", "manageConsumerInformation");
  auto f = Fetch(sim_->sim_port, "POST", "/sim/v1/faults",
                 R"({"network":"visa","errorRate":1.0,"status":503,"seed":3})",
                 "Content-Type: application/json\r\n");
  ASSERT_TRUE(f && f->status < 300) << (f ? f->body : "");
  const std::string op = Post(ConsumerOp(e.consumer, "clickToPayUpdate"),
                              UpdateBody("cc.prog2@example.com", "Nantes"), 202);
  // Three Visa attempts refused: the job has been retried at least twice.
  const bool retried =
      Eventually([&] { return SimCalls("visa", "manageConsumerInformation") >= visa_before + 3; },
                 std::chrono::seconds(30));
  Fetch(sim_->sim_port, "DELETE", "/sim/v1/faults");
  ASSERT_TRUE(retried) << "Visa saw "
                       << SimCalls("visa", "manageConsumerInformation") - visa_before;
  auto end = Ended(op);
  ASSERT_EQ(Str(end, "status"), "SUCCESSFUL") << json::serialize(end);
  EXPECT_EQ(SimCalls("mastercard", "updateConsumer"), mc_before + 1);
  EXPECT_EQ(LookupProfiles("cc.prog2@example.com"), 2);
  ExpectCardsIn(McProfile(e.consumer), "cards", "Nantes");
  ExpectCardsIn(VisaProfile(e.consumer), "paymentInstruments", "Nantes");
  ExpectNoDuplicates();
}

TEST_F(ConsumerClickToPay, UpdateTakesTheCountryFromTheIssuerWhenNothingIsStored) {
  // ISSUER0002 keeps no personal information: the stand-in issuer serves "c-fetch" (with a
  // GB address). An update without billingAddress still needs the consumer's country.
  for (auto [card, product, bin] : {std::tuple{"cc-fetch-v", "VISA_CLASSIC", "4"},
                                    std::tuple{"cc-fetch-m", "MC_STANDARD", "51"}}) {
    auto c =
        Call("PUT", Card(kIssuerB, card), CardBody("c-fetch", TestPan(bin), product), kIssuerB);
    ASSERT_EQ(c.status, 201) << c.body;
    EXPECT_EQ(Str(Ended(Enrol(card, {}, kIssuerB), kIssuerB), "status"), "SUCCESSFUL");
  }
  auto r = Call("POST",
                "/banking/v1/issuers/" + std::string(kIssuerB) +
                    "/consumers/c-fetch/operations:clickToPayUpdate",
                UpdateBody("cc.fetch2@example.com"), kIssuerB);
  ASSERT_EQ(r.status, 202) << r.body;
  auto end = Ended(Str(Body(r), "operationId"), kIssuerB);
  ASSERT_EQ(Str(end, "status"), "SUCCESSFUL") << json::serialize(end);
  EXPECT_EQ(LookupProfiles("cc.fetch2@example.com"), 2);
  EXPECT_EQ(LookupProfiles("fetched@example.com"), 0);
  ExpectNoDuplicates();
}

TEST_F(ConsumerClickToPay, DeleteCascadesIntoAnOptOut) {
  const auto e = EnrolBoth("cc-del", "cc.del@example.com");
  auto r =
      Call("POST", Consumer(kIssuerA, e.consumer) + "/operations:delete", R"({"reason":"closed"})");
  ASSERT_EQ(r.status, 202) << r.body;
  const std::string op = Str(Body(r), "operationId");
  auto end = Ended(op);
  ASSERT_EQ(Str(end, "status"), "SUCCESSFUL") << json::serialize(end);
  EXPECT_EQ(Str(end, "operation"), "DELETE");
  EXPECT_EQ(Str(end, "requestorType"), "ISSUER");

  auto optout = Find(Operations("consumers", e.consumer), "CLICK_TO_PAY_OPTOUT", "D1");
  EXPECT_EQ(Str(optout, "status"), "SUCCESSFUL");
  for (const auto& card : {e.visa_card, e.mc_card}) {
    SCOPED_TRACE(card);
    const auto ops = Operations("cards", card);
    EXPECT_EQ(Str(Find(ops, "DELETE", "D1"), "status"), "SUCCESSFUL");
    EXPECT_EQ(Str(Find(ops, "CLICK_TO_PAY_OPTOUT", "D1"), "status"), "SUCCESSFUL");
    const auto view = CardView(card);
    EXPECT_EQ(Str(view, "state"), "DELETED");
    EXPECT_EQ(Str(view.at("clickToPay").as_object(), "status"), "OPTED_OUT");
  }
  EXPECT_EQ(LookupProfiles("cc.del@example.com"), 0);
  EXPECT_EQ(VisaProfile(e.consumer).first, 404);
  EXPECT_EQ(McProfile(e.consumer).first, 404);
  // A deleted consumer cannot be updated; nothing is left to opt out.
  auto update =
      Call("POST", ConsumerOp(e.consumer, "clickToPayUpdate"), UpdateBody("x@example.com"));
  EXPECT_EQ(update.status, 403) << update.body;
  EXPECT_EQ(ErrorCodeOf(update), "INVALID_STATE");
  auto again = Call("POST", ConsumerOp(e.consumer, "clickToPayOptOut"));
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(ErrorCodeOf(again), "NOT_ENROLLED");

  // A consumer enrolled nowhere is deleted at once, as before.
  auto c = Call("PUT", Consumer(kIssuerA, "cc-del-plain"), Info("cc.plain@example.com"));
  ASSERT_EQ(c.status, 201) << c.body;
  auto plain = Call("POST", Consumer(kIssuerA, "cc-del-plain") + "/operations:delete");
  EXPECT_EQ(plain.status, 200) << plain.body;
  EXPECT_EQ(Str(Body(plain), "status"), "SUCCESSFUL");
  ExpectNoDuplicates();
}

TEST_F(ConsumerClickToPay, ReplacedPersonalInformationPropagates) {
  const auto e = EnrolBoth("cc-prop", "cc.prop@example.com");
  // The same information again changes nothing and starts nothing.
  auto same = Call("PUT", Consumer(kIssuerA, e.consumer), Info("cc.prop@example.com"));
  ASSERT_EQ(same.status, 200) << same.body;
  EXPECT_FALSE(Body(same).contains("clickToPay")) << same.body;

  auto put = Call("PUT", Consumer(kIssuerA, e.consumer), Info("cc.prop2@example.com", "Nice"));
  ASSERT_EQ(put.status, 200) << put.body;
  auto b = Body(put);
  ASSERT_TRUE(b.contains("clickToPay")) << put.body;
  const auto& c2p = b.at("clickToPay").as_object();
  EXPECT_EQ(Str(c2p, "status"), "PENDING");
  auto end = Ended(Str(c2p, "operationId"));
  ASSERT_EQ(Str(end, "status"), "SUCCESSFUL") << json::serialize(end);
  EXPECT_EQ(Str(end, "operation"), "CLICK_TO_PAY_UPDATE");
  EXPECT_EQ(Str(end, "requestorType"), "D1");
  EXPECT_EQ(Str(end, "consumerId"), e.consumer);

  EXPECT_EQ(LookupProfiles("cc.prop2@example.com"), 2) << Lookup("cc.prop2@example.com");
  EXPECT_EQ(LookupProfiles("cc.prop@example.com"), 0);
  ExpectCardsIn(VisaProfile(e.consumer), "paymentInstruments", "Nice");
  ExpectCardsIn(McProfile(e.consumer), "cards", "Nice");

  // A consumer enrolled nowhere: a change starts nothing.
  ASSERT_EQ(Call("PUT", Consumer(kIssuerA, "cc-prop-plain"), Info("cc.pp@example.com")).status,
            201);
  auto plain = Call("PUT", Consumer(kIssuerA, "cc-prop-plain"), Info("cc.pp2@example.com"));
  EXPECT_EQ(plain.status, 200);
  EXPECT_FALSE(Body(plain).contains("clickToPay")) << plain.body;
  ExpectNoDuplicates();
}

TEST_F(ConsumerClickToPay, Refusals) {
  // Unknown consumer.
  auto unknown = Call("POST", ConsumerOp("cc-nobody", "clickToPayOptOut"));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(ErrorCodeOf(unknown), "CONSUMER_NOT_FOUND");
  unknown = Call("POST", ConsumerOp("cc-nobody", "clickToPayUpdate"), UpdateBody("x@example.com"));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(ErrorCodeOf(unknown), "CONSUMER_NOT_FOUND");

  // Known but enrolled nowhere.
  ASSERT_EQ(Call("PUT", Consumer(kIssuerA, "cc-none"), Info("cc.none@example.com")).status, 201);
  auto none = Call("POST", ConsumerOp("cc-none", "clickToPayOptOut"));
  EXPECT_EQ(none.status, 409);
  EXPECT_EQ(ErrorCodeOf(none), "NOT_ENROLLED");
  none = Call("POST", ConsumerOp("cc-none", "clickToPayUpdate"), UpdateBody("x@example.com"));
  EXPECT_EQ(none.status, 409);
  EXPECT_EQ(ErrorCodeOf(none), "NOT_ENROLLED");

  // Bodies.
  auto bad = Call("POST", ConsumerOp("cc-none", "clickToPayUpdate"), R"({"reason":"x"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(ErrorCodeOf(bad), "FIELD_INVALID_FORMAT");
  EXPECT_EQ(FieldOf(bad), "/consumerInfo");
  bad = Call("POST", ConsumerOp("cc-none", "clickToPayUpdate"));  // no body, no media type
  EXPECT_EQ(bad.status, 415) << bad.body;
  bad = Call("POST", ConsumerOp("cc-none", "clickToPayUpdate"), "{");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(ErrorCodeOf(bad), "INVALID_JSON");
  bad = Call("POST", ConsumerOp("cc-none", "clickToPayUpdate"),
             R"({"consumerInfo":{"email":"nope"}})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(FieldOf(bad), "/consumerInfo/email");
  bad = Call("POST", ConsumerOp("cc-none", "clickToPayOptOut"), R"({"reasonCode":"MAYBE"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(FieldOf(bad), "/reasonCode");
  bad = Call("POST", ConsumerOp("cc-none", "clickToPayOptOut"), R"({"consumerInfo":{}})");
  EXPECT_EQ(bad.status, 400);

  // An operation in progress: a consumer with a profile whose second card is still being
  // enrolled (c2psim's slow card) refuses every consumer operation.
  const auto e = EnrolBoth("cc-busy", "cc.busy@example.com");
  ASSERT_EQ(Call("PUT", Card(kIssuerA, "cc-busy-slow"),
                 CardBody(e.consumer, TestPan("4", "0036"), "VISA_CLASSIC"))
                .status,
            201);
  const std::string slow = Enrol("cc-busy-slow");
  for (const char* op : {"clickToPayOptOut", "clickToPayUpdate"}) {
    auto busy = Call("POST", ConsumerOp(e.consumer, op), UpdateBody("cc.busy2@example.com"));
    if (std::string(op) == "clickToPayOptOut") {
      busy = Call("POST", ConsumerOp(e.consumer, op));
    }
    EXPECT_EQ(busy.status, 409) << op << " " << busy.body;
    EXPECT_EQ(ErrorCodeOf(busy), "OPERATION_IN_PROGRESS") << op;
  }
  // Propagation would need a second job: the PUT is refused and changes nothing.
  auto put = Call("PUT", Consumer(kIssuerA, e.consumer), Info("cc.busy2@example.com"));
  EXPECT_EQ(put.status, 409) << put.body;
  EXPECT_EQ(ErrorCodeOf(put), "OPERATION_IN_PROGRESS");
  auto del = Call("POST", Consumer(kIssuerA, e.consumer) + "/operations:delete");
  EXPECT_EQ(del.status, 409) << del.body;
  EXPECT_EQ(ErrorCodeOf(del), "OPERATION_IN_PROGRESS");
  // Nothing was written by the refusals: the slow enrolment ends and the consumer is intact.
  EXPECT_EQ(Str(Ended(slow), "status"), "SUCCESSFUL");
  EXPECT_EQ(LookupProfiles("cc.busy@example.com"), 2);
  EXPECT_EQ(Str(Body(Call("GET", Consumer(kIssuerA, e.consumer))), "state"), "ACTIVE");
  ExpectNoDuplicates();
}

TEST_F(ConsumerClickToPay, ARefusedOptOutKeepsWhatTheNetworksStillHold) {
  // Mastercard (deleted first: networks go in name order) refuses every call with a 400, a
  // final refusal: the operation fails at once and nothing was deleted anywhere. (The
  // partial case, a network done before another fails, is EndOptOut's unit test.)
  const auto e = EnrolBoth("cc-refused", "cc.refused@example.com");
  const std::string visa_token =
      Str(CardView(e.visa_card).at("clickToPay").as_object(), "digitalCardId");
  const std::string mc_token =
      Str(CardView(e.mc_card).at("clickToPay").as_object(), "digitalCardId");
  auto f = Fetch(sim_->sim_port, "POST", "/sim/v1/faults",
                 R"({"network":"mastercard","errorRate":1,"status":400,"seed":3})",
                 "Content-Type: application/json\r\n");
  ASSERT_TRUE(f && f->status < 300) << (f ? f->body : "");
  auto end = Ended(Post(ConsumerOp(e.consumer, "clickToPayOptOut"), {}, 202));
  Fetch(sim_->sim_port, "DELETE", "/sim/v1/faults");
  ASSERT_EQ(Str(end, "status"), "FAILED") << json::serialize(end);
  EXPECT_EQ(Str(end.at("error").as_object(), "code"), "NETWORK_REJECTED");
  for (const auto& [card, token] : {std::pair{e.visa_card, visa_token}, {e.mc_card, mc_token}}) {
    SCOPED_TRACE(card);
    EXPECT_EQ(Str(Find(Operations("cards", card), "CLICK_TO_PAY_OPTOUT", "D1"), "status"),
              "FAILED");
    const auto c2p = CardView(card).at("clickToPay").as_object();
    EXPECT_EQ(Str(c2p, "status"), "ENROLLED");  // still enrolled at the network
    EXPECT_EQ(Str(c2p, "digitalCardId"), token);
  }
  EXPECT_EQ(LookupProfiles("cc.refused@example.com"), 2);

  // Once the directory accepts again, opting out again succeeds.
  auto again = Ended(Post(ConsumerOp(e.consumer, "clickToPayOptOut"), {}, 202));
  ASSERT_EQ(Str(again, "status"), "SUCCESSFUL") << json::serialize(again);
  EXPECT_EQ(json::serialize(again.at("details").at("profilesRemoved")), R"(["MASTERCARD","VISA"])");
  EXPECT_EQ(Str(CardView(e.visa_card).at("clickToPay").as_object(), "status"), "OPTED_OUT");
  EXPECT_EQ(Str(CardView(e.mc_card).at("clickToPay").as_object(), "status"), "OPTED_OUT");
  EXPECT_EQ(LookupProfiles("cc.refused@example.com"), 0);
  ExpectNoDuplicates();
}

TEST_F(ConsumerClickToPay, DirectoryFaultsStillEndSuccessful) {
  // 25% 503 and 10% timeouts (applied, answer lost) on both directories: every deletion
  // and update is retried to its end, a deletion applied earlier counting as done.
  std::vector<Enrolled> consumers;
  for (int i = 0; i < 4; ++i) {
    const std::string n = std::to_string(i);
    consumers.push_back(EnrolBoth("cc-fault-" + n, "cc.fault" + n + "@example.com"));
  }
  for (const char* network : {"visa", "mastercard"}) {
    auto f = Fetch(sim_->sim_port, "POST", "/sim/v1/faults",
                   std::string(R"({"network":")") + network +
                       R"(","errorRate":0.25,"status":503,"timeoutRate":0.1,"seed":11})",
                   "Content-Type: application/json\r\n");
    ASSERT_TRUE(f && f->status < 300) << (f ? f->body : "");
  }
  std::vector<std::string> ops;
  for (int i = 0; i < 4; ++i) {
    const auto& e = consumers[static_cast<std::size_t>(i)];
    ops.push_back(i % 2 == 0
                      ? Post(ConsumerOp(e.consumer, "clickToPayOptOut"), {}, 202)
                      : Post(ConsumerOp(e.consumer, "clickToPayUpdate"),
                             UpdateBody("cc.fault" + std::to_string(i) + "b@example.com", "Lyon"),
                             202));
  }
  for (const auto& op : ops) {
    auto end = Ended(op, kIssuerA, std::chrono::seconds(50));
    EXPECT_EQ(Str(end, "status"), "SUCCESSFUL") << json::serialize(end);
  }
  Fetch(sim_->sim_port, "DELETE", "/sim/v1/faults");
  for (int i = 0; i < 4; ++i) {
    const auto& e = consumers[static_cast<std::size_t>(i)];
    const std::string n = std::to_string(i);
    if (i % 2 == 0) {
      EXPECT_EQ(LookupProfiles("cc.fault" + n + "@example.com"), 0);
      EXPECT_EQ(Str(CardView(e.visa_card).at("clickToPay").as_object(), "status"), "OPTED_OUT");
      EXPECT_EQ(Str(CardView(e.mc_card).at("clickToPay").as_object(), "status"), "OPTED_OUT");
    } else {
      EXPECT_EQ(LookupProfiles("cc.fault" + n + "b@example.com"), 2);
      ExpectCardsIn(McProfile(e.consumer), "cards", "Lyon");
      ExpectCardsIn(VisaProfile(e.consumer), "paymentInstruments", "Lyon");
    }
  }
  ExpectNoDuplicates();
}

TEST_F(ConsumerClickToPay, NoCardOrPersonalDataInLogs) {
  // Runs last: everything above has been logged by now.
  const std::string log = ReadFile(dir_ + "/c2pd.out");
  for (const auto& pan : pans_) EXPECT_EQ(log.find(pan), std::string::npos) << "PAN leaked";
  for (const char* secret :
       {"@example.com", "612345678", "612345679", "Lyon", "Nice", "Janet", "avenue Foch"}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << secret << " leaked";
  }
}

}  // namespace
}  // namespace c2p::testing
