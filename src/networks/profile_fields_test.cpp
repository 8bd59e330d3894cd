#include "networks/profile_fields.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "networks/normalise.hpp"

namespace c2p::networks {
namespace {

namespace json = boost::json;

TEST(ProfileFields, LocaleBackToLanguage) {
  EXPECT_EQ(FromLocale("en_US"), "en-US");
  EXPECT_EQ(FromLocale("fr_FR"), "fr-FR");
  for (const char* bad : {"en-US", "EN_US", "en_USA", "en", "", "e1_US"}) {
    EXPECT_EQ(FromLocale(bad), std::nullopt) << bad;
  }
  // The round trip with normalise.hpp.
  EXPECT_EQ(FromLocale(*ToLocale("en-US")), "en-US");
}

TEST(ProfileFields, SplitsVisaPhonesByTheCallingCodeLength) {
  struct Case {
    const char* digits;
    const char* cc;
    const char* number;
  };
  for (const Case c : {Case{"33612345678", "33", "612345678"},  // France: two digits
                       Case{"12125550100", "1", "2125550100"},  // NANP: one
                       Case{"79161234567", "7", "9161234567"},  // Russia: one
                       Case{"447700900123", "44", "7700900123"},
                       Case{"353851234567", "353", "851234567"},  // Ireland: three
                       Case{"971501234567", "971", "501234567"}}) {
    auto p = SplitE164(c.digits);
    ASSERT_TRUE(p) << c.digits;
    EXPECT_EQ(p->country_code, c.cc) << c.digits;
    EXPECT_EQ(p->phone_number, c.number) << c.digits;
    // The round trip with normalise.hpp.
    EXPECT_EQ(ToVisaPhone(*p), c.digits);
  }
  for (const char* bad : {"", "3361", "0612345678", "33a12345678", "1234567890123456", "353123"}) {
    EXPECT_EQ(SplitE164(bad), std::nullopt) << bad;
  }
}

TEST(ProfileFields, Expiries) {
  EXPECT_EQ(DisplayExpiryFromVisa("2028-07"), "07/28");
  EXPECT_EQ(DisplayExpiryFromMastercard("12", "2030"), "12/30");
  for (const char* bad : {"2028-13", "2028-00", "2028/07", "28-07", "", "2028-7x"}) {
    EXPECT_EQ(DisplayExpiryFromVisa(bad), "") << bad;
  }
  EXPECT_EQ(DisplayExpiryFromMastercard("7", "2030"), "");
  EXPECT_EQ(DisplayExpiryFromMastercard("07", "30"), "");
}

TEST(ProfileFields, BillingAddressesBothWays) {
  const domain::BillingAddress address{
      "1 rue de la Paix", "Bat B", std::nullopt, "Paris", "IDF", "75002", "FR"};
  const std::string c2p = json::serialize(domain::ToJson(address));
  EXPECT_EQ(json::serialize(BillingFromVisa(*VisaBillingAddress(address))), c2p);
  EXPECT_EQ(json::serialize(BillingFromMastercard(*MastercardBillingAddress(address))), c2p);
  // Unknown countries and non-strings are left out.
  EXPECT_EQ(
      json::serialize(BillingFromVisa(json::parse(R"({"city":7,"country":"FR"})").as_object())),
      "{}");
  EXPECT_EQ(json::serialize(BillingFromMastercard(
                json::parse(R"({"zip":"1","countryCode":"FRA"})").as_object())),
            R"({"postalCode":"1"})");
}

TEST(ProfileFields, ConsumersBothWays) {
  domain::ConsumerInfo info;
  info.language = "en-US";
  info.first_name = "Jane";
  info.middle_name = "Q";
  info.last_name = "Doe";
  info.email = "jane@example.com";
  info.mobile_phone_number = domain::MobilePhone{"44", "7700900123"};
  const domain::BillingAddress billing{"1 High St",  std::nullopt, std::nullopt, "London",
                                       std::nullopt, "SW1A1AA",    "GB"};
  const auto visa = ConsumerFromVisa(*VisaConsumerInformation("k", info, billing));
  EXPECT_EQ(json::serialize(visa),
            R"({"firstName":"Jane","middleName":"Q","lastName":"Doe","email":"jane@example.com",)"
            R"("mobilePhoneNumber":{"countryCode":"44","phoneNumber":"7700900123"},)"
            R"("language":"en-US"})");
  // Mastercard has no middle name.
  auto mc = ConsumerFromMastercard(*MastercardConsumer(info, billing));
  auto expected = visa;
  expected.erase("middleName");
  EXPECT_TRUE(mc == expected) << json::serialize(mc);
  EXPECT_TRUE(
      ConsumerFromMastercard(json::parse(R"({"mobileNumber":{"countryCode":1}})").as_object())
          .empty());
}

}  // namespace
}  // namespace c2p::networks
