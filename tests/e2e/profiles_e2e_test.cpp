// Click to Pay profiles (spec/api.md §5.7) and token events coming from the networks
// (spec/outbound.md §4) end to end: a real c2pd reads a real c2psim's directories on both
// networks, and c2psim's token services suspend, resume and delete tokens on their own
// (POST /sim/v1/tokens/{digitalCardId}/events), which c2pd shows in the card view and
// records as TSP operations.

#include "tests/e2e/enrol_fixture.hpp"
#include "tests/support/scratch_dir.hpp"

namespace c2p::testing {
namespace {

using namespace std::chrono_literals;

struct NetworkCase {
  const char* product;
  const char* bin;
  const char* network;  // as c2p names it
  const char* sim;      // as c2psim names it
};
constexpr NetworkCase kNetworks[] = {{"VISA_CLASSIC", "4", "VISA", "visa"},
                                     {"MC_STANDARD", "51", "MASTERCARD", "mastercard"}};

std::string Str(const json::object& o, const char* key) {
  return o.contains(key) && o.at(key).is_string() ? std::string(o.at(key).as_string()) : "";
}

class ClickToPayProfiles : public EnrolE2e {
 protected:
  static void SetUpTestSuite() {
    EnrolE2e::SetUpTestSuite();
    // c2pd's own directory call timeout far above the profile timeout, so that a silent
    // directory is cut short by [engine] profile_timeout_ms (the fixture's [engine] table is
    // the last of its configuration).
    const std::string from = "\ntimeout_ms = 250\n";
    for (auto at = extra_config_.find(from); at != std::string::npos;
         at = extra_config_.find(from)) {
      extra_config_.replace(at, from.size(), "\ntimeout_ms = 10000\n");
    }
    extra_config_ += "profile_timeout_ms = 500\n";
    StartDaemon({"pan-v1.jwk"});
  }
  static void TearDownTestSuite() {
    // c2pd stops cleanly (exit 0, nothing from ASan) even with a profile read abandoned at
    // its timeout still in flight toward a slow directory.
    if (daemon_) {
      const auto status = daemon_->Stop();
      EXPECT_EQ(status, 0) << ReadFile(dir_ + "/c2pd.out");
      daemon_.reset();
    }
    EnrolE2e::TearDownTestSuite();
  }

  static std::string Profiles(const std::string& consumer, const std::string& issuer = kIssuerA) {
    return "/banking/v1/issuers/" + issuer + "/consumers/" + consumer + "/clickToPayProfiles";
  }

  // The profile of `network` in a §5.7 body, or an empty object.
  static json::object ProfileOf(const json::object& body, const std::string& network) {
    if (!body.contains("clickToPayProfiles")) return {};
    for (const auto& p : body.at("clickToPayProfiles").as_array()) {
      if (Str(p.as_object(), "network") == network) return p.as_object();
    }
    return {};
  }
  static json::object CardOf(const json::object& profile, const std::string& card_id) {
    if (!profile.contains("cards")) return {};
    for (const auto& c : profile.at("cards").as_array()) {
      if (Str(c.as_object(), "cardId") == card_id) return c.as_object();
    }
    return {};
  }

  static json::object ClickToPay(const std::string& card_id) {
    auto b = Body(Call("GET", Card(kIssuerA, card_id)));
    return b.contains("clickToPay") ? b.at("clickToPay").as_object() : json::object{};
  }

  // A card registered with a cardholder name, enrolled, with its token's ACTIVATED event
  // applied; its digitalCardId.
  static std::string EnrolledCard(const std::string& consumer, const std::string& card,
                                  const NetworkCase& n, std::string* pan_out = nullptr) {
    auto c = Call("PUT", Consumer(kIssuerA, consumer), kInfo);
    EXPECT_TRUE(c.status == 200 || c.status == 201) << c.body;
    const std::string pan = TestPan(n.bin);
    if (pan_out != nullptr) *pan_out = pan;
    const std::string body = R"({"consumerId":")" + consumer + R"(","cardProductId":")" +
                             n.product + R"(","encryptedData":")" + Jwe(pan, "1230", "JANE DOE") +
                             "\"}";
    auto r = Call("PUT", Card(kIssuerA, card), body);
    EXPECT_EQ(r.status, 201) << r.body;
    auto end = Ended(Enrol(card));
    EXPECT_EQ(Str(end, "status"), "SUCCESSFUL") << json::serialize(end);
    EXPECT_TRUE(Eventually([&] { return ClickToPay(card).contains("digitalCardId"); }, 20s));
    return Str(ClickToPay(card), "digitalCardId");
  }

  static void Faults(const std::string& body) {
    auto f =
        Fetch(sim_->sim_port, "POST", "/sim/v1/faults", body, "Content-Type: application/json\r\n");
    ASSERT_TRUE(f && f->status == 200) << (f ? f->body : "no answer");
  }

  static HttpResponse NetworkEvent(const std::string& digital_card_id, const std::string& event) {
    auto r = Fetch(sim_->sim_port, "POST", "/sim/v1/tokens/" + digital_card_id + "/events",
                   R"({"event":")" + event + "\"}", "Content-Type: application/json\r\n");
    EXPECT_TRUE(r);
    return r ? *r : HttpResponse{};
  }

  // The card's operations of `type` recorded for a token service (requestorType TSP).
  static int TspOperations(const std::string& card, const std::string& type) {
    auto list = Body(Call("GET", "/banking/v1/issuers/" + std::string(kIssuerA) + "/cards/" + card +
                                     "/operations?limit=100"));
    int n = 0;
    for (const auto& o : list.at("operations").as_array()) {
      const auto& op = o.as_object();
      if (Str(op, "operation") == type && Str(op, "requestorType") == "TSP" &&
          Str(op, "status") == "SUCCESSFUL") {
        ++n;
      }
    }
    return n;
  }
};

TEST_F(ClickToPayProfiles, ProfilesOnBothNetworksAfterEnrolment) {
  std::map<std::string, std::pair<std::string, std::string>> cards;  // network -> card, token
  std::map<std::string, std::string> pans;
  for (const auto& n : kNetworks) {
    const std::string card = std::string("k-prof-") + n.sim;
    std::string pan;
    cards[n.network] = {card, EnrolledCard("c-prof", card, n, &pan)};
    pans[n.network] = pan;
  }
  // A card of the consumer that is not enrolled is not in any profile.
  auto extra = Call("PUT", Card(kIssuerA, "k-prof-none"), CardBody("c-prof", TestPan("4")));
  ASSERT_EQ(extra.status, 201) << extra.body;

  auto r = Call("GET", Profiles("c-prof"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = Body(r);
  EXPECT_FALSE(body.contains("unavailableNetworks")) << r.body;
  ASSERT_EQ(body.at("clickToPayProfiles").as_array().size(), 2U) << r.body;
  const auto expected_consumer = json::parse(
      R"({"firstName":"Jane","lastName":"Doe","email":"jane.rules@example.com",)"
      R"("mobilePhoneNumber":{"countryCode":"33","phoneNumber":"612345678"},"language":"en-US"})");
  const auto expected_address = json::parse(
      R"({"addressLine1":"1 rue de la Paix","city":"Paris","postalCode":"75002","countryCode":"FR"})");
  for (const auto& n : kNetworks) {
    SCOPED_TRACE(n.network);
    const auto profile = ProfileOf(body, n.network);
    ASSERT_FALSE(profile.empty()) << r.body;
    EXPECT_EQ(profile.at("consumer"), expected_consumer) << r.body;
    ASSERT_EQ(profile.at("cards").as_array().size(), 1U) << r.body;
    const auto card = CardOf(profile, cards[n.network].first);
    ASSERT_FALSE(card.empty()) << r.body;
    EXPECT_EQ(Str(card, "panLast4"), pans[n.network].substr(pans[n.network].size() - 4));
    EXPECT_EQ(Str(card, "exp"), "12/30");
    EXPECT_EQ(card.at("billingAddress"), expected_address);
    EXPECT_EQ(Str(card, "digitalCardId"), cards[n.network].second);
    EXPECT_EQ(Str(card, "status"), "ACTIVE");
    // Only Visa-like directories hold the cardholder name (networks.md §3).
    EXPECT_EQ(Str(card, "name"), std::string(n.network) == "VISA" ? "JANE DOE" : "");
  }
}

TEST_F(ClickToPayProfiles, KnownConsumerNotEnrolledUnknownConsumerAndBadIds) {
  auto c = Call("PUT", Consumer(kIssuerA, "c-prof-never"), kInfo);
  ASSERT_EQ(c.status, 201) << c.body;
  auto none = Call("GET", Profiles("c-prof-never"));
  ASSERT_EQ(none.status, 200);
  EXPECT_EQ(none.body, R"({"clickToPayProfiles":[]})");

  auto unknown = Call("GET", Profiles("c-prof-nobody"));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(ErrorCodeOf(unknown), "CONSUMER_NOT_FOUND");
  // Another issuer's consumer is not found either; another issuer in the path is refused.
  auto other = Call("GET", Profiles("c-prof-never", kIssuerB), {}, kIssuerB);
  EXPECT_EQ(ErrorCodeOf(other), "CONSUMER_NOT_FOUND");
  EXPECT_EQ(ErrorCodeOf(Call("GET", Profiles("c-prof-never", kIssuerB))), "ISSUER_MISMATCH");
  auto bad = Call("GET", Profiles("bad%20id"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(FieldOf(bad), "/consumerId");
  EXPECT_EQ(Fetch(port_, "GET", Profiles("c-prof-never"))->status, 401);
}

TEST_F(ClickToPayProfiles, ADirectoryThatDoesNotAnswerIsNamed) {
  for (const auto& n : kNetworks) {
    EnrolledCard("c-prof-down", std::string("k-prof-down-") + n.sim, n);
  }
  // Mastercard answers 503 to everything.
  Faults(R"({"network":"mastercard","errorRate":1,"status":503,"seed":1})");
  auto r = Call("GET", Profiles("c-prof-down"));
  Fetch(sim_->sim_port, "DELETE", "/sim/v1/faults");
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = Body(r);
  EXPECT_EQ(json::serialize(body.at("unavailableNetworks")), R"(["MASTERCARD"])") << r.body;
  EXPECT_FALSE(ProfileOf(body, "VISA").empty()) << r.body;
  EXPECT_TRUE(ProfileOf(body, "MASTERCARD").empty()) << r.body;

  // Visa answers after 3 s: the profile timeout (500 ms here) ends its read, not c2pd's
  // 10 s call timeout.
  Faults(R"({"network":"visa","latencyMs":3000,"seed":1})");
  const auto start = std::chrono::steady_clock::now();
  r = Call("GET", Profiles("c-prof-down"));
  const auto took = std::chrono::steady_clock::now() - start;
  Fetch(sim_->sim_port, "DELETE", "/sim/v1/faults");
  ASSERT_EQ(r.status, 200) << r.body;
  body = Body(r);
  EXPECT_EQ(json::serialize(body.at("unavailableNetworks")), R"(["VISA"])") << r.body;
  EXPECT_FALSE(ProfileOf(body, "MASTERCARD").empty()) << r.body;
  EXPECT_GE(took, 450ms);
  EXPECT_LT(took, 2500ms);
}

TEST_F(ClickToPayProfiles, NetworkInitiatedTokenEvents) {
  for (const auto& n : kNetworks) {
    SCOPED_TRACE(n.network);
    const std::string consumer = std::string("c-prof-ev-") + n.sim;
    const std::string card = std::string("k-prof-ev-") + n.sim;
    const std::string token = EnrolledCard(consumer, card, n);
    ASSERT_FALSE(token.empty());
    EXPECT_EQ(Str(ClickToPay(card), "digitalCardStatus"), "ACTIVE");

    // The network suspends the token on its own.
    ASSERT_EQ(NetworkEvent(token, "SUSPENDED").status, 200);
    EXPECT_TRUE(Eventually([&] {
      return Str(ClickToPay(card), "digitalCardStatus") == "SUSPENDED";
    })) << json::serialize(ClickToPay(card));
    auto c2p = ClickToPay(card);
    EXPECT_EQ(Str(c2p, "status"), "ENROLLED");
    EXPECT_EQ(Str(c2p, "digitalCardId"), token);
    EXPECT_EQ(Str(Body(Call("GET", Card(kIssuerA, card))), "state"), "ACTIVE");
    EXPECT_EQ(TspOperations(card, "SUSPEND"), 1);
    EXPECT_EQ(
        Str(CardOf(ProfileOf(Body(Call("GET", Profiles(consumer))), n.network), card), "status"),
        "SUSPENDED");
    // Only an active token can be suspended.
    EXPECT_EQ(NetworkEvent(token, "SUSPENDED").status, 409);

    // … resumes it.
    ASSERT_EQ(NetworkEvent(token, "RESUMED").status, 200);
    EXPECT_TRUE(Eventually([&] { return Str(ClickToPay(card), "digitalCardStatus") == "ACTIVE"; }));
    EXPECT_EQ(TspOperations(card, "RESUME"), 1);

    // … and deletes it: the card is opted out and its token forgotten; enrolling again is
    // allowed.
    ASSERT_EQ(NetworkEvent(token, "DELETED").status, 200);
    EXPECT_TRUE(Eventually([&] { return Str(ClickToPay(card), "status") == "OPTED_OUT"; }));
    c2p = ClickToPay(card);
    EXPECT_FALSE(c2p.contains("digitalCardId")) << json::serialize(c2p);
    EXPECT_FALSE(c2p.contains("digitalCardStatus")) << json::serialize(c2p);
    EXPECT_EQ(TspOperations(card, "DELETE"), 1);
    auto profile = ProfileOf(Body(Call("GET", Profiles(consumer))), n.network);
    EXPECT_TRUE(CardOf(profile, card).empty()) << json::serialize(profile);
    EXPECT_EQ(NetworkEvent(token, "DELETED").status, 404);
    auto again = Ended(Enrol(card));
    EXPECT_EQ(Str(again, "status"), "SUCCESSFUL") << json::serialize(again);
    EXPECT_EQ(Stat(n.sim, "duplicateEnrolments"), 0);
  }
  auto bad = NetworkEvent("vdc_nope", "ACTIVATED");
  EXPECT_EQ(bad.status, 400);
}

TEST_F(ClickToPayProfiles, NoCardOrPersonalDataInLogs) {
  // Runs last (declaration order). The profiles' bodies carry the issuer's own personal
  // data by design; the log must not.
  const std::string log = ReadFile(dir_ + "/c2pd.out");
  ASSERT_NE(log.find("c2p.profiles_read"), std::string::npos);
  for (const auto& pan : pans_) EXPECT_EQ(log.find(pan), std::string::npos) << "PAN leaked";
  for (const char* personal : {kTestEmail, "612345678", "JANE DOE", "rue de la Paix", "75002"}) {
    EXPECT_EQ(log.find(personal), std::string::npos) << personal << " leaked";
  }
}

}  // namespace
}  // namespace c2p::testing
