// Card-level Click to Pay operations end to end (spec/api.md §5.3, §5.5, §4.6): a real c2pd
// drives a real c2psim on both networks. Opt-out, update, and the cascades of suspend,
// resume and delete of an enrolled card; every refusal; what the network and a merchant's
// checkout see afterwards.

#include "engine/external_ids.hpp"
#include "tests/e2e/enrol_fixture.hpp"

namespace c2p::testing {
namespace {

struct NetworkCase {
  const char* product;
  const char* bin;
  const char* stats;  // c2psim's stats key
};
constexpr NetworkCase kNetworks[] = {{"VISA_CLASSIC", "4", "visa"},
                                     {"MC_STANDARD", "51", "mastercard"}};

constexpr const char* kNewAddress =
    R"({"addressLine1":"9 Quai Neuf","city":"Lyon","postalCode":"69002","countryCode":"FR"})";

std::string Str(const json::object& o, const char* key) {
  return o.contains(key) && o.at(key).is_string() ? std::string(o.at(key).as_string()) : "";
}

class CardClickToPay : public EnrolE2e {
 protected:
  static std::string CardOp(const std::string& card, const std::string& op) {
    return "/banking/v1/issuers/" + std::string(kIssuerA) + "/cards/" + card + "/operations:" + op;
  }
  static std::string Lifecycle(const std::string& card, const std::string& verb) {
    return Card(kIssuerA, card) + "/operations:" + verb;
  }

  // A consumer of its own (its own email, so the checkout lookup sees only its cards) with
  // one card of `n`, enrolled.
  static std::string EnrolledCard(const NetworkCase& n, const std::string& name,
                                  const std::string& suffix = "4242") {
    const std::string consumer = "c-" + name + "-" + n.stats;
    const std::string card = "k-" + name + "-" + n.stats;
    std::string info = kInfo;
    info.replace(info.find(kTestEmail), std::string(kTestEmail).size(), Email(consumer));
    auto c = Call("PUT", Consumer(kIssuerA, consumer), info);
    EXPECT_TRUE(c.status == 200 || c.status == 201) << c.body;
    auto r =
        Call("PUT", Card(kIssuerA, card), CardBody(consumer, TestPan(n.bin, suffix), n.product));
    EXPECT_TRUE(r.status == 200 || r.status == 201) << r.body;
    auto end = Ended(Enrol(card));
    EXPECT_EQ(Str(end, "status"), "SUCCESSFUL") << json::serialize(end);
    return card;
  }
  static std::string Email(const std::string& consumer) { return consumer + "@example.com"; }
  static std::string ConsumerOf(const std::string& card) { return "c" + card.substr(1); }

  // The operation id of a 202 PENDING answer, or "" (with a failure).
  static std::string Accepted(const HttpResponse& r) {
    EXPECT_EQ(r.status, 202) << r.body;
    auto b = Body(r);
    if (r.status != 202 || !b.contains("operationId")) return "";
    EXPECT_EQ(Str(b, "status"), "PENDING");
    return std::string(b.at("operationId").as_string());
  }

  static json::object ClickToPay(const std::string& card) {
    auto view = Body(Call("GET", Card(kIssuerA, card)));
    return view.contains("clickToPay") ? view.at("clickToPay").as_object() : json::object{};
  }

  // The cards a merchant's checkout shows for the card's consumer in `network`; -1 when the
  // consumer has no profile there.
  static int CheckoutCards(const std::string& card, const char* network) {
    auto r = Fetch(sim_->sim_port, "POST", "/sim/v1/checkout/lookup",
                   R"({"email":")" + Email(ConsumerOf(card)) + "\"}",
                   "Content-Type: application/json\r\n");
    EXPECT_TRUE(r && r->status == 200);
    if (!r) return -1;
    const json::value lookup = json::parse(r->body);
    for (const auto& p : lookup.at("profiles").as_array()) {
      if (p.at("network").as_string() == network) {
        return static_cast<int>(p.at("maskedCards").as_array().size());
      }
    }
    return -1;
  }

  // The network directory's own view of the consumer's one card (empty: no card), read
  // through c2psim's directory API (Visa getData, Mastercard GET /consumers/{id}).
  static json::object NetworkCard(const std::string& card, const NetworkCase& n) {
    const std::string ext = engine::ExternalConsumerId(kIssuerA, ConsumerOf(card));
    std::optional<HttpResponse> r;
    if (std::string(n.stats) == "visa") {
      r = Fetch(sim_->sim_port, "POST", "/visaIdCredential/v1/getData",
                R"({"intent":{"type":"PRODUCT_CODE","value":"CLICK_TO_PAY"},)"
                R"("consumerInformation":{"externalConsumerID":")" +
                    ext + "\"}}",
                std::string("Content-Type: application/json\r\nx-api-key: ") + kSimVisaApiKey +
                    "\r\nx-request-id: test\r\n");
    } else {
      r = Fetch(sim_->sim_port, "GET", "/src/api/digital/payments/consumers/" + ext, {},
                std::string("x-api-key: ") + kSimMcApiKey + "\r\nx-request-id: test\r\n");
    }
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
    if (!r || r->status != 200) return {};
    const auto profile = json::parse(r->body).as_object();
    const auto& cards =
        profile.at(std::string(n.stats) == "visa" ? "paymentInstruments" : "cards").as_array();
    EXPECT_LE(cards.size(), 1u);
    return cards.empty() ? json::object{} : cards[0].as_object();
  }

  // The card's operations, most recent first.
  static json::array Operations(const std::string& card) {
    auto r = Call("GET", "/banking/v1/issuers/" + std::string(kIssuerA) + "/cards/" + card +
                             "/operations?limit=50");
    EXPECT_EQ(r.status, 200) << r.body;
    auto b = Body(r);
    return b.contains("operations") ? b.at("operations").as_array() : json::array{};
  }
  static const json::object* FindOperation(const json::array& ops, const char* type,
                                           const char* requestor) {
    for (const auto& o : ops) {
      const auto& op = o.as_object();
      if (Str(op, "operation") == type && Str(op, "requestorType") == requestor) return &op;
    }
    return nullptr;
  }
  // The network's token event DELETED has been recorded (it travels on its own).
  static bool TokenDeletedRecorded(const std::string& card) {
    return Eventually([&] { return FindOperation(Operations(card), "DELETE", "TSP") != nullptr; });
  }
};

TEST_F(CardClickToPay, OptOutDeletesTheDigitalCardAndTheCardMayBeEnrolledAgain) {
  for (const auto& n : kNetworks) {
    SCOPED_TRACE(n.product);
    const std::string card = EnrolledCard(n, "optout");
    const std::string first_token = Str(ClickToPay(card), "digitalCardId");
    ASSERT_FALSE(first_token.empty());
    ASSERT_EQ(CheckoutCards(card, n.stats), 1);

    const std::string op =
        Accepted(Call("POST", CardOp(card, "clickToPayOptOut"), R"({"reason":"no more"})"));
    auto end = Ended(op);
    ASSERT_EQ(Str(end, "status"), "SUCCESSFUL") << json::serialize(end);
    EXPECT_EQ(Str(end, "operation"), "CLICK_TO_PAY_OPTOUT");
    EXPECT_EQ(Str(end, "requestorType"), "ISSUER");
    EXPECT_EQ(Str(end, "reason"), "no more");
    auto c2p = ClickToPay(card);
    EXPECT_EQ(Str(c2p, "status"), "OPTED_OUT");
    EXPECT_FALSE(c2p.contains("digitalCardId")) << json::serialize(c2p);
    // The consumer's profile stays; the card is gone from the network and from checkout.
    EXPECT_EQ(CheckoutCards(card, n.stats), 0);
    EXPECT_TRUE(NetworkCard(card, n).empty());
    ASSERT_TRUE(TokenDeletedRecorded(card));

    // Opting out again: nothing is enrolled.
    auto again = Call("POST", CardOp(card, "clickToPayOptOut"));
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(ErrorCodeOf(again), "NOT_ENROLLED");

    auto back = Ended(Enrol(card));
    ASSERT_EQ(Str(back, "status"), "SUCCESSFUL") << json::serialize(back);
    EXPECT_FALSE(back.at("details").at("consumerProfileCreated").as_bool());
    const std::string second_token = Str(ClickToPay(card), "digitalCardId");
    EXPECT_FALSE(second_token.empty());
    EXPECT_NE(second_token, first_token);
    EXPECT_EQ(Str(ClickToPay(card), "status"), "ENROLLED");
    EXPECT_EQ(CheckoutCards(card, n.stats), 1);
    EXPECT_EQ(Stat(n.stats, "duplicateEnrolments"), 0);
  }
}

TEST_F(CardClickToPay, UpdateChangesTheBillingAddressAtTheNetworkAndTheNameAtVisaOnly) {
  for (const auto& n : kNetworks) {
    SCOPED_TRACE(n.product);
    const std::string card = EnrolledCard(n, "update");
    const std::string op = Accepted(
        Call("POST", CardOp(card, "clickToPayUpdate"),
             std::string(R"({"name":"JANE Q DOE","reasonCode":"USER_DECISION","billingAddress":)") +
                 kNewAddress + "}"));
    auto end = Ended(op);
    ASSERT_EQ(Str(end, "status"), "SUCCESSFUL") << json::serialize(end);
    EXPECT_EQ(Str(end, "operation"), "CLICK_TO_PAY_UPDATE");
    EXPECT_EQ(Str(end, "reasonCode"), "USER_DECISION");
    EXPECT_EQ(Str(ClickToPay(card), "status"), "ENROLLED");

    const json::object at_network = NetworkCard(card, n);
    ASSERT_TRUE(at_network.contains("billingAddress")) << json::serialize(at_network);
    const auto& address = at_network.at("billingAddress").as_object();
    if (std::string(n.stats) == "visa") {
      EXPECT_EQ(Str(address, "addressLine1"), "9 Quai Neuf");
      EXPECT_EQ(Str(address, "postalCode"), "69002");
      EXPECT_EQ(Str(address, "country"), "FRA");
      EXPECT_EQ(Str(at_network, "nameOnCard"), "JANE Q DOE");
    } else {
      EXPECT_EQ(Str(address, "line1"), "9 Quai Neuf");
      EXPECT_EQ(Str(address, "zip"), "69002");
      EXPECT_FALSE(at_network.contains("cardholderFullName")) << json::serialize(at_network);
    }
    EXPECT_EQ(Str(address, "city"), "Lyon");

    // A name alone: Visa takes it; Mastercard ignores names, so nothing changes there.
    auto named =
        Ended(Accepted(Call("POST", CardOp(card, "clickToPayUpdate"), R"({"name":"J DOE"})")));
    ASSERT_EQ(Str(named, "status"), "SUCCESSFUL") << json::serialize(named);
    if (std::string(n.stats) == "visa") {
      EXPECT_EQ(Str(NetworkCard(card, n), "nameOnCard"), "J DOE");
    }
    EXPECT_EQ(Str(NetworkCard(card, n).at("billingAddress").as_object(), "city"), "Lyon");
    EXPECT_EQ(CheckoutCards(card, n.stats), 1);
  }
}

TEST_F(CardClickToPay, SuspendAndResumeOfAnEnrolledCardFollowAtTheNetwork) {
  for (const auto& n : kNetworks) {
    SCOPED_TRACE(n.product);
    const std::string card = EnrolledCard(n, "susp");
    const std::string suspend = Accepted(Call("POST", Lifecycle(card, "suspend")));
    auto end = Ended(suspend);
    ASSERT_EQ(Str(end, "status"), "SUCCESSFUL") << json::serialize(end);
    EXPECT_EQ(Str(end, "operation"), "SUSPEND");
    EXPECT_EQ(Str(Body(Call("GET", Card(kIssuerA, card))), "state"), "SUSPENDED");
    EXPECT_EQ(Str(NetworkCard(card, n), "status"), "SUSPENDED");
    EXPECT_EQ(CheckoutCards(card, n.stats), 0);
    EXPECT_EQ(Str(ClickToPay(card), "status"), "ENROLLED");

    const std::string resume = Accepted(Call("POST", Lifecycle(card, "resume")));
    end = Ended(resume);
    ASSERT_EQ(Str(end, "status"), "SUCCESSFUL") << json::serialize(end);
    EXPECT_EQ(Str(end, "operation"), "RESUME");
    EXPECT_EQ(Str(Body(Call("GET", Card(kIssuerA, card))), "state"), "ACTIVE");
    EXPECT_EQ(Str(NetworkCard(card, n), "status"), "ACTIVE");
    EXPECT_EQ(CheckoutCards(card, n.stats), 1);
  }
}

TEST_F(CardClickToPay, DeleteOfAnEnrolledCardOptsItOutAsACascade) {
  for (const auto& n : kNetworks) {
    SCOPED_TRACE(n.product);
    const std::string card = EnrolledCard(n, "del");
    const std::string del = Accepted(Call("POST", Lifecycle(card, "delete")));
    auto end = Ended(del);
    ASSERT_EQ(Str(end, "status"), "SUCCESSFUL") << json::serialize(end);
    EXPECT_EQ(Str(end, "operation"), "DELETE");
    EXPECT_EQ(Str(end, "requestorType"), "ISSUER");
    auto view = Body(Call("GET", Card(kIssuerA, card)));
    EXPECT_EQ(Str(view, "state"), "DELETED");
    EXPECT_EQ(Str(view.at("clickToPay").as_object(), "status"), "OPTED_OUT");
    EXPECT_FALSE(view.at("clickToPay").as_object().contains("digitalCardId"));

    const json::array ops = Operations(card);
    const json::object* optout = FindOperation(ops, "CLICK_TO_PAY_OPTOUT", "D1");
    ASSERT_NE(optout, nullptr) << json::serialize(ops);
    EXPECT_EQ(Str(*optout, "status"), "SUCCESSFUL");
    EXPECT_FALSE(Str(*optout, "endTime").empty());
    EXPECT_TRUE(NetworkCard(card, n).empty());
    EXPECT_EQ(CheckoutCards(card, n.stats), 0);
  }
}

TEST_F(CardClickToPay, LostAnswersAndFaultsStillEndEveryOperation) {
  // Half the directory calls time out after being applied (the answer is lost), a fifth
  // fail with 503 before: every operation is retried to its end, and a deletion whose
  // answer was lost is recognised on the next attempt ("not enrolled" means done).
  for (const auto& n : kNetworks) {
    SCOPED_TRACE(n.product);
    const std::string card = EnrolledCard(n, "faults");
    auto f = Fetch(sim_->sim_port, "POST", "/sim/v1/faults",
                   std::string(R"({"network":")") + n.stats +
                       R"(","errorRate":0.2,"status":503,"timeoutRate":0.5,"seed":11})",
                   "Content-Type: application/json\r\n");
    ASSERT_TRUE(f && f->status == 200) << (f ? f->body : "no answer");
    auto suspended = Ended(Accepted(Call("POST", Lifecycle(card, "suspend"))));
    EXPECT_EQ(Str(suspended, "status"), "SUCCESSFUL") << json::serialize(suspended);
    auto updated = Ended(Accepted(Call("POST", CardOp(card, "clickToPayUpdate"),
                                       std::string(R"({"billingAddress":)") + kNewAddress + "}")));
    EXPECT_EQ(Str(updated, "status"), "SUCCESSFUL") << json::serialize(updated);
    auto opted_out = Ended(Accepted(Call("POST", CardOp(card, "clickToPayOptOut"))));
    EXPECT_EQ(Str(opted_out, "status"), "SUCCESSFUL") << json::serialize(opted_out);
    Fetch(sim_->sim_port, "DELETE", "/sim/v1/faults");
    EXPECT_EQ(Str(ClickToPay(card), "status"), "OPTED_OUT");
    EXPECT_TRUE(NetworkCard(card, n).empty());
    EXPECT_EQ(Stat(n.stats, "duplicateEnrolments"), 0);
  }
}

TEST_F(CardClickToPay, CardsNotEnrolledCompleteAtOnce) {
  RegisterCard("c-plain", "k-plain", TestPan("4"));
  auto suspend = Call("POST", Lifecycle("k-plain", "suspend"));
  EXPECT_EQ(suspend.status, 200) << suspend.body;
  EXPECT_EQ(Str(Body(suspend), "status"), "SUCCESSFUL");
  auto del = Call("POST", Lifecycle("k-plain", "delete"));
  EXPECT_EQ(del.status, 200) << del.body;
  EXPECT_EQ(Str(ClickToPay("k-plain"), "status"), "NOT_ENROLLED");
}

TEST_F(CardClickToPay, Refusals) {
  for (const char* op : {"clickToPayOptOut", "clickToPayUpdate"}) {
    SCOPED_TRACE(op);
    const std::string body = std::string(op) == "clickToPayUpdate" ? R"({"name":"X"})" : "";
    auto unknown = Call("POST", CardOp("no-such-card", op), body);
    EXPECT_EQ(unknown.status, 404);
    EXPECT_EQ(ErrorCodeOf(unknown), "CARD_NOT_FOUND");
  }
  // Registered, never enrolled.
  RegisterCard("c-refuse", "k-refuse-plain", TestPan("4"));
  for (const char* op : {"clickToPayOptOut", "clickToPayUpdate"}) {
    const std::string body = std::string(op) == "clickToPayUpdate" ? R"({"name":"X"})" : "";
    auto r = Call("POST", CardOp("k-refuse-plain", op), body);
    EXPECT_EQ(r.status, 409) << op;
    EXPECT_EQ(ErrorCodeOf(r), "NOT_ENROLLED") << op;
  }
  // Bodies.
  for (const auto& [body, field] :
       {std::pair{std::string(), std::string("/billingAddress")},
        std::pair{std::string("{}"), std::string("/billingAddress")},
        std::pair{std::string(R"({"reason":"moved"})"), std::string("/billingAddress")},
        std::pair{std::string(R"({"name":7})"), std::string("/name")},
        std::pair{std::string(R"({"name":"X","consumerInfo":{}})"), std::string("/consumerInfo")},
        std::pair{std::string(R"({"billingAddress":{"city":"Paris"}})"),
                  std::string("/billingAddress/addressLine1")}}) {
    auto r = Call("POST", CardOp("k-refuse-plain", "clickToPayUpdate"), body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(ErrorCodeOf(r), "FIELD_INVALID_FORMAT") << body;
    EXPECT_EQ(FieldOf(r), field) << body;
  }
  auto bad_reason =
      Call("POST", CardOp("k-refuse-plain", "clickToPayOptOut"), R"({"reasonCode":"MAYBE"})");
  EXPECT_EQ(bad_reason.status, 400);
  EXPECT_EQ(FieldOf(bad_reason), "/reasonCode");

  // An enrolled card while another card of its consumer is being enrolled (slow card):
  // every Click to Pay change of it, and its cascading lifecycle calls, wait.
  const NetworkCase& visa = kNetworks[0];
  const std::string enrolled = EnrolledCard(visa, "busy");
  const std::string consumer = ConsumerOf(enrolled);
  auto slow = Call("PUT", Card(kIssuerA, "k-busy-slow"), CardBody(consumer, TestPan("4", "0036")));
  ASSERT_EQ(slow.status, 201) << slow.body;
  const std::string running = Enrol("k-busy-slow");
  for (const auto& [path, body] :
       {std::pair{CardOp(enrolled, "clickToPayOptOut"), std::string()},
        std::pair{CardOp(enrolled, "clickToPayUpdate"), std::string(R"({"name":"X"})")},
        std::pair{Lifecycle(enrolled, "suspend"), std::string()},
        std::pair{Lifecycle(enrolled, "delete"), std::string()},
        // The card being enrolled itself.
        std::pair{CardOp("k-busy-slow", "clickToPayOptOut"), std::string()}}) {
    auto r = Call("POST", path, body);
    EXPECT_EQ(r.status, 409) << path << " " << r.body;
    EXPECT_EQ(ErrorCodeOf(r), "OPERATION_IN_PROGRESS") << path;
  }
  // Nothing changed meanwhile.
  EXPECT_EQ(Str(Body(Call("GET", Card(kIssuerA, enrolled))), "state"), "ACTIVE");
  EXPECT_EQ(Str(ClickToPay(enrolled), "status"), "ENROLLED");
  EXPECT_EQ(Str(Ended(running), "status"), "SUCCESSFUL");

  // While the card itself is being opted out.
  const std::string optout = Accepted(Call("POST", CardOp(enrolled, "clickToPayOptOut")));
  auto during = Call("POST", CardOp(enrolled, "clickToPayOptOut"));
  // Either still running (409 in progress) or already done (409 not enrolled): never twice.
  EXPECT_EQ(during.status, 409);
  EXPECT_EQ(Str(Ended(optout), "status"), "SUCCESSFUL");
  EXPECT_EQ(Stat("visa", "duplicateEnrolments"), 0);
  EXPECT_EQ(Stat("mastercard", "duplicateEnrolments"), 0);
}

TEST_F(CardClickToPay, NoCardOrPersonalDataInLogsOrResponses) {
  // Runs last in this suite (gtest keeps declaration order). The update's name and address
  // travelled sealed with its job: none of it in c2pd's answers or its log.
  std::vector<std::string> haystacks = Responses();
  haystacks.push_back(ReadFile(dir_ + "/c2pd.out"));
  for (const auto& text : haystacks) {
    for (const auto& pan : pans_) EXPECT_EQ(text.find(pan), std::string::npos) << "PAN leaked";
    EXPECT_EQ(text.find("@example.com"), std::string::npos) << "email leaked";
    EXPECT_EQ(text.find("9 Quai Neuf"), std::string::npos) << "address leaked";
    EXPECT_EQ(text.find("JANE Q DOE"), std::string::npos) << "name leaked";
  }
}

// A directory slower than c2p's timeout (test card 0036: 400 ms against 250 ms) with the
// operation's deadline 1.2 s away: the deletion c2p stopped waiting for is applied, and the
// wait for that call in doubt pushes the next attempt past the deadline. The opt-out is not
// failed with the card left ENROLLED while the network has deleted it: a last attempt after
// the deadline deletes again, finds nothing enrolled, and ends SUCCESSFUL.
class CardShortDeadline : public CardClickToPay {
 protected:
  static void SetUpTestSuite() {
    deadline_ms_ = 1200;
    CardClickToPay::SetUpTestSuite();
  }
  static void TearDownTestSuite() {
    CardClickToPay::TearDownTestSuite();
    deadline_ms_ = 60000;
  }
};

TEST_F(CardShortDeadline, AnOptOutInDoubtAtItsDeadlineIsSettledNotFailed) {
  for (const auto& n : kNetworks) {
    SCOPED_TRACE(n.product);
    const std::string card = EnrolledCard(n, "late-optout", "0036");
    ASSERT_FALSE(NetworkCard(card, n).empty());
    auto end = Ended(Accepted(Call("POST", CardOp(card, "clickToPayOptOut"))));
    ASSERT_EQ(Str(end, "status"), "SUCCESSFUL") << json::serialize(end);
    EXPECT_EQ(Str(ClickToPay(card), "status"), "OPTED_OUT");
    EXPECT_TRUE(NetworkCard(card, n).empty());
  }
}

}  // namespace
}  // namespace c2p::testing
