// c2psim as c2p meets it: a real c2psim process over loopback, and in this test process a
// small real HTTP server answering the token services the way spec/outbound.md §4 says
// c2p will (c2pd's /tsp endpoints come with a later issue).

#include <signal.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <set>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "config.hpp"
#include "core/metrics.hpp"
#include "core/strict_json.hpp"
#include "http/server.hpp"
#include "jose/jwe.hpp"
#include "jose/key_file.hpp"
#include "jose/key_kinds.hpp"
#include "tests/support/process.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/sim_harness.hpp"
#include "webhook.hpp"

namespace c2p::testing {
namespace {

namespace json = boost::json;
namespace asio = boost::asio;

class SimE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(
        h_.Setup("c2psim-e2e-" +
                 std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())));
    auto secret = jose::ReadSecretTextFile(dir_ + "/issuer.whsec");
    ASSERT_TRUE(secret);
    auto bytes = sim::DecodeWebhookSecret(secret->as_text());
    ASSERT_TRUE(bytes);
    webhook_secret_ = *bytes;
  }

  void TearDown() override { h_.Stop(); }

  // Starts c2psim with the test's keys; `extra` is appended to the TOML.
  void StartSim(const std::string& extra = "") { ASSERT_TRUE(h_.StartSim(extra)); }

  std::string SealVisa(const std::string& pan, const std::string& exp = "2031-12") {
    const std::string text = json::serialize(
        json::object{{"accountNumber", pan},
                     {"expirationDate", exp},
                     {"nameOnCard", "Ada Lovelace"},
                     {"billingAddress", {{"addressLine1", "1 rue X"}, {"country", "FRA"}}}});
    return jose::EncryptRsaOaep256(
        {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}, visa_key_);
  }

  std::string SealMc(const std::string& pan, const std::string& year = "2031") {
    const std::string text =
        json::serialize(json::object{{"primaryAccountNumber", pan},
                                     {"panExpirationMonth", "12"},
                                     {"panExpirationYear", year},
                                     {"billingAddress", {{"countryCode", "FR"}}}});
    return jose::EncryptRsaOaep256(
        {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}, mc_key_);
  }

  static json::object Intent() { return {{"type", "PRODUCT_CODE"}, {"value", "CLICK_TO_PAY"}}; }

  json::object VisaEnrolBody(const std::string& consumer, const std::string& card,
                             const std::string& pan, const std::string& exp = "2031-12") {
    return {{"intent", Intent()},
            {"consumerInformation",
             {{"externalConsumerID", consumer},
              {"firstName", "Ada"},
              {"lastName", "Lovelace"},
              {"emails", json::array{consumer + "@example.com"}},
              {"phones", json::array{"33612345678"}},
              {"locale", "en_US"},
              {"countryCode", "FRA"}}},
            {"paymentInstruments", json::array{{{"type", "CARD"},
                                                {"externalCardID", card},
                                                {"encryptedData", SealVisa(pan, exp)}}}}};
  }

  json::object McEnrolBody(const std::string& consumer, const std::string& card,
                           const std::string& pan, const std::string& year = "2031") {
    return {{"srcClientId", "c2p"},
            {"serviceId", "c2p-service"},
            {"externalConsumerId", consumer},
            {"externalCardId", card},
            {"consumer",
             {{"firstName", "Ada"},
              {"lastName", "Lovelace"},
              {"emailAddress", consumer + "@example.com"},
              {"mobileNumber", {{"countryCode", "33"}, {"phoneNumber", "612345678"}}},
              {"locale", "en_US"},
              {"countryCode", "FR"}}},
            {"encryptedCard", SealMc(pan, year)}};
  }

  std::optional<HttpResponse> Visa(std::string_view method, const std::string& call,
                                   const json::object& body,
                                   std::string_view api_key = "visa-key") {
    return Fetch(sim_port_, method, "/visaIdCredential/v1" + call, json::serialize(body),
                 "Content-Type: application/json\r\nx-request-id: r1\r\nx-api-key: " +
                     std::string(api_key) + "\r\n");
  }

  std::optional<HttpResponse> Mc(std::string_view method, const std::string& path,
                                 const std::string& body = {}) {
    return Fetch(sim_port_, method, "/src/api/digital/payments" + path, body,
                 "Content-Type: application/json\r\nx-request-id: r1\r\nx-api-key: mc-key\r\n");
  }

  std::optional<HttpResponse> Status(const std::string& trace) {
    return Fetch(sim_port_, "GET", "/visaIdCredential/v1/requestStatus/" + trace, {},
                 "x-api-key: visa-key\r\n");
  }

  // Polls requestStatus until COMPLETED (with a deadline); the final status body.
  json::object Completed(const std::string& trace) {
    json::object last;
    EXPECT_TRUE(Eventually([&] {
      auto r = Status(trace);
      if (!r || r->status != 200) return false;
      last = json::parse(r->body).as_object();
      return last.at("status").as_string() == "COMPLETED";
    }));
    return last;
  }

  json::object Stats() {
    auto r = Fetch(sim_port_, "GET", "/sim/v1/stats");
    EXPECT_TRUE(r && r->status == 200);
    return json::parse(r->body).as_object();
  }

  static std::string Reason(const HttpResponse& r) {
    return std::string(json::parse(r.body).at("reason").as_string());
  }
  static std::string McReason(const HttpResponse& r) {
    return std::string(
        json::parse(r.body).at("Errors").at("Error").as_array().at(0).at("ReasonCode").as_string());
  }

  // The harness (tests/support/sim_harness.hpp) under the names the tests use.
  SimHarness h_;
  std::string& dir_ = h_.dir;
  jose::RsaKey& visa_key_ = h_.visa_key;
  jose::RsaKey& mc_key_ = h_.mc_key;
  FakeC2p& fake_ = h_.fake;
  std::string& visa_extra_ = h_.visa_extra;
  std::string& mc_extra_ = h_.mc_extra;
  std::string& issuer_extra_ = h_.issuer_extra;
  std::uint16_t& sim_port_ = h_.sim_port;
  std::vector<std::uint8_t> webhook_secret_;
};

TEST_F(SimE2e, VisaEnrolmentCompletesOnlyAfterTheTokenService) {
  visa_extra_ = "token_latency_ms = 1500\n";  // room to look while it runs
  StartSim();
  auto r = Visa("POST", "/enrollData", VisaEnrolBody("cons-1", "card-1", "4111111111111111"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 202) << r->body;
  const std::string trace(json::parse(r->body).at("requestTraceId").as_string());
  auto first = Status(trace);
  ASSERT_TRUE(first);
  EXPECT_EQ(json::parse(first->body).at("status").as_string(), "IN_PROGRESS");
  // While it runs, another write for the same consumer is refused.
  auto busy = Visa("POST", "/enrollPaymentInstruments",
                   VisaEnrolBody("cons-1", "card-2", "4012888888881881"));
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->status, 409);
  EXPECT_EQ(Reason(*busy), "VIDC-3000");

  const json::object done = Completed(trace);
  const auto& detail = done.at("details").as_array().at(0);
  EXPECT_EQ(detail.at("status").as_string(), "SUCCESS");
  EXPECT_EQ(detail.at("externalCardID").as_string(), "card-1");
  const std::string token(detail.at("tokenId").as_string());
  {
    std::lock_guard lock(fake_.mutex);
    ASSERT_EQ(fake_.pans.size(), 1U);
    EXPECT_EQ(fake_.pans[0], "4111111111111111") << "the PAN reached c2p, encrypted to its key";
  }
  ASSERT_TRUE(Eventually([&] { return fake_.CountEvents("ACTIVATED") == 1; }));
  EXPECT_EQ(fake_.Events()[0].at("digitalCardId").as_string(), token);
  EXPECT_EQ(fake_.Events()[0].at("tokenRequestorId").as_string(), "40010030273");

  auto data =
      Visa("POST", "/getData",
           {{"intent", Intent()}, {"consumerInformation", {{"externalConsumerID", "cons-1"}}}});
  ASSERT_TRUE(data);
  ASSERT_EQ(data->status, 200) << data->body;
  const auto card = json::parse(data->body).at("paymentInstruments").as_array().at(0);
  EXPECT_EQ(card.at("last4").as_string(), "1111");
  EXPECT_EQ(card.at("tokenId").as_string(), token);
  EXPECT_EQ(card.at("expirationDate").as_string(), "2031-12");

  const json::object stats = Stats();
  EXPECT_EQ(stats.at("visa").at("profiles").as_int64(), 1);
  EXPECT_EQ(stats.at("visa").at("cards").as_int64(), 1);
  EXPECT_EQ(stats.at("visa").at("tokens").as_int64(), 1);
  EXPECT_EQ(stats.at("visa").at("enrolCalls").as_int64(), 2);
  EXPECT_EQ(stats.at("visa").at("duplicateEnrolments").as_int64(), 0);

  auto lookup = Fetch(sim_port_, "POST", "/sim/v1/checkout/lookup",
                      R"({"email":"CONS-1@example.com"})", "Content-Type: application/json\r\n");
  ASSERT_TRUE(lookup);
  ASSERT_EQ(lookup->status, 200) << lookup->body;
  const auto profiles = json::parse(lookup->body).at("profiles").as_array();
  ASSERT_EQ(profiles.size(), 1U);
  EXPECT_EQ(profiles[0].at("network").as_string(), "visa");
  EXPECT_EQ(profiles[0].at("maskedCards").as_array().at(0).at("panLast4").as_string(), "1111");
  EXPECT_EQ(ReadFile(dir_ + "/c2psim.log").find("4111111111111111"), std::string::npos);
}

TEST_F(SimE2e, VisaErrorPaths) {
  StartSim();
  auto unauth = Visa("POST", "/enrollData", VisaEnrolBody("c", "k", "4111111111111111"), "wrong");
  ASSERT_TRUE(unauth);
  EXPECT_EQ(unauth->status, 401);
  json::object bad = VisaEnrolBody("c", "k", "4111111111111111");
  bad["consumerInformation"].as_object()["countryCode"] = "FR";
  auto format = Visa("POST", "/enrollData", bad);
  ASSERT_TRUE(format);
  EXPECT_EQ(format->status, 400);
  EXPECT_EQ(Reason(*format), "VIDC-1002");
  auto garbage = Fetch(sim_port_, "POST", "/visaIdCredential/v1/enrollData", "{nope",
                       "x-request-id: 1\r\nx-api-key: visa-key\r\n");
  ASSERT_TRUE(garbage);
  EXPECT_EQ(garbage->status, 400);
  EXPECT_EQ(Reason(*garbage), "VIDC-1000");

  auto expired =
      Visa("POST", "/enrollData", VisaEnrolBody("c", "k", "4111111111111111", "2020-01"));
  EXPECT_EQ(Reason(*expired), "VIDC-2003");
  auto not_visa = Visa("POST", "/enrollData", VisaEnrolBody("c", "k", "5555555555554444"));
  EXPECT_EQ(Reason(*not_visa), "VIDC-2006");
  auto not_eligible = Visa("POST", "/enrollData", VisaEnrolBody("c", "k", "4000000000000010"));
  EXPECT_EQ(not_eligible->status, 400);
  EXPECT_EQ(Reason(*not_eligible), "VIDC-2006");
  auto unknown =
      Visa("POST", "/enrollPaymentInstruments", VisaEnrolBody("nobody", "k", "4111111111111111"));
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(Reason(*unknown), "VIDC-2001");

  auto ok = Visa("POST", "/enrollData", VisaEnrolBody("c", "k", "4111111111111111"));
  ASSERT_EQ(ok->status, 202) << ok->body;
  Completed(std::string(json::parse(ok->body).at("requestTraceId").as_string()));
  auto again = Visa("POST", "/enrollData", VisaEnrolBody("c", "k2", "4111111111111111"));
  EXPECT_EQ(again->status, 409);
  EXPECT_EQ(Reason(*again), "VIDC-2000");
  auto duplicate =
      Visa("POST", "/enrollPaymentInstruments", VisaEnrolBody("c", "k", "4111111111111111"));
  EXPECT_EQ(duplicate->status, 409);
  EXPECT_EQ(Reason(*duplicate), "VIDC-2004");
  EXPECT_EQ(Stats().at("visa").at("duplicateEnrolments").as_int64(), 1);
  auto no_card = Visa("POST", "/deletePaymentInstruments",
                      {{"intent", Intent()},
                       {"consumerInformation", {{"externalConsumerID", "c"}}},
                       {"paymentInstruments", json::array{{{"externalCardID", "nope"}}}}});
  EXPECT_EQ(no_card->status, 404);
  EXPECT_EQ(Reason(*no_card), "VIDC-2005");
  auto no_trace = Status("vrt_unknown");
  EXPECT_EQ(no_trace->status, 404);
}

TEST_F(SimE2e, VisaTestCardsAndTokenEvents) {
  StartSim();
  // 0002: the consumer is enrolled, the token service declines the card.
  auto partial = Visa("POST", "/enrollData", VisaEnrolBody("c", "k1", "4000000000000002"));
  ASSERT_EQ(partial->status, 202) << partial->body;
  const json::object done =
      Completed(std::string(json::parse(partial->body).at("requestTraceId").as_string()));
  const auto& failed = done.at("details").as_array().at(0);
  EXPECT_EQ(failed.at("status").as_string(), "FAILED");
  EXPECT_EQ(failed.at("errorDetails").as_array().at(0).at("reason").as_string(), "VIDC-7000");
  EXPECT_EQ(Stats().at("visa").at("profiles").as_int64(), 1);
  EXPECT_EQ(Stats().at("visa").at("cards").as_int64(), 0);

  // c2p's RED fails the card the same way.
  fake_.red_pans.insert("4012888888881881");
  auto red =
      Visa("POST", "/enrollPaymentInstruments", VisaEnrolBody("c", "k2", "4012888888881881"));
  ASSERT_EQ(red->status, 202);
  EXPECT_EQ(Completed(std::string(json::parse(red->body).at("requestTraceId").as_string()))
                .at("details")
                .as_array()
                .at(0)
                .at("status")
                .as_string(),
            "FAILED");

  // 0028: 503 twice, then served.
  for (int i = 0; i < 2; ++i) {
    auto busy =
        Visa("POST", "/enrollPaymentInstruments", VisaEnrolBody("c", "k3", "4000000000000028"));
    EXPECT_EQ(busy->status, 503);
    EXPECT_EQ(Reason(*busy), "VIDC-5000");
  }
  auto third =
      Visa("POST", "/enrollPaymentInstruments", VisaEnrolBody("c", "k3", "4000000000000028"));
  ASSERT_EQ(third->status, 202) << third->body;
  Completed(std::string(json::parse(third->body).at("requestTraceId").as_string()));
  ASSERT_TRUE(Eventually([&] { return fake_.CountEvents("ACTIVATED") == 1; }));

  // Suspend, resume and delete post their token events.
  auto manage = [&](const char* status) {
    return Visa(
        "PUT", "/managePaymentInstruments",
        {{"intent", Intent()},
         {"consumerInformation", {{"externalConsumerID", "c"}}},
         {"paymentInstruments", json::array{{{"externalCardID", "k3"}, {"status", status}}}}});
  };
  EXPECT_EQ(manage("SUSPENDED")->status, 202);
  EXPECT_EQ(manage("ACTIVE")->status, 202);
  auto del = Visa("POST", "/deletePaymentInstruments",
                  {{"intent", Intent()},
                   {"consumerInformation", {{"externalConsumerID", "c"}}},
                   {"paymentInstruments", json::array{{{"externalCardID", "k3"}}}}});
  EXPECT_EQ(del->status, 202);
  ASSERT_TRUE(Eventually([&] {
    return fake_.CountEvents("SUSPENDED") == 1 && fake_.CountEvents("RESUMED") == 1 &&
           fake_.CountEvents("DELETED") == 1;
  }));
  EXPECT_EQ(Stats().at("visa").at("tokens").as_int64(), 0);
}

TEST_F(SimE2e, VisaConsumerUpdateAndDeletion) {
  StartSim();
  auto ok = Visa("POST", "/enrollData", VisaEnrolBody("c", "k", "4111111111111111"));
  ASSERT_EQ(ok->status, 202) << ok->body;
  Completed(std::string(json::parse(ok->body).at("requestTraceId").as_string()));

  json::object update = VisaEnrolBody("c", "k", "4111111111111111");
  update.erase("paymentInstruments");
  update["consumerInformation"].as_object()["emails"] = json::array{"new@example.com"};
  auto managed = Visa("PUT", "/manageConsumerInformation", update);
  ASSERT_EQ(managed->status, 202) << managed->body;
  EXPECT_EQ(Completed(std::string(json::parse(managed->body).at("requestTraceId").as_string()))
                .at("details")
                .as_array()
                .at(0)
                .at("status")
                .as_string(),
            "SUCCESS");
  auto lookup = Fetch(sim_port_, "POST", "/sim/v1/checkout/lookup",
                      R"({"email":"new@example.com"})", "Content-Type: application/json\r\n");
  EXPECT_EQ(json::parse(lookup->body).at("profiles").as_array().size(), 1U);

  auto unknown_card = Visa("PUT", "/managePaymentInstruments",
                           {{"intent", Intent()},
                            {"consumerInformation", {{"externalConsumerID", "c"}}},
                            {"paymentInstruments", json::array{{{"externalCardID", "nope"}}}}});
  EXPECT_EQ(unknown_card->status, 404);
  EXPECT_EQ(Reason(*unknown_card), "VIDC-2005");

  const json::object light{{"intent", Intent()},
                           {"consumerInformation", {{"externalConsumerID", "c"}}}};
  EXPECT_EQ(Visa("POST", "/deleteConsumerInformation", light)->status, 202);
  ASSERT_TRUE(Eventually([&] { return fake_.CountEvents("DELETED") == 1; }));
  auto gone = Visa("POST", "/getData", light);
  EXPECT_EQ(gone->status, 404);
  EXPECT_EQ(Reason(*gone), "VIDC-2001");
  EXPECT_EQ(Stats().at("visa").at("profiles").as_int64(), 0);
  EXPECT_EQ(Stats().at("visa").at("cards").as_int64(), 0);
}

TEST_F(SimE2e, IssuerBearerRequirementAndFaults) {
  issuer_extra_ = "require_bearer = true\n";
  StartSim();
  const std::string info = "/sim/v1/issuer/issuers/SANDBOX001/consumers/cons-1";
  EXPECT_EQ(Fetch(sim_port_, "GET", info)->status, 401);
  auto token = Fetch(sim_port_, "POST", "/sim/v1/issuer/authz/d1/v1/oauth2/token",
                     "grant_type=client_credentials",
                     "Content-Type: application/x-www-form-urlencoded\r\n"
                     "Authorization: Basic YzJwOnMzY3JldA==\r\n");
  ASSERT_EQ(token->status, 200);
  const std::string bearer = "Authorization: Bearer " +
                             std::string(json::parse(token->body).at("access_token").as_string()) +
                             "\r\n";
  EXPECT_EQ(Fetch(sim_port_, "GET", info, {}, bearer)->status, 200);
  Fetch(sim_port_, "POST", "/sim/v1/faults", R"({"network":"issuer","errorRate":1,"status":500})",
        "Content-Type: application/json\r\n");
  EXPECT_EQ(Fetch(sim_port_, "GET", info, {}, bearer)->status, 500);
  Fetch(sim_port_, "DELETE", "/sim/v1/faults");
  EXPECT_EQ(Fetch(sim_port_, "GET", info, {}, bearer)->status, 200);
}

TEST_F(SimE2e, SlowCardTakesItsTime) {
  StartSim();
  const auto start = std::chrono::steady_clock::now();
  auto r = Visa("POST", "/enrollData", VisaEnrolBody("c", "k", "4000000000000036"));
  EXPECT_EQ(r->status, 202);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(400));
}

TEST_F(SimE2e, MastercardEnrolmentBlocksUntilTheTokenIsProvisioned) {
  StartSim();
  auto r = Mc("POST", "/enrollments", json::serialize(McEnrolBody("c", "k", "5555555555554444")));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json::value body = json::parse(r->body);
  EXPECT_TRUE(body.at("consumerCreated").as_bool());
  EXPECT_EQ(body.at("maskedCard").at("panLastFour").as_string(), "4444");
  EXPECT_EQ(body.at("maskedCard").at("panExpirationYear").as_string(), "2031");
  {
    std::lock_guard lock(fake_.mutex);
    ASSERT_EQ(fake_.pans.size(), 1U) << "c2p was asked before the answer";
  }
  const std::string digital(body.at("srcDigitalCardId").as_string());
  ASSERT_TRUE(Eventually([&] { return fake_.CountEvents("ACTIVATED") == 1; }));

  auto dup = Mc("POST", "/enrollments", json::serialize(McEnrolBody("c", "k", "5555555555554444")));
  EXPECT_EQ(dup->status, 409);
  EXPECT_EQ(McReason(*dup), "ALREADY_EXISTS");
  EXPECT_EQ(Stats().at("mastercard").at("duplicateEnrolments").as_int64(), 1);

  auto second =
      Mc("POST", "/enrollments", json::serialize(McEnrolBody("c", "k2", "5105105105105100")));
  ASSERT_EQ(second->status, 200) << second->body;
  EXPECT_FALSE(json::parse(second->body).at("consumerCreated").as_bool());

  auto profile = Mc("GET", "/consumers/c");
  ASSERT_EQ(profile->status, 200);
  EXPECT_EQ(json::parse(profile->body).at("cards").as_array().size(), 2U);
  auto suspend = Mc("PUT", "/consumers/c/cards/k", R"({"status":"SUSPENDED"})");
  EXPECT_EQ(suspend->status, 200) << suspend->body;
  auto address = Mc("PUT", "/consumers/c/cards/k", R"({"billingAddress":{"countryCode":"FRA"}})");
  EXPECT_EQ(address->status, 400);
  EXPECT_EQ(McReason(*address), "INVALID_FIELD");
  EXPECT_EQ(Mc("DELETE", "/consumers/c/cards/k")->status, 204);
  EXPECT_EQ(Mc("DELETE", "/consumers/c/cards/k")->status, 404);
  EXPECT_EQ(Mc("DELETE", "/consumers/c")->status, 204);
  EXPECT_EQ(Mc("GET", "/consumers/c")->status, 404);
  ASSERT_TRUE(Eventually(
      [&] { return fake_.CountEvents("SUSPENDED") == 1 && fake_.CountEvents("DELETED") == 2; }));
  EXPECT_EQ(Stats().at("mastercard").at("profiles").as_int64(), 0);
}

TEST_F(SimE2e, MastercardErrorPathsAndTestCards) {
  StartSim();
  auto declined =
      Mc("POST", "/enrollments", json::serialize(McEnrolBody("c", "k1", "5100000006000002")));
  ASSERT_TRUE(declined);
  EXPECT_EQ(declined->status, 422);
  EXPECT_EQ(McReason(*declined), "TOKENIZATION_DECLINED");
  const auto error = json::parse(declined->body).at("Errors").at("Error").as_array().at(0);
  EXPECT_TRUE(error.at("Details").at("consumerCreated").as_bool());
  EXPECT_FALSE(error.at("Recoverable").as_bool());

  auto not_eligible =
      Mc("POST", "/enrollments", json::serialize(McEnrolBody("c", "k2", "5100000006000010")));
  EXPECT_EQ(not_eligible->status, 422);
  EXPECT_EQ(McReason(*not_eligible), "CARD_NOT_ELIGIBLE");
  auto visa_card =
      Mc("POST", "/enrollments", json::serialize(McEnrolBody("c", "k2", "4111111111111111")));
  EXPECT_EQ(McReason(*visa_card), "CARD_NOT_ELIGIBLE");
  auto expired = Mc("POST", "/enrollments",
                    json::serialize(McEnrolBody("c", "k2", "5555555555554444", "2020")));
  EXPECT_EQ(McReason(*expired), "CARD_NOT_ELIGIBLE");
  for (int i = 0; i < 2; ++i) {
    auto busy =
        Mc("POST", "/enrollments", json::serialize(McEnrolBody("c", "k3", "5100000006000028")));
    EXPECT_EQ(busy->status, 503);
    EXPECT_EQ(McReason(*busy), "SERVICE_UNAVAILABLE");
    EXPECT_TRUE(json::parse(busy->body)
                    .at("Errors")
                    .at("Error")
                    .as_array()
                    .at(0)
                    .at("Recoverable")
                    .as_bool());
  }
  EXPECT_EQ(Mc("POST", "/enrollments", json::serialize(McEnrolBody("c", "k3", "5100000006000028")))
                ->status,
            200);
  json::object bad = McEnrolBody("c", "k4", "5555555555554444");
  bad["consumer"].as_object()["locale"] = "en-US";
  auto invalid = Mc("POST", "/enrollments", json::serialize(bad));
  EXPECT_EQ(invalid->status, 400);
  EXPECT_EQ(
      json::parse(invalid->body).at("Errors").at("Error").as_array().at(0).at("Source").as_string(),
      "consumer.locale");
  auto no_key =
      Fetch(sim_port_, "GET", "/src/api/digital/payments/consumers/c", {}, "x-request-id: 1\r\n");
  EXPECT_EQ(no_key->status, 401);
}

TEST_F(SimE2e, MastercardRateLimitAnswers429WithRetryAfter) {
  mc_extra_ = "rate_limit = 1\n";
  StartSim();
  int limited = 0;
  std::string retry_after;
  for (int i = 0; i < 10; ++i) {
    auto r = Mc("GET", "/consumers/nobody");
    ASSERT_TRUE(r);
    if (r->status == 429) {
      ++limited;
      retry_after = r->header("retry-after");
      EXPECT_EQ(McReason(*r), "RATE_LIMITED");
    }
  }
  EXPECT_GE(limited, 3);
  EXPECT_EQ(retry_after, "1");
}

TEST_F(SimE2e, TokenEventsAreRetriedUntilC2pAnswers2xx) {
  fake_.fail_events = 3;
  StartSim();
  auto r = Mc("POST", "/enrollments", json::serialize(McEnrolBody("c", "k", "5555555555554444")));
  ASSERT_EQ(r->status, 200) << r->body;
  ASSERT_TRUE(Eventually([&] { return fake_.CountEvents("ACTIVATED") == 1; }));
  // The simulator counts a delivered event once it has read the 2xx, a moment after the
  // fake issuer side counted it: poll its stats too.
  json::object stats;
  ASSERT_TRUE(Eventually([&] {
    stats = Stats();
    return stats.at("mastercard").at("tokenEvents").as_int64() == 1;
  }));
  EXPECT_EQ(stats.at("mastercard").at("tokenEventAttempts").as_int64(), 4);
  EXPECT_EQ(fake_.unauthorized.load(), 0);
}

TEST_F(SimE2e, FaultInjectionIsDeterministicForASeed) {
  StartSim();
  auto run = [&] {
    auto set = Fetch(sim_port_, "POST", "/sim/v1/faults",
                     R"({"network":"visa","errorRate":0.4,"status":502,"seed":11})",
                     "Content-Type: application/json\r\n");
    EXPECT_EQ(set->status, 200) << set->body;
    std::string outcomes;
    for (int i = 0; i < 30; ++i) {
      auto r = Status("vrt_none");
      outcomes += r->status == 502 ? 'E' : (r->status == 404 ? '.' : '?');
    }
    return outcomes;
  };
  const std::string first = run();
  EXPECT_EQ(first, run());
  EXPECT_NE(first.find('E'), std::string::npos);
  EXPECT_NE(first.find('.'), std::string::npos);
  EXPECT_EQ(first.find('?'), std::string::npos);
  EXPECT_EQ(Fetch(sim_port_, "DELETE", "/sim/v1/faults")->status, 204);
  EXPECT_EQ(Status("vrt_none")->status, 404);
  auto bad = Fetch(sim_port_, "POST", "/sim/v1/faults", R"({"network":"amex"})",
                   "Content-Type: application/json\r\n");
  EXPECT_EQ(bad->status, 400);
}

TEST_F(SimE2e, TimeoutFaultHoldsTheAnswerButAppliesTheCall) {
  StartSim();
  Fetch(sim_port_, "POST", "/sim/v1/faults", R"({"network":"mastercard","timeoutRate":1,"seed":1})",
        "Content-Type: application/json\r\n");
  auto r = Mc("POST", "/enrollments", json::serialize(McEnrolBody("c", "k", "5555555555554444")));
  ASSERT_TRUE(r);  // answered after timeout_fault_ms (300 ms), with Connection: close
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(Stats().at("mastercard").at("cards").as_int64(), 1);
}

TEST_F(SimE2e, StandInIssuer) {
  StartSim();
  // OAuth: Basic auth on the token endpoint.
  auto token = Fetch(sim_port_, "POST", "/sim/v1/issuer/authz/d1/v1/oauth2/token",
                     "grant_type=client_credentials",
                     "Content-Type: application/x-www-form-urlencoded\r\nAuthorization: Basic "
                     "YzJwOnMzY3JldA==\r\n");
  ASSERT_TRUE(token);
  ASSERT_EQ(token->status, 200) << token->body;
  EXPECT_EQ(json::parse(token->body).at("token_type").as_string(), "Bearer");
  auto wrong = Fetch(sim_port_, "POST", "/sim/v1/issuer/authz/d1/v1/oauth2/token",
                     "grant_type=client_credentials", "Authorization: Basic YzJwOm5v\r\n");
  EXPECT_EQ(wrong->status, 401);

  // Get Consumer Information from the fixture file.
  auto info = Fetch(sim_port_, "GET", "/sim/v1/issuer/issuers/SANDBOX001/consumers/cons-1");
  ASSERT_EQ(info->status, 200);
  EXPECT_EQ(json::parse(info->body).at("consumerInfo").at("firstName").as_string(), "Ada");
  EXPECT_EQ(Fetch(sim_port_, "GET", "/sim/v1/issuer/issuers/SANDBOX001/consumers/cons-2")->status,
            404);

  // Notifications: signature checked, duplicates dropped, listed by cardId.
  const std::string path = "/sim/v1/issuer/notifications/d1/v2/issuers/SANDBOX001/cards";
  const std::string body =
      R"({"operations":[{"operationId":"op1","cardId":"card-9","status":"SUCCESSFUL"}]})";
  const std::string now = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
  auto send = [&](const std::string& id, const std::string& ts, const std::string& signature) {
    return Fetch(sim_port_, "POST", path, body,
                 "Content-Type: application/json\r\nwebhook-id: " + id + "\r\nwebhook-timestamp: " +
                     ts + "\r\nwebhook-signature: " + signature + "\r\n");
  };
  const std::string good = sim::SignWebhook("msg_1", now, body, webhook_secret_);
  EXPECT_EQ(send("msg_1", now, good)->status, 204);
  EXPECT_EQ(send("msg_1", now, good)->status, 204);
  EXPECT_EQ(send("msg_2", now, good)->status, 401) << "signature over another id";
  const std::string old = "1600000000";
  EXPECT_EQ(send("msg_3", old, sim::SignWebhook("msg_3", old, body, webhook_secret_))->status, 401);
  auto list = Fetch(sim_port_, "GET", "/sim/v1/issuer/notifications?cardId=card-9");
  ASSERT_EQ(list->status, 200);
  const json::value received = json::parse(list->body);
  EXPECT_EQ(received.at("notifications").as_array().size(), 1U);
  EXPECT_EQ(received.at("duplicates").as_int64(), 1);
  EXPECT_TRUE(
      json::parse(Fetch(sim_port_, "GET", "/sim/v1/issuer/notifications?cardId=other")->body)
          .at("notifications")
          .as_array()
          .empty());

  // Told to fail: 410, then back to normal.
  EXPECT_EQ(Fetch(sim_port_, "PUT", "/sim/v1/issuer/behaviour", R"({"status":410})",
                  "Content-Type: application/json\r\n")
                ->status,
            204);
  const std::string sig4 = sim::SignWebhook("msg_4", now, body, webhook_secret_);
  EXPECT_EQ(send("msg_4", now, sig4)->status, 410);
  EXPECT_EQ(Fetch(sim_port_, "DELETE", "/sim/v1/issuer/behaviour")->status, 204);
  EXPECT_EQ(send("msg_4", now, sig4)->status, 204);
}

TEST_F(SimE2e, RefusesAnUnknownConfigKey) {
  std::ofstream(dir_ + "/bad.toml") << "[visa]\nlatency = 5\n";
  auto p =
      Process::Start({BinDir() + "/c2psim", "--config", dir_ + "/bad.toml"}, dir_ + "/bad.log");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->Wait(std::chrono::seconds(20)), 2);
  EXPECT_NE(ReadFile(dir_ + "/bad.log").find("visa.latency"), std::string::npos);
}

}  // namespace
}  // namespace c2p::testing
