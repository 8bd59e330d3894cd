// Auto-enrolment end to end (spec/batch.md, spec/api.md §4.4): ISSUER0001 has
// auto_enrolment = true, ISSUER0002 has not. A real c2pd drives a real c2psim: every card
// registration that creates an ACTIVE card starts a D1 CLICK_TO_PAY_ENROLMENT in the same
// unit of work, and a consumer's enrolments are queued one behind the other, so two cards
// registered back to back both end SUCCESSFUL with one profile per network.

#include "tests/e2e/enrol_fixture.hpp"

namespace c2p::testing {
namespace {

std::string Str(const json::object& o, const char* key) {
  return o.contains(key) && o.at(key).is_string() ? std::string(o.at(key).as_string()) : "";
}

class AutoEnrolment : public EnrolE2e {
 protected:
  static void SetUpTestSuite() {
    issuer_a_extra_ = "auto_enrolment = true\n";
    EnrolE2e::SetUpTestSuite();
  }
  static void TearDownTestSuite() {
    EnrolE2e::TearDownTestSuite();
    issuer_a_extra_.clear();
  }

  // PUT the card; its response's clickToPay (the started operation, or the card view's).
  static json::object PutCard(const std::string& card, const std::string& body, int status,
                              const std::string& issuer = kIssuerA) {
    auto r = Call("PUT", Card(issuer, card), body, issuer);
    EXPECT_EQ(r.status, status) << r.body;
    auto b = Body(r);
    if (!b.contains("clickToPay") || !b.at("clickToPay").is_object()) {
      ADD_FAILURE() << "no clickToPay in " << r.body;
      return {};
    }
    return b.at("clickToPay").as_object();
  }

  static void PutConsumerWithInfo(const std::string& consumer) {
    auto c = Call("PUT", Consumer(kIssuerA, consumer), kInfo);
    ASSERT_EQ(c.status, 201) << c.body;
    EXPECT_FALSE(Body(c).contains("clickToPay")) << c.body;
  }

  // The started enrolment of a card PUT's clickToPay: PENDING with an operation id.
  static std::string Started(const json::object& c2p) {
    EXPECT_EQ(Str(c2p, "status"), "PENDING") << json::serialize(c2p);
    EXPECT_FALSE(Str(c2p, "operationId").empty()) << json::serialize(c2p);
    return Str(c2p, "operationId");
  }

  static std::string CardStatus(const std::string& card, const std::string& issuer = kIssuerA) {
    auto view = Body(Call("GET", Card(issuer, card), {}, issuer));
    return view.contains("clickToPay") ? Str(view.at("clickToPay").as_object(), "status") : "";
  }
};

TEST_F(AutoEnrolment, TwoCardsOfOneConsumerRegisteredBackToBackAreBothEnrolled) {
  struct Case {
    const char* name;
    const char* product1;
    const char* bin1;
    const char* product2;
    const char* bin2;
  };
  const Case cases[] = {{"visa-visa", "VISA_CLASSIC", "4", "VISA_CLASSIC", "4"},
                        {"visa-mc", "VISA_CLASSIC", "4", "MC_STANDARD", "51"}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string consumer = std::string("c-auto-") + c.name;
    const std::string card1 = std::string("ka1-") + c.name, card2 = std::string("ka2-") + c.name;
    const auto visa_before = Stat("visa", "profiles");
    const auto mc_before = Stat("mastercard", "profiles");
    PutConsumerWithInfo(consumer);

    // Back to back: the second is queued behind the first, not refused. The first card is
    // c2psim's slow one (answered after c2p's timeout, found by the lookup), so the second
    // is surely registered while the first runs.
    const std::string op1 =
        Started(PutCard(card1, CardBody(consumer, TestPan(c.bin1, "0036"), c.product1), 201));
    const std::string op2 =
        Started(PutCard(card2, CardBody(consumer, TestPan(c.bin2), c.product2), 201));
    ASSERT_FALSE(op1.empty());
    ASSERT_FALSE(op2.empty());
    EXPECT_NE(op1, op2);

    std::vector<json::object> ends;
    for (const auto& [op, card] : {std::pair{op1, card1}, std::pair{op2, card2}}) {
      auto end = Ended(op);
      ASSERT_EQ(Str(end, "status"), "SUCCESSFUL") << json::serialize(end);
      EXPECT_EQ(Str(end, "operation"), "CLICK_TO_PAY_ENROLMENT");
      EXPECT_EQ(Str(end, "requestorType"), "D1");
      EXPECT_EQ(Str(end, "requestorId"), "c2p");
      EXPECT_EQ(Str(end, "cardId"), card);
      EXPECT_EQ(Str(end, "consumerId"), consumer);
      EXPECT_FALSE(Str(end.at("details").as_object(), "digitalCardId").empty());
      EXPECT_EQ(CardStatus(card), "ENROLLED");
      ends.push_back(std::move(end));
    }
    ASSERT_EQ(ends.size(), 2U);
    // The second started while the first was running (ISO 8601 UTC compares as text).
    EXPECT_LT(Str(ends[1], "startTime"), Str(ends[0], "endTime"));
    // One profile per network: the second card of a network was added to the first's.
    const bool same_network = std::string(c.product1) == c.product2;
    EXPECT_EQ(Stat("visa", "profiles"), visa_before + 1);
    EXPECT_EQ(Stat("mastercard", "profiles"), mc_before + (same_network ? 0 : 1));
    EXPECT_EQ(Stat("visa", "duplicateEnrolments"), 0);
    EXPECT_EQ(Stat("mastercard", "duplicateEnrolments"), 0);
    if (same_network) {
      EXPECT_TRUE(ends[0].at("details").at("consumerProfileCreated").as_bool());
      EXPECT_FALSE(ends[1].at("details").at("consumerProfileCreated").as_bool());
    }
    // The profiles getter (§5.7) reads them back from the networks.
    auto profiles = Call("GET", "/banking/v1/issuers/" + std::string(kIssuerA) + "/consumers/" +
                                    consumer + "/clickToPayProfiles");
    EXPECT_EQ(profiles.status, 200) << profiles.body;
    EXPECT_NE(profiles.body.find(card1), std::string::npos) << profiles.body;
    EXPECT_NE(profiles.body.find(card2), std::string::npos) << profiles.body;
  }
}

TEST_F(AutoEnrolment, ReRegistrationAndRenewalStartNothing) {
  const std::string consumer = "c-auto-again";
  PutConsumerWithInfo(consumer);
  const std::string pan = TestPan("4");
  const std::string op = Started(PutCard("ka-again", CardBody(consumer, pan), 201));
  ASSERT_EQ(Str(Ended(op), "status"), "SUCCESSFUL");
  // The same registration again: 200, the card view's own clickToPay.
  auto again = PutCard("ka-again", CardBody(consumer, pan), 200);
  EXPECT_FALSE(again.contains("operationId")) << json::serialize(again);
  EXPECT_EQ(Str(again, "status"), "ENROLLED");
  // A renewed card (new expiry) is not enrolled again.
  auto renewed = PutCard("ka-again", CardBody(consumer, pan, "VISA_CLASSIC", "0631"), 200);
  EXPECT_FALSE(renewed.contains("operationId")) << json::serialize(renewed);
  EXPECT_EQ(Str(renewed, "status"), "ENROLLED");
}

TEST_F(AutoEnrolment, AnInactiveCardIsEnrolledWhenActivated) {
  const std::string consumer = "c-auto-inactive";
  PutConsumerWithInfo(consumer);
  const std::string pan = TestPan("51");
  auto inactive = PutCard(
      "ka-inactive", CardBody(consumer, pan, "MC_STANDARD", "1230", R"(,"state":"INACTIVE")"), 201);
  EXPECT_FALSE(inactive.contains("operationId")) << json::serialize(inactive);
  EXPECT_EQ(Str(inactive, "status"), "NOT_ENROLLED");
  EXPECT_EQ(CardStatus("ka-inactive"), "NOT_ENROLLED");
  // Activating it is the registration that makes it usable: its enrolment starts then.
  const std::string op = Started(PutCard(
      "ka-inactive", CardBody(consumer, pan, "MC_STANDARD", "1230", R"(,"state":"ACTIVE")"), 200));
  auto end = Ended(op);
  EXPECT_EQ(Str(end, "status"), "SUCCESSFUL") << json::serialize(end);
  EXPECT_EQ(Str(end, "requestorType"), "D1");
  EXPECT_EQ(CardStatus("ka-inactive"), "ENROLLED");
}

TEST_F(AutoEnrolment, AnInactiveConsumersCardIsNotEnrolled) {
  const std::string consumer = "c-auto-off";
  auto c = Call("PUT", Consumer(kIssuerA, consumer),
                kInfo.substr(0, kInfo.size() - 1) + R"(,"state":"INACTIVE"})");
  ASSERT_EQ(c.status, 201) << c.body;
  auto card = PutCard("ka-off", CardBody(consumer, TestPan("4")), 201);
  EXPECT_FALSE(card.contains("operationId")) << json::serialize(card);
  EXPECT_EQ(CardStatus("ka-off"), "NOT_ENROLLED");
}

TEST_F(AutoEnrolment, AnIssuerWithoutAutoEnrolmentStartsNothing) {
  auto card = PutCard("kb-manual", CardBody("c-fetch-0", TestPan("4")), 201, kIssuerB);
  EXPECT_FALSE(card.contains("operationId")) << json::serialize(card);
  EXPECT_EQ(Str(card, "status"), "NOT_ENROLLED");
  EXPECT_EQ(CardStatus("kb-manual", kIssuerB), "NOT_ENROLLED");
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM jobs WHERE issuer_id = 'ISSUER0002'"), 0);
}

}  // namespace
}  // namespace c2p::testing
