#include "networks/normalise.hpp"

#include <string>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace c2p::networks {
namespace {
namespace json = boost::json;

domain::ConsumerInfo FullInfo() {
  domain::ConsumerInfo info;
  info.language = "en-US";
  info.first_name = "Ada";
  info.middle_name = "K";
  info.last_name = "Lovelace";
  info.email = "ada@example.com";
  info.mobile_phone_number = domain::MobilePhone{"33", "612345678"};
  return info;
}

domain::BillingAddress Address() {
  domain::BillingAddress a;
  a.address_line1 = "1 rue \"Haute\"";
  a.address_line2 = "Bat B";
  a.city = "Paris";
  a.postal_code = "75001";
  a.country_code = "FR";
  return a;
}

domain::CardData Card(bool with_name) {
  domain::CardData c;
  c.pan = core::SecretBytes(std::string_view("4111111111111111"));
  c.exp = domain::CardExpiry{2028, 7};
  if (with_name) c.name = core::SecretBytes(std::string_view("ADA LOVELACE"));
  return c;
}

TEST(Normalise, LocaleFromLanguage) {
  EXPECT_EQ(ToLocale("en-US"), "en_US");
  EXPECT_EQ(ToLocale("fr-fr"), "fr_FR");
  EXPECT_EQ(ToLocale("en"), std::nullopt);
  EXPECT_EQ(ToLocale("EN-US"), std::nullopt);
  EXPECT_EQ(ToLocale(""), std::nullopt);
}

TEST(Normalise, Alpha3FromTheDomainTable) {
  EXPECT_EQ(ToAlpha3("FR"), "FRA");
  EXPECT_EQ(ToAlpha3("US"), "USA");
  EXPECT_EQ(ToAlpha3("DE"), "DEU");
  EXPECT_EQ(ToAlpha3("GB"), "GBR");
  EXPECT_EQ(ToAlpha3("AX"), "ALA");
  EXPECT_EQ(ToAlpha3("fr"), std::nullopt);
  EXPECT_EQ(ToAlpha3("ZZ"), std::nullopt);
}

TEST(Normalise, PhonesAndExpiry) {
  EXPECT_EQ(ToVisaPhone({"33", "612345678"}), "33612345678");
  EXPECT_EQ(ToVisaExpiry({2028, 7}), "2028-07");
  EXPECT_EQ(ToVisaExpiry({2030, 12}), "2030-12");
  EXPECT_EQ(ToMastercardMonth({2028, 7}), "07");
  EXPECT_EQ(ToMastercardYear({2028, 7}), "2028");
}

TEST(Normalise, VisaConsumerInformation) {
  const auto out = VisaConsumerInformation("cons_1", FullInfo(), Address());
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(*out, json::parse(R"({"externalConsumerID":"cons_1","firstName":"Ada",
      "middleName":"K","lastName":"Lovelace","emails":["ada@example.com"],
      "phones":["33612345678"],"locale":"en_US","countryCode":"FRA"})")
                      .as_object());
}

TEST(Normalise, MissingDataNamesFieldsNeverValues) {
  domain::ConsumerInfo info = FullInfo();
  info.first_name.reset();
  info.email = "";
  info.mobile_phone_number.reset();
  const auto visa = VisaConsumerInformation("cons_1", info, std::nullopt);
  ASSERT_FALSE(visa.has_value());
  EXPECT_EQ(visa.error().fields, (std::vector<std::string>{"firstName", "email",
                                                           "mobilePhoneNumber", "billingAddress"}));
  EXPECT_EQ(visa.error().message,
            "missing or unusable for visa: firstName, email, mobilePhoneNumber, billingAddress");
  EXPECT_EQ(visa.error().message.find("Lovelace"), std::string::npos);

  const auto mc = MastercardConsumer(info, Address());
  ASSERT_FALSE(mc.has_value());
  EXPECT_EQ(mc.error().fields,
            (std::vector<std::string>{"firstName", "email", "mobilePhoneNumber"}));
}

TEST(Normalise, BadLanguageAndCountryAreRefused) {
  domain::ConsumerInfo info = FullInfo();
  info.language = "english";
  domain::BillingAddress address = Address();
  address.country_code = "XX";
  const auto visa = VisaConsumerInformation("c", info, address);
  ASSERT_FALSE(visa.has_value());
  EXPECT_EQ(visa.error().fields,
            (std::vector<std::string>{"language", "billingAddress.countryCode"}));
  EXPECT_FALSE(MastercardConsumer(info, address).has_value());
  EXPECT_FALSE(VisaBillingAddress(address).has_value());
  EXPECT_FALSE(MastercardBillingAddress(address).has_value());
  EXPECT_FALSE(VisaCardPlaintext(Card(false), address).has_value());
  EXPECT_FALSE(MastercardCardPlaintext(Card(false), address).has_value());
}

TEST(Normalise, MastercardConsumer) {
  const auto out = MastercardConsumer(FullInfo(), Address());
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(*out, json::parse(R"({"firstName":"Ada","lastName":"Lovelace",
      "emailAddress":"ada@example.com","mobileNumber":{"countryCode":"33",
      "phoneNumber":"612345678"},"locale":"en_US","countryCode":"FR"})")
                      .as_object());
}

TEST(Normalise, BillingAddressFieldNames) {
  EXPECT_EQ(*VisaBillingAddress(Address()),
            json::parse(R"({"addressLine1":"1 rue \"Haute\"","addressLine2":"Bat B",
                "city":"Paris","postalCode":"75001","country":"FRA"})")
                .as_object());
  domain::BillingAddress a = Address();
  a.state = "IDF";
  a.address_line3 = "x";
  EXPECT_EQ(*MastercardBillingAddress(a),
            json::parse(R"({"line1":"1 rue \"Haute\"","line2":"Bat B","line3":"x",
                "city":"Paris","state":"IDF","zip":"75001","countryCode":"FR"})")
                .as_object());
}

TEST(Normalise, VisaCardPlaintextIsValidJson) {
  const auto with_name = VisaCardPlaintext(Card(true), Address());
  ASSERT_TRUE(with_name.has_value());
  EXPECT_EQ(json::parse(with_name->as_text()),
            json::parse(R"({"accountNumber":"4111111111111111","nameOnCard":"ADA LOVELACE",
                "expirationDate":"2028-07","billingAddress":{"addressLine1":"1 rue \"Haute\"",
                "addressLine2":"Bat B","city":"Paris","postalCode":"75001","country":"FRA"}})"));
  const auto without = VisaCardPlaintext(Card(false), Address());
  ASSERT_TRUE(without.has_value());
  EXPECT_FALSE(json::parse(without->as_text()).as_object().contains("nameOnCard"));
}

TEST(Normalise, MastercardCardPlaintextHasNoName) {
  const auto out = MastercardCardPlaintext(Card(true), Address());
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(json::parse(out->as_text()), json::parse(R"({"primaryAccountNumber":"4111111111111111",
                "panExpirationMonth":"07","panExpirationYear":"2028",
                "billingAddress":{"line1":"1 rue \"Haute\"","line2":"Bat B","city":"Paris",
                "zip":"75001","countryCode":"FR"}})"));
}

}  // namespace
}  // namespace c2p::networks
