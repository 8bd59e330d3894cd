// Click to Pay enrolment end to end (spec/api.md §5.2, §5.8): a real c2pd drives a real
// c2psim on both networks; every test card, every synchronous refusal, the consumer data
// sources and the getters. (Directories failing 20% of calls and timing out 5%, quality.md
// R2, is tests/faults/directory_faults_test.cpp.)

#include "tests/e2e/enrol_fixture.hpp"

namespace c2p::testing {
namespace {

constexpr const char* kVisaBin = "4";
constexpr const char* kMcBin = "51";

struct NetworkCase {
  const char* product;
  const char* bin;
  const char* stats;  // c2psim's stats key
};
constexpr NetworkCase kNetworks[] = {{"VISA_CLASSIC", kVisaBin, "visa"},
                                     {"MC_STANDARD", kMcBin, "mastercard"}};

std::string Str(const json::object& o, const char* key) {
  return o.contains(key) && o.at(key).is_string() ? std::string(o.at(key).as_string()) : "";
}

class ClickToPayEnrol : public EnrolE2e {};

TEST_F(ClickToPayEnrol, FirstEnrolmentCreatesTheProfileTheNextAddsTheCard) {
  for (const auto& n : kNetworks) {
    SCOPED_TRACE(n.product);
    const std::string consumer = std::string("c-two-") + n.stats;
    const std::string card1 = std::string("k1-") + n.stats, card2 = std::string("k2-") + n.stats;
    RegisterCard(consumer, card1, TestPan(n.bin), n.product);
    RegisterCard(consumer, card2, TestPan(n.bin), n.product);
    const auto profiles_before = Stat(n.stats, "profiles");

    const std::string op1 = Enrol(card1, R"({"reason":"first card"})");
    auto end1 = Ended(op1);
    ASSERT_EQ(Str(end1, "status"), "SUCCESSFUL") << json::serialize(end1);
    EXPECT_EQ(Str(end1, "operation"), "CLICK_TO_PAY_ENROLMENT");
    EXPECT_EQ(Str(end1, "reason"), "first card");
    EXPECT_EQ(Str(end1, "cardId"), card1);
    EXPECT_EQ(Str(end1, "consumerId"), consumer);
    EXPECT_FALSE(Str(end1, "endTime").empty());
    const auto& details1 = end1.at("details").as_object();
    EXPECT_TRUE(details1.at("consumerProfileCreated").as_bool());
    EXPECT_FALSE(Str(details1, "digitalCardId").empty());

    auto view = Body(Call("GET", Card(kIssuerA, card1)));
    EXPECT_EQ(Str(view.at("clickToPay").as_object(), "status"), "ENROLLED");

    const std::string op2 = Enrol(card2);
    auto end2 = Ended(op2);
    ASSERT_EQ(Str(end2, "status"), "SUCCESSFUL") << json::serialize(end2);
    EXPECT_FALSE(end2.at("details").at("consumerProfileCreated").as_bool());

    EXPECT_EQ(Stat(n.stats, "profiles"), profiles_before + 1);
    EXPECT_EQ(Stat(n.stats, "duplicateEnrolments"), 0);
    // A consumer checking out sees both cards.
    auto lookup = Fetch(sim_->sim_port, "POST", "/sim/v1/checkout/lookup",
                        std::string(R"({"email":")") + kTestEmail + "\"}",
                        "Content-Type: application/json\r\n");
    ASSERT_TRUE(lookup && lookup->status == 200);
    EXPECT_NE(lookup->body.find(n.stats), std::string::npos) << lookup->body;
  }
}

TEST_F(ClickToPayEnrol, EveryTestCardOnBothNetworks) {
  struct Expect {
    const char* suffix;
    const char* status;
    const char* error;
    bool profile_created;
  };
  const Expect cases[] = {
      {"0002", "FAILED", "TOKENIZATION_DECLINED", true},  // partial outcome
      {"0010", "FAILED", "CARD_NOT_ELIGIBLE", false},
      {"0028", "SUCCESSFUL", "", true},  // 503 twice, then accepted
      {"0036", "SUCCESSFUL", "", true},  // slower than c2p's timeout: found by the lookup
  };
  for (const auto& n : kNetworks) {
    for (const auto& c : cases) {
      SCOPED_TRACE(std::string(n.product) + " " + c.suffix);
      const std::string consumer = std::string("c-tc-") + n.stats + c.suffix;
      const std::string card = std::string("k-tc-") + n.stats + c.suffix;
      RegisterCard(consumer, card, TestPan(n.bin, c.suffix), n.product);
      auto end = Ended(Enrol(card));
      EXPECT_EQ(Str(end, "status"), c.status) << json::serialize(end);
      if (*c.error != '\0') {
        ASSERT_TRUE(end.contains("error")) << json::serialize(end);
        EXPECT_EQ(Str(end.at("error").as_object(), "code"), c.error);
        auto view = Body(Call("GET", Card(kIssuerA, card)));
        EXPECT_EQ(Str(view.at("clickToPay").as_object(), "status"), "FAILED");
      }
      const bool created = end.contains("details") &&
                           end.at("details").as_object().contains("consumerProfileCreated") &&
                           end.at("details").at("consumerProfileCreated").as_bool();
      EXPECT_EQ(created, c.profile_created) << json::serialize(end);
    }
    EXPECT_EQ(Stat(n.stats, "duplicateEnrolments"), 0);
  }
}

// A directory slower than c2p's timeout (test card 0036: 400 ms against 250 ms) applies the
// enrolment c2p stopped waiting for. The next attempt waits out the call in doubt (at least
// its timeout) before it looks, so it finds the card there and never sends it again.
TEST_F(ClickToPayEnrol, AnUnansweredEnrolmentIsLookedUpNotSentAgain) {
  for (const auto& n : kNetworks) {
    SCOPED_TRACE(n.product);
    const auto calls = Stat(n.stats, "enrolCalls");
    const auto duplicates = Stat(n.stats, "duplicateEnrolments");
    const std::string card = std::string("k-doubt-") + n.stats;
    RegisterCard(std::string("c-doubt-") + n.stats, card, TestPan(n.bin, "0036"), n.product);
    auto end = Ended(Enrol(card));
    EXPECT_EQ(Str(end, "status"), "SUCCESSFUL") << json::serialize(end);
    EXPECT_EQ(Stat(n.stats, "enrolCalls") - calls, 1);
    EXPECT_EQ(Stat(n.stats, "duplicateEnrolments") - duplicates, 0);
  }
}

// The same slow directory with the operation's deadline 1.2 s away: the call in doubt pushes
// the next attempt past the deadline. The operation is not failed while the directory is
// still applying the enrolment: a last attempt after the deadline looks the card up, finds
// it enrolled with its token, and ends SUCCESSFUL (before, it ended FAILED at once and the
// card stayed enrolled at the network under a FAILED status).
class ShortDeadline : public EnrolE2e {
 protected:
  static void SetUpTestSuite() {
    deadline_ms_ = 1200;
    EnrolE2e::SetUpTestSuite();
  }
  static void TearDownTestSuite() {
    EnrolE2e::TearDownTestSuite();
    deadline_ms_ = 60000;
  }
};

TEST_F(ShortDeadline, AnEnrolmentInDoubtAtItsDeadlineIsLookedUpNotFailed) {
  for (const auto& n : kNetworks) {
    SCOPED_TRACE(n.product);
    const auto calls = Stat(n.stats, "enrolCalls");
    const std::string card = std::string("k-late-") + n.stats;
    RegisterCard(std::string("c-late-") + n.stats, card, TestPan(n.bin, "0036"), n.product);
    auto end = Ended(Enrol(card));
    ASSERT_EQ(Str(end, "status"), "SUCCESSFUL") << json::serialize(end);
    EXPECT_FALSE(Str(end.at("details").as_object(), "digitalCardId").empty());
    auto view = Body(Call("GET", Card(kIssuerA, card)));
    EXPECT_EQ(Str(view.at("clickToPay").as_object(), "status"), "ENROLLED");
    EXPECT_EQ(Stat(n.stats, "enrolCalls") - calls, 1);
    EXPECT_EQ(Stat(n.stats, "duplicateEnrolments"), 0);
  }
}

TEST_F(ClickToPayEnrol, AFailedEnrolmentMayBeRetried) {
  // 0002 leaves the consumer's profile without a card; enrolling a good card afterwards
  // only adds the card.
  RegisterCard("c-retry", "k-retry-bad", TestPan(kVisaBin, "0002"));
  auto first = Ended(Enrol("k-retry-bad"));
  ASSERT_EQ(Str(first, "status"), "FAILED");
  auto again = Ended(Enrol("k-retry-bad"));  // FAILED cards may be enrolled again
  EXPECT_EQ(Str(again, "status"), "FAILED");
  auto r = Call("PUT", Card(kIssuerA, "k-retry-good"), CardBody("c-retry", TestPan(kVisaBin)));
  ASSERT_EQ(r.status, 201) << r.body;
  auto good = Ended(Enrol("k-retry-good"));
  ASSERT_EQ(Str(good, "status"), "SUCCESSFUL") << json::serialize(good);
  EXPECT_FALSE(good.at("details").at("consumerProfileCreated").as_bool());
}

TEST_F(ClickToPayEnrol, SynchronousRefusals) {
  // Unknown card.
  auto unknown = Call("POST", Enrolment(kIssuerA, "no-such-card"));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(ErrorCodeOf(unknown), "CARD_NOT_FOUND");
  // Another issuer's card is not found either.
  RegisterCard("c-ref", "k-ref-1", TestPan(kVisaBin, "0036"));  // slow: stays PENDING a while
  RegisterCard("c-ref", "k-ref-2", TestPan(kVisaBin));
  auto other = Call("POST", Enrolment(kIssuerB, "k-ref-1"), {}, kIssuerB);
  EXPECT_EQ(ErrorCodeOf(other), "CARD_NOT_FOUND");
  // Bad bodies.
  auto bad = Call("POST", Enrolment(kIssuerA, "k-ref-1"), R"({"name": 7})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(ErrorCodeOf(bad), "FIELD_INVALID_FORMAT");
  EXPECT_EQ(FieldOf(bad), "/name");
  auto broken = Call("POST", Enrolment(kIssuerA, "k-ref-1"), R"({"name": )");
  EXPECT_EQ(ErrorCodeOf(broken), "INVALID_JSON");

  const std::string op = Enrol("k-ref-1");
  // The same card again while enrolling; its sibling while the consumer is busy.
  auto again = Call("POST", Enrolment(kIssuerA, "k-ref-1"));
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(ErrorCodeOf(again), "ALREADY_ENROLLED");
  auto sibling = Call("POST", Enrolment(kIssuerA, "k-ref-2"));
  EXPECT_EQ(sibling.status, 409);
  EXPECT_EQ(ErrorCodeOf(sibling), "OPERATION_IN_PROGRESS");
  ASSERT_EQ(Str(Ended(op), "status"), "SUCCESSFUL");
  auto enrolled = Call("POST", Enrolment(kIssuerA, "k-ref-1"));
  EXPECT_EQ(ErrorCodeOf(enrolled), "ALREADY_ENROLLED");
  // Once the consumer is free, the sibling goes through.
  EXPECT_EQ(Str(Ended(Enrol("k-ref-2")), "status"), "SUCCESSFUL");

  // A card that is not ACTIVE; a consumer that is not ACTIVE.
  RegisterCard("c-ref-s", "k-ref-s", TestPan(kVisaBin));
  ASSERT_EQ(Call("POST", Card(kIssuerA, "k-ref-s") + "/operations:suspend").status, 200);
  auto suspended = Call("POST", Enrolment(kIssuerA, "k-ref-s"));
  EXPECT_EQ(suspended.status, 403);
  EXPECT_EQ(ErrorCodeOf(suspended), "INVALID_STATE");
  RegisterCard("c-ref-i", "k-ref-i", TestPan(kVisaBin));
  auto off = Call("PUT", Consumer(kIssuerA, "c-ref-i"),
                  kInfo.substr(0, kInfo.size() - 1) + R"(,"state":"INACTIVE"})");
  ASSERT_EQ(off.status, 200) << off.body;
  auto inactive = Call("POST", Enrolment(kIssuerA, "k-ref-i"));
  EXPECT_EQ(inactive.status, 403);
  EXPECT_EQ(ErrorCodeOf(inactive), "INVALID_STATE");
  // Nothing refused left a job or an operation behind.
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM jobs"), 0);
}

TEST_F(ClickToPayEnrol, ConsumerDataFromTheIssuerBackend) {
  // ISSUER0002 stores no personal information: c2psim's stand-in issuer serves "c-fetch".
  const auto tokens_before = SimStats().at("issuer").at("tokensIssued").to_number<std::int64_t>();
  for (const auto& n : kNetworks) {
    const std::string card = std::string("k-fetch-") + n.stats;
    auto c =
        Call("PUT", Card(kIssuerB, card), CardBody("c-fetch", TestPan(n.bin), n.product), kIssuerB);
    ASSERT_EQ(c.status, 201) << c.body;
    auto end = Ended(Enrol(card, {}, kIssuerB), kIssuerB);
    EXPECT_EQ(Str(end, "status"), "SUCCESSFUL") << json::serialize(end);
  }
  // One outbound OAuth token served both fetches.
  EXPECT_EQ(SimStats().at("issuer").at("tokensIssued").to_number<std::int64_t>(),
            tokens_before + 1);
  // A consumer the issuer does not know: final, no retry.
  auto c =
      Call("PUT", Card(kIssuerB, "k-unknown"), CardBody("c-unknown", TestPan(kVisaBin)), kIssuerB);
  ASSERT_EQ(c.status, 201) << c.body;
  auto end = Ended(Enrol("k-unknown", {}, kIssuerB), kIssuerB);
  EXPECT_EQ(Str(end, "status"), "FAILED");
  ASSERT_TRUE(end.contains("error"));
  EXPECT_EQ(Str(end.at("error").as_object(), "code"), "CONSUMER_INFO_UNAVAILABLE");
}

TEST_F(ClickToPayEnrol, ConsumerDataFromTheBodyWhenNothingIsStored) {
  // ISSUER0002 keeps no personal information ("fetch") and its backend does not know
  // "c-body": the body is the only source.
  auto c = Call("PUT", Card(kIssuerB, "k-body"), CardBody("c-body", TestPan(kVisaBin)), kIssuerB);
  ASSERT_EQ(c.status, 201) << c.body;
  auto none = Ended(Enrol("k-body", {}, kIssuerB), kIssuerB);
  EXPECT_EQ(Str(none, "status"), "FAILED");

  const std::string info = kInfo.substr(std::string(R"({"personalInformation":)").size());
  auto pi = json::parse(info.substr(0, info.size() - 1)).as_object();
  json::object body{{"billingAddress", pi.at("billingAddress")}, {"name", "JANE DOE"}};
  pi.erase("billingAddress");
  body["consumerInfo"] = pi;
  auto ok = Ended(Enrol("k-body", json::serialize(body), kIssuerB), kIssuerB);
  EXPECT_EQ(Str(ok, "status"), "SUCCESSFUL") << json::serialize(ok);
  // The body's data was used for that operation only: nothing was stored with the consumer.
  auto consumer = Body(Call("GET", Consumer(kIssuerB, "c-body"), {}, kIssuerB));
  EXPECT_FALSE(consumer.contains("personalInformation"));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM jobs WHERE input IS NOT NULL"), 0);
}

TEST_F(ClickToPayEnrol, MissingStoredFieldsAreNamed) {
  // ISSUER0001 has no issuer backend: what is stored is all there is.
  auto c = Call("PUT", Consumer(kIssuerA, "c-partial"),
                R"({"personalInformation":{"firstName":"Jane","lastName":"Doe"}})");
  ASSERT_EQ(c.status, 201) << c.body;
  auto r = Call("PUT", Card(kIssuerA, "k-partial"),
                CardBody("c-partial", TestPan(kMcBin), "MC_STANDARD"));
  ASSERT_EQ(r.status, 201) << r.body;
  auto end = Ended(Enrol("k-partial"));
  ASSERT_EQ(Str(end, "status"), "FAILED");
  EXPECT_EQ(Str(end.at("error").as_object(), "code"), "CONSUMER_DATA_INCOMPLETE");
  const std::string message = Str(end.at("error").as_object(), "message");
  for (const char* field : {"language", "email", "mobilePhoneNumber", "billingAddress"}) {
    EXPECT_NE(message.find(field), std::string::npos) << field << ": " << message;
  }
  EXPECT_EQ(message.find("Jane"), std::string::npos);
}

TEST_F(ClickToPayEnrol, Getters) {
  RegisterCard("c-get", "k-get", TestPan(kVisaBin));
  const std::string op = Enrol("k-get");
  auto end = Ended(op);
  ASSERT_EQ(Str(end, "status"), "SUCCESSFUL");
  const std::string base = "/banking/v1/issuers/" + std::string(kIssuerA);
  // An ended operation's answer is kept by the reactor thread that served it
  // (api/ended_operations.hpp). c2pd hands new connections to its two threads in turn and
  // each call is a new connection: asked four times, both threads keep it, and the scope
  // checks below, asked twice each, run on a kept view.
  for (int i = 0; i < 4; ++i) {
    auto again = Call("GET", Operation(kIssuerA, op));
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(Body(again), end);
  }
  RegisterCard("c-get", "k-get-other", TestPan(kVisaBin));
  for (int i = 0; i < 2; ++i) {
    // By card: the card's own operations; another card's path does not show it.
    auto by_card = Call("GET", base + "/cards/k-get/operations/" + op);
    EXPECT_EQ(by_card.status, 200);
    EXPECT_EQ(Body(by_card), end);
    auto wrong_card = Call("GET", base + "/cards/k-get-other/operations/" + op);
    EXPECT_EQ(wrong_card.status, 404);
    EXPECT_EQ(ErrorCodeOf(wrong_card), "OPERATION_NOT_FOUND");
    // A card operation is not a consumer operation.
    auto as_consumer = Call("GET", base + "/consumers/c-get/operations/" + op);
    EXPECT_EQ(ErrorCodeOf(as_consumer), "OPERATION_NOT_FOUND");
    // Another issuer never sees it.
    auto other = Call("GET", "/banking/v1/issuers/" + std::string(kIssuerB) + "/operations/" + op,
                      {}, kIssuerB);
    EXPECT_EQ(ErrorCodeOf(other), "OPERATION_NOT_FOUND");
  }
  // The list: most recent first (the token service's DIGITIZE, if its event has come, then
  // the enrolment, then the registration), paged.
  auto list = Body(Call("GET", base + "/cards/k-get/operations"));
  const auto& ops = list.at("operations").as_array();
  ASSERT_GE(ops.size(), 2U) << json::serialize(list);
  const std::size_t n = ops.size();
  EXPECT_EQ(ops[n - 2].at("operation").as_string(), "CLICK_TO_PAY_ENROLMENT");
  EXPECT_EQ(ops[n - 1].at("operation").as_string(), "REGISTER");
  if (n == 3) {
    EXPECT_EQ(ops[0].at("operation").as_string(), "DIGITIZE");
  }
  EXPECT_EQ(list.at("limit").as_int64(), 10);
  auto page = Body(
      Call("GET", base + "/cards/k-get/operations?offset=" + std::to_string(n - 1) + "&limit=1"));
  ASSERT_EQ(page.at("operations").as_array().size(), 1U);
  EXPECT_EQ(page.at("operations").at(0).at("operation").as_string(), "REGISTER");
  for (const char* query : {"?limit=0", "?limit=101", "?offset=-1", "?limit=x", "?offset=1e3"}) {
    auto r = Call("GET", base + "/cards/k-get/operations" + query);
    EXPECT_EQ(r.status, 400) << query;
    EXPECT_EQ(ErrorCodeOf(r), "FIELD_INVALID_FORMAT") << query;
  }
  for (const char* query : {"?wait=31", "?wait=-1", "?wait=abc"}) {
    EXPECT_EQ(Call("GET", Operation(kIssuerA, op) + query).status, 400) << query;
  }
  EXPECT_EQ(ErrorCodeOf(Call("GET", base + "/cards/nope/operations")), "CARD_NOT_FOUND");
  EXPECT_EQ(ErrorCodeOf(Call("GET", base + "/consumers/nope/operations")), "CONSUMER_NOT_FOUND");
  auto consumer_list = Body(Call("GET", base + "/consumers/c-get/operations"));
  for (const auto& o : consumer_list.at("operations").as_array()) {
    EXPECT_FALSE(o.as_object().contains("cardId")) << json::serialize(o);
  }
}

TEST_F(ClickToPayEnrol, WaitReturnsAsSoonAsTheOperationEnds) {
  RegisterCard("c-wait", "k-wait", TestPan(kVisaBin, "0036"));  // about 0.4 s per call
  const std::string op = Enrol("k-wait");
  const auto start = std::chrono::steady_clock::now();
  auto r = Call("GET", Operation(kIssuerA, op) + "?wait=30");
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Str(Body(r), "status"), "SUCCESSFUL") << r.body;
  EXPECT_LT(took, std::chrono::seconds(25));
  // An ended operation answers at once whatever the wait.
  const auto again = std::chrono::steady_clock::now();
  EXPECT_EQ(Call("GET", Operation(kIssuerA, op) + "?wait=30").status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - again, std::chrono::seconds(5));
}

TEST_F(ClickToPayEnrol, DirectoryCallsCarryTheEnrolmentsCorrelationId) {
  // spec/outbound.md: every outbound call carries the originating x-correlation-id, so the
  // directory's trace of an enrolment joins the POST that started it.
  struct Expect {
    const NetworkCase& network;
    std::vector<const char*> kinds;  // c2psim's request kinds the enrolment makes
  };
  const Expect cases[] = {{kNetworks[0], {"enrollData", "requestStatus"}},
                          {kNetworks[1], {"enrollments"}}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.network.product);
    const std::string consumer = std::string("c-corr-") + c.network.stats;
    const std::string card = std::string("k-corr-") + c.network.stats;
    RegisterCard(consumer, card, TestPan(c.network.bin), c.network.product);
    const std::string correlation = std::string("e2e-corr-") + c.network.stats;
    auto r = Call("POST", Enrolment(kIssuerA, card), {}, kIssuerA,
                  "x-correlation-id: " + correlation + "\r\n");
    ASSERT_EQ(r.status, 202) << r.body;
    const std::string op(Body(r).at("operationId").as_string());
    auto end = Ended(op);
    ASSERT_EQ(Str(end, "status"), "SUCCESSFUL") << json::serialize(end);
    const auto ids = SimStats().at(c.network.stats).at("lastCorrelationIds").as_object();
    for (const char* kind : c.kinds) {
      EXPECT_EQ(Str(ids, kind), correlation) << kind << " in " << json::serialize(ids);
    }
  }
}

TEST_F(ClickToPayEnrol, NoCardOrPersonalDataInLogsOrResponses) {
  // Runs last in this suite (gtest keeps declaration order): everything above has been
  // logged and answered by now.
  std::vector<std::string> haystacks = Responses();
  haystacks.push_back(ReadFile(dir_ + "/c2pd.out"));
  for (const auto& text : haystacks) {
    for (const auto& pan : pans_) EXPECT_EQ(text.find(pan), std::string::npos) << "PAN leaked";
    EXPECT_EQ(text.find(kTestEmail), std::string::npos) << "email leaked";
    EXPECT_EQ(text.find("612345678"), std::string::npos) << "phone leaked";
    EXPECT_EQ(text.find("fetched@example.com"), std::string::npos) << "fetched email leaked";
  }
}

}  // namespace
}  // namespace c2p::testing
