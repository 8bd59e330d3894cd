// The simulator's small parts: field rules, test cards, faults, webhooks, config, checkout.

#include <fstream>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include "checkout.hpp"
#include "config.hpp"
#include "faults.hpp"
#include "fields.hpp"
#include "issuer_standin.hpp"
#include "test_cards.hpp"
#include "tests/support/scratch_dir.hpp"
#include "token_control.hpp"
#include "webhook.hpp"

namespace c2p::sim {
namespace {

namespace json = boost::json;

TEST(SimFields, FormatsTheNetworksWant) {
  EXPECT_TRUE(IsLocale("en_US"));
  EXPECT_FALSE(IsLocale("en-US"));
  EXPECT_FALSE(IsLocale("EN_us"));
  EXPECT_TRUE(IsPhoneDigits("33612345678"));
  EXPECT_FALSE(IsPhoneDigits("+33612345678"));
  EXPECT_FALSE(IsPhoneDigits("1234567890123456"));
  EXPECT_TRUE(IsYearMonth("2030-01"));
  EXPECT_FALSE(IsYearMonth("2030-13"));
  EXPECT_FALSE(IsYearMonth("2030-00"));
  EXPECT_FALSE(IsYearMonth("30-01"));
  EXPECT_TRUE(IsMonth("10"));
  EXPECT_FALSE(IsMonth("1"));
  EXPECT_TRUE(IsPan("4111111111111111"));
  EXPECT_FALSE(IsPan("4111111111111112"));
  EXPECT_TRUE(IsEmail("a@b.c"));
  EXPECT_FALSE(IsEmail("a b@c"));
  EXPECT_FALSE(IsEmail("a@@b"));
  EXPECT_TRUE(IsExpired(2020, 1, 2020, 2));
  EXPECT_FALSE(IsExpired(2020, 2, 2020, 2));
}

TEST(SimFields, Base64AndLowerCase) {
  EXPECT_EQ(AsciiLower("Ada@Example.COM"), "ada@example.com");
  auto basic = DecodeBase64("YzJwOnMzY3JldA==");
  ASSERT_TRUE(basic);
  EXPECT_EQ(std::string(basic->begin(), basic->end()), "c2p:s3cret");
  EXPECT_EQ(DecodeBase64("YQ==")->size(), 1U);
  EXPECT_FALSE(DecodeBase64("YQ="));
  EXPECT_FALSE(DecodeBase64("Y*==")) << "outside the alphabet";
  EXPECT_FALSE(DecodeBase64(""));
}

TEST(SimTestCards, SuffixDecides) {
  EXPECT_EQ(ClassifyPan("4111111111111111"), TestCard::kApproved);
  EXPECT_EQ(ClassifyPan("4000000000000002"), TestCard::kTokenDeclined);
  EXPECT_EQ(ClassifyPan("4000000000000010"), TestCard::kNotEligible);
  EXPECT_EQ(ClassifyPan("4000000000000028"), TestCard::kUnavailableTwice);
  EXPECT_EQ(ClassifyPan("4000000000000036"), TestCard::kSlow);
}

TEST(SimTestCards, UnavailableTwiceThenServed) {
  UnavailableTwice u;
  EXPECT_TRUE(u.Refuse("visa", "k"));
  EXPECT_TRUE(u.Refuse("visa", "k"));
  EXPECT_FALSE(u.Refuse("visa", "k"));
  EXPECT_TRUE(u.Refuse("mastercard", "k")) << "counted per network";
}

std::vector<FaultDraw::Kind> Sequence(std::uint64_t seed, int n) {
  Faults faults;
  std::string error;
  auto request = ParseFaultRequest(
      json::parse(R"({"network":"visa","errorRate":0.3,"timeoutRate":0.2,"seed":)" +
                  std::to_string(seed) + "}"),
      error);
  EXPECT_TRUE(request) << error;
  faults.Set(*request);
  std::vector<FaultDraw::Kind> out;
  for (int i = 0; i < n; ++i) out.push_back(faults.Draw(FaultTarget::kVisa).kind);
  EXPECT_EQ(faults.Draw(FaultTarget::kMastercard).kind, FaultDraw::Kind::kNone);
  return out;
}

TEST(SimFaults, SameSeedSameOutcomes) {
  const auto a = Sequence(7, 200);
  EXPECT_EQ(a, Sequence(7, 200));
  EXPECT_NE(a, Sequence(8, 200));
  const auto errors = std::count(a.begin(), a.end(), FaultDraw::Kind::kError);
  const auto timeouts = std::count(a.begin(), a.end(), FaultDraw::Kind::kTimeout);
  EXPECT_GT(errors, 30);
  EXPECT_LT(errors, 90);
  EXPECT_GT(timeouts, 15);
  EXPECT_LT(timeouts, 70);
}

TEST(SimFaults, RefusesNonsense) {
  std::string error;
  for (const char* body :
       {R"({"network":"amex"})", R"({"network":"visa","errorRate":1.5})",
        R"({"network":"visa","errorRate":0.7,"timeoutRate":0.7})",
        R"({"network":"visa","status":200})", R"({"network":"visa","extra":1})", "[]"}) {
    EXPECT_FALSE(ParseFaultRequest(json::parse(body), error)) << body;
  }
  Faults faults;
  auto r =
      ParseFaultRequest(json::parse(R"({"network":"issuer","errorRate":1,"status":500})"), error);
  ASSERT_TRUE(r);
  faults.Set(*r);
  EXPECT_EQ(faults.Draw(FaultTarget::kIssuer).status, 500U);
  faults.Clear();
  EXPECT_EQ(faults.Draw(FaultTarget::kIssuer).kind, FaultDraw::Kind::kNone);
}

TEST(SimWebhook, VerifiesSignatureAndFreshness) {
  const std::vector<std::uint8_t> secret(32, 7);
  const std::vector<std::uint8_t> other(32, 8);
  const std::string body = R"({"operations":[]})";
  const std::string sig = SignWebhook("msg_1", "1700000000", body, secret);
  EXPECT_TRUE(sig.starts_with("v1,"));
  const auto tol = std::chrono::seconds(300);
  EXPECT_EQ(VerifyWebhook("msg_1", "1700000000", sig, body, secret, 1700000100, tol),
            WebhookCheck::kValid);
  // Rotation: two signatures, either may match.
  const std::string two = SignWebhook("msg_1", "1700000000", body, other) + " " + sig;
  EXPECT_EQ(VerifyWebhook("msg_1", "1700000000", two, body, secret, 1700000000, tol),
            WebhookCheck::kValid);
  EXPECT_EQ(VerifyWebhook("msg_1", "1700000000", sig, body + " ", secret, 1700000000, tol),
            WebhookCheck::kBadSignature);
  EXPECT_EQ(VerifyWebhook("msg_2", "1700000000", sig, body, secret, 1700000000, tol),
            WebhookCheck::kBadSignature);
  EXPECT_EQ(VerifyWebhook("msg_1", "1700000000", sig, body, secret, 1700000301, tol),
            WebhookCheck::kStale);
  EXPECT_EQ(VerifyWebhook("msg_1", "17000x0000", sig, body, secret, 1700000000, tol),
            WebhookCheck::kStale);
  EXPECT_EQ(VerifyWebhook("", "1700000000", sig, body, secret, 1700000000, tol),
            WebhookCheck::kMissingHeaders);
}

TEST(SimWebhook, DecodesWhsecSecrets) {
  auto bytes = DecodeWebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  ASSERT_TRUE(bytes);
  EXPECT_EQ(bytes->size(), 24U);
  EXPECT_FALSE(DecodeWebhookSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
  EXPECT_FALSE(DecodeWebhookSecret("whsec_abc"));
}

TEST(SimConfigFile, ReadsEveryKeyAndRefusesUnknownOnes) {
  testing::ScratchDir dir;
  std::ofstream(dir.File("c2p.jwk")) << "{}";
  std::ofstream(dir.File("sim.toml")) << R"(
[server]
port = 9999
[c2p]
url = "http://127.0.0.1:8080"
encryption_key = "c2p.jwk"
[visa]
api_key = "vk"
tsp_secret = "vs"
latency_ms = 5
[mastercard]
api_key = "mk"
rate_limit = 100
[timing]
slow_card_ms = 50
)";
  auto c = LoadSimConfig(dir.File("sim.toml"));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->port, 9999);
  EXPECT_EQ(c->visa.api_key, "vk");
  EXPECT_EQ(c->visa.latency.count(), 5);
  EXPECT_EQ(c->mastercard.rate_limit, 100U);
  EXPECT_EQ(c->slow_card.count(), 50);

  std::ofstream(dir.File("bad.toml")) << "[visa]\napi_kee = \"x\"\n";
  auto bad = LoadSimConfig(dir.File("bad.toml"));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("visa.api_kee"), std::string::npos);
  std::ofstream(dir.File("norate.toml")) << "[visa]\nrate_limit = 5\n";
  EXPECT_FALSE(LoadSimConfig(dir.File("norate.toml"))) << "only the Mastercard-like one is limited";
}

TEST(SimCheckout, FindsEnrolledConsumersByEmailInEachNetwork) {
  DirectoryState visa;
  DirectoryState mastercard;
  SimConsumer& c = visa.consumers["c-1"];
  c.email = "ada@example.com";
  SimCard card;
  card.external_card_id = "k-1";
  card.pan_last4 = "1111";
  card.exp_year = 2031;
  card.exp_month = 2;
  card.status = "ACTIVE";
  c.cards.push_back(card);
  card.status = "PENDING";
  c.cards.push_back(card);
  const json::object found = CheckoutLookup("ADA@example.com", visa, mastercard);
  const auto& profiles = found.at("profiles").as_array();
  ASSERT_EQ(profiles.size(), 1U);
  EXPECT_EQ(profiles[0].at("network").as_string(), "visa");
  ASSERT_EQ(profiles[0].at("maskedCards").as_array().size(), 1U);
  EXPECT_EQ(profiles[0].at("maskedCards").as_array()[0].at("exp").as_string(), "0231");
  EXPECT_TRUE(
      CheckoutLookup("bob@example.com", visa, mastercard).at("profiles").as_array().empty());
}

TEST(SimIssuer, FixturesAndBehaviour) {
  auto ok = ParseConsumerFixtures(
      R"({"consumers":[{"issuerId":"SANDBOX001","consumerId":"c1","consumerInfo":{"firstName":"A"}}]})");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->at(0).consumer_id, "c1");
  EXPECT_FALSE(ParseConsumerFixtures(R"({"consumers":[{"issuerId":"X"}]})"));
  EXPECT_FALSE(ParseConsumerFixtures("[]"));
  IssuerBehaviour b;
  std::string error;
  EXPECT_TRUE(ParseIssuerBehaviour(json::parse(R"({"status":410,"delayMs":20})"), b, error));
  EXPECT_EQ(b.status, 410U);
  EXPECT_EQ(b.delay.count(), 20);
  EXPECT_FALSE(ParseIssuerBehaviour(json::parse(R"({"status":99})"), b, error));
  EXPECT_FALSE(ParseIssuerBehaviour(json::parse(R"({"mood":1})"), b, error));
}

TEST(SimTokenControl, ReadsTheEventStrictly) {
  std::string error;
  EXPECT_EQ(ReadTokenEventControl(R"({"event":"SUSPENDED"})", error),
            NetworkTokenEvent::kSuspended);
  EXPECT_EQ(ReadTokenEventControl(R"({"event":"RESUMED"})", error), NetworkTokenEvent::kResumed);
  EXPECT_EQ(ReadTokenEventControl(R"({"event":"DELETED"})", error), NetworkTokenEvent::kDeleted);
  for (const char* bad :
       {"", "[]", R"({"event":"ACTIVATED"})", R"({"event":1})", R"({"event":"DELETED","x":1})",
        R"({"event":"DELETED","event":"DELETED"})", R"({})"}) {
    error.clear();
    EXPECT_FALSE(ReadTokenEventControl(bad, error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

TEST(SimTokenControl, ChangesTheCardOfTheToken) {
  // No c2p configured: the state changes, no event is sent.
  SimContext sim(SimConfig{}, SimKeys{});
  SimCard card;
  card.external_card_id = "k1";
  card.digital_card_id = "mdc_1";
  card.status = "ACTIVE";
  sim.mastercard.consumers["c1"].cards.push_back(std::move(card));
  sim.mastercard.card_owner["k1"] = "c1";
  const auto status = [&] { return sim.mastercard.consumers["c1"].cards.at(0).status; };

  EXPECT_EQ(ApplyTokenEventControl(sim, "mdc_2", NetworkTokenEvent::kSuspended).status,
            http::Status::not_found);
  EXPECT_EQ(ApplyTokenEventControl(sim, "mdc_1", NetworkTokenEvent::kResumed).status,
            http::Status::conflict);
  EXPECT_EQ(ApplyTokenEventControl(sim, "mdc_1", NetworkTokenEvent::kSuspended).status,
            http::Status::ok);
  EXPECT_EQ(status(), "SUSPENDED");
  EXPECT_EQ(ApplyTokenEventControl(sim, "mdc_1", NetworkTokenEvent::kSuspended).status,
            http::Status::conflict);
  EXPECT_EQ(ApplyTokenEventControl(sim, "mdc_1", NetworkTokenEvent::kResumed).status,
            http::Status::ok);
  EXPECT_EQ(status(), "ACTIVE");
  EXPECT_EQ(ApplyTokenEventControl(sim, "mdc_1", NetworkTokenEvent::kDeleted).status,
            http::Status::ok);
  EXPECT_TRUE(sim.mastercard.consumers["c1"].cards.empty());
  EXPECT_FALSE(sim.mastercard.card_owner.contains("k1"));
  EXPECT_EQ(ApplyTokenEventControl(sim, "mdc_1", NetworkTokenEvent::kDeleted).status,
            http::Status::not_found);
}

}  // namespace
}  // namespace c2p::sim
