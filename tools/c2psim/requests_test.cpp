#include "requests.hpp"

#include <gtest/gtest.h>
#include <boost/json/serialize.hpp>

namespace c2p::sim {
namespace {

namespace json = boost::json;

class RequestsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    key_ = new jose::RsaKey(jose::RsaKey::Generate());
    key_->set_kid("sim-test");
    keys_ = new jose::JweDecryptionKeys();
    ASSERT_TRUE(keys_->AddRsaOaep256(*key_));
  }
  static void TearDownTestSuite() {
    delete keys_;
    delete key_;
  }

  static std::string Seal(const json::object& card) {
    const std::string text = json::serialize(card);
    return jose::EncryptRsaOaep256(
        {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}, *key_);
  }

  static json::object VisaCard(std::string pan = "4111111111111111", std::string exp = "2031-12") {
    return {
        {"accountNumber", pan},
        {"expirationDate", exp},
        {"nameOnCard", "Ada Lovelace"},
        {"billingAddress", {{"addressLine1", "1 rue X"}, {"city", "Paris"}, {"country", "FRA"}}}};
  }

  static json::object VisaEnrol(const json::object& card = VisaCard()) {
    return {{"intent", {{"type", "PRODUCT_CODE"}, {"value", "CLICK_TO_PAY"}}},
            {"consumerInformation",
             {{"externalConsumerID", "c-1"},
              {"firstName", "Ada"},
              {"lastName", "Lovelace"},
              {"emails", json::array{"ada@example.com"}},
              {"phones", json::array{"33612345678"}},
              {"locale", "en_US"},
              {"countryCode", "FRA"}}},
            {"paymentInstruments",
             json::array{
                 {{"type", "CARD"}, {"externalCardID", "k-1"}, {"encryptedData", Seal(card)}}}}};
  }

  static DirResult<VisaRequest> Visa(const json::object& body,
                                     VisaCall call = VisaCall::kEnrollData) {
    return ReadVisaRequest(call, json::serialize(body), *keys_);
  }

  static json::object McCard(std::string pan = "5555555555554444") {
    return {{"primaryAccountNumber", pan},
            {"panExpirationMonth", "12"},
            {"panExpirationYear", "2031"},
            {"billingAddress", {{"line1", "1 rue X"}, {"countryCode", "FR"}}}};
  }

  static json::object McEnrol(const json::object& card = McCard()) {
    return {{"srcClientId", "client"},
            {"serviceId", "service"},
            {"externalConsumerId", "c-1"},
            {"externalCardId", "k-1"},
            {"consumer",
             {{"firstName", "Ada"},
              {"lastName", "Lovelace"},
              {"emailAddress", "ada@example.com"},
              {"mobileNumber", {{"countryCode", "33"}, {"phoneNumber", "612345678"}}},
              {"locale", "en_US"},
              {"countryCode", "FR"}}},
            {"encryptedCard", Seal(card)}};
  }

  static DirResult<MastercardEnrolment> Mc(const json::object& body) {
    return ReadMastercardEnrolment(json::serialize(body), *keys_);
  }

  static jose::RsaKey* key_;
  static jose::JweDecryptionKeys* keys_;
};

jose::RsaKey* RequestsTest::key_ = nullptr;
jose::JweDecryptionKeys* RequestsTest::keys_ = nullptr;

TEST_F(RequestsTest, VisaEnrollDataReadsConsumerAndDecryptsTheCard) {
  auto r = Visa(VisaEnrol());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->consumer_id, "c-1");
  EXPECT_EQ(r->email, "ada@example.com");
  ASSERT_EQ(r->cards.size(), 1U);
  EXPECT_EQ(r->cards[0].external_card_id, "k-1");
  EXPECT_EQ(r->cards[0].card.pan, "4111111111111111");
  EXPECT_EQ(r->cards[0].card.exp_year, 2031);
  EXPECT_EQ(r->cards[0].card.exp_month, 12);
}

TEST_F(RequestsTest, VisaRefusesWhatIsNotAnObject) {
  auto r = ReadVisaRequest(VisaCall::kEnrollData, "[1]", *keys_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, "VIDC-1000");
  EXPECT_EQ(ReadVisaRequest(VisaCall::kEnrollData, "{", *keys_).error().reason, "VIDC-1000");
}

TEST_F(RequestsTest, VisaMissingFieldIs1001) {
  json::object body = VisaEnrol();
  body["consumerInformation"].as_object().erase("lastName");
  auto r = Visa(body);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, "VIDC-1001");
  EXPECT_EQ(r.error().status, 400U);
  EXPECT_NE(r.error().message.find("consumerInformation.lastName"), std::string::npos);
}

TEST_F(RequestsTest, VisaWantsAlpha3EnUsDigitsAndYearMonth) {
  const std::pair<const char*, json::value> cases[] = {
      {"countryCode", "FR"},
      {"locale", "en-US"},
      {"phones", json::array{"+33612345678"}},
      {"emails", json::array{"not-an-email"}},
      {"emails", json::array{"a@example.com", "b@example.com"}},
  };
  for (const auto& [field, value] : cases) {
    json::object body = VisaEnrol();
    body["consumerInformation"].as_object()[field] = value;
    auto r = Visa(body);
    ASSERT_FALSE(r) << field;
    EXPECT_EQ(r.error().reason, "VIDC-1002") << field;
  }
  auto bad_exp = Visa(VisaEnrol(VisaCard("4111111111111111", "12/31")));
  ASSERT_FALSE(bad_exp);
  EXPECT_EQ(bad_exp.error().reason, "VIDC-1002");
  EXPECT_NE(bad_exp.error().message.find("expirationDate"), std::string::npos);
  json::object card = VisaCard();
  card["billingAddress"].as_object()["country"] = "FR";
  EXPECT_EQ(Visa(VisaEnrol(card)).error().reason, "VIDC-1002");
}

TEST_F(RequestsTest, VisaWrongIntentIs1002) {
  json::object body = VisaEnrol();
  body["intent"].as_object()["value"] = "SOMETHING_ELSE";
  EXPECT_EQ(Visa(body).error().reason, "VIDC-1002");
}

TEST_F(RequestsTest, VisaUndecryptableCardIs1003AndNeverQuotesTheCard) {
  json::object body = VisaEnrol();
  body["paymentInstruments"].as_array()[0].as_object()["encryptedData"] = "a.b.c.d.e";
  auto r = Visa(body);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, "VIDC-1003");
  auto bad_pan = Visa(VisaEnrol(VisaCard("4111111111111112")));
  ASSERT_FALSE(bad_pan);
  EXPECT_EQ(bad_pan.error().reason, "VIDC-1002");
  EXPECT_EQ(bad_pan.error().message.find("4111111111111112"), std::string::npos);
}

TEST_F(RequestsTest, VisaLightCallsNeedOnlyTheConsumerId) {
  const json::object body{{"intent", {{"type", "PRODUCT_CODE"}, {"value", "CLICK_TO_PAY"}}},
                          {"consumerInformation", {{"externalConsumerID", "c-1"}}}};
  EXPECT_TRUE(Visa(body, VisaCall::kGetData));
  EXPECT_TRUE(Visa(body, VisaCall::kDeleteConsumerInformation));
  EXPECT_EQ(Visa(body, VisaCall::kManageConsumerInformation).error().reason, "VIDC-1001");
  EXPECT_EQ(Visa(body, VisaCall::kDeletePaymentInstruments).error().reason, "VIDC-1001");
}

TEST_F(RequestsTest, VisaManagePaymentInstrumentsReadsTheStatusExtension) {
  json::object body{
      {"intent", {{"type", "PRODUCT_CODE"}, {"value", "CLICK_TO_PAY"}}},
      {"consumerInformation", {{"externalConsumerID", "c-1"}}},
      {"paymentInstruments", json::array{{{"externalCardID", "k-1"}, {"status", "SUSPENDED"}}}}};
  auto r = Visa(body, VisaCall::kManagePaymentInstruments);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->updates.at(0).status, "SUSPENDED");
  body["paymentInstruments"].as_array()[0].as_object()["status"] = "DELETED";
  EXPECT_EQ(Visa(body, VisaCall::kManagePaymentInstruments).error().reason, "VIDC-1002");
}

TEST_F(RequestsTest, MastercardEnrolmentReadsEverything) {
  auto r = Mc(McEnrol());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->card_id, "k-1");
  EXPECT_EQ(r->card.pan, "5555555555554444");
  EXPECT_EQ(r->card.exp_month, 12);
  EXPECT_EQ(r->email, "ada@example.com");
}

TEST_F(RequestsTest, MastercardInvalidFieldNamesTheSource) {
  json::object body = McEnrol();
  body["consumer"].as_object()["countryCode"] = "FRA";
  auto r = Mc(body);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, "INVALID_FIELD");
  EXPECT_EQ(r.error().source, "consumer.countryCode");
  body = McEnrol();
  body["consumer"].as_object()["mobileNumber"].as_object()["phoneNumber"] = "06 12";
  EXPECT_EQ(Mc(body).error().source, "consumer.mobileNumber.phoneNumber");
  json::object card = McCard();
  card["panExpirationMonth"] = "13";
  EXPECT_EQ(Mc(McEnrol(card)).error().source, "encryptedCard.panExpirationMonth");
  body = McEnrol();
  body.erase("srcClientId");
  EXPECT_EQ(Mc(body).error().source, "srcClientId");
}

TEST_F(RequestsTest, MastercardConsumerAndCardUpdates) {
  EXPECT_TRUE(ReadMastercardConsumer(
      json::serialize(json::object{{"consumer", McEnrol().at("consumer")}})));
  EXPECT_FALSE(ReadMastercardConsumer("{}"));
  auto update = ReadMastercardCardUpdate(R"({"billingAddress":{"countryCode":"FR"}})");
  ASSERT_TRUE(update);
  EXPECT_FALSE(ReadMastercardCardUpdate(R"({"billingAddress":{"countryCode":"FRA"}})"));
  EXPECT_FALSE(ReadMastercardCardUpdate("{}"));
  EXPECT_EQ(ReadMastercardCardUpdate(R"({"status":"SUSPENDED"})")->status, "SUSPENDED");
}

}  // namespace
}  // namespace c2p::sim
