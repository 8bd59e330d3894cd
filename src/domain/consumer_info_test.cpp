#include "domain/consumer_info.hpp"

#include <string>

#include <gtest/gtest.h>
#include <boost/json/serialize.hpp>

#include "core/strict_json.hpp"

namespace c2p::domain {
namespace {

boost::json::value Json(std::string_view text) {
  auto v = core::ParseStrictJson(text);
  EXPECT_TRUE(v) << text;
  return v ? *v : boost::json::value();
}

constexpr std::string_view kFullInfo = R"({
  "language": "en-US", "title": "Mr", "firstName": "Jane", "middleName": "Q",
  "lastName": "Doe", "dateOfBirth": "1990-02-28", "email": "jane.doe@example.com",
  "mobilePhoneNumber": { "countryCode": "33", "phoneNumber": "612345678" } })";

constexpr std::string_view kAddress = R"({
  "addressLine1": "1 rue de la Paix", "addressLine2": "Bat. B", "city": "Paris",
  "postalCode": "75002", "countryCode": "FR" })";

TEST(ConsumerInfo, ReadsTheSpecExample) {
  auto info = ReadConsumerInfo(Json(kFullInfo), "/consumerInfo");
  ASSERT_TRUE(info) << info.error().message << " at " << info.error().field;
  EXPECT_EQ(info->language, "en-US");
  EXPECT_EQ(info->title, "Mr");
  EXPECT_EQ(info->first_name, "Jane");
  EXPECT_EQ(info->middle_name, "Q");
  EXPECT_EQ(info->last_name, "Doe");
  EXPECT_EQ(info->date_of_birth, "1990-02-28");
  EXPECT_EQ(info->email, "jane.doe@example.com");
  ASSERT_TRUE(info->mobile_phone_number);
  EXPECT_EQ(info->mobile_phone_number->country_code, "33");
  EXPECT_EQ(info->mobile_phone_number->phone_number, "612345678");
}

TEST(ConsumerInfo, EveryMemberIsOptional) {
  auto info = ReadConsumerInfo(Json("{}"), "/consumerInfo");
  ASSERT_TRUE(info);
  EXPECT_EQ(*info, ConsumerInfo{});
}

TEST(ConsumerInfo, RoundTripsThroughJson) {
  auto info = ReadConsumerInfo(Json(kFullInfo), "");
  ASSERT_TRUE(info);
  auto again = ReadConsumerInfo(boost::json::value(ToJson(*info)), "");
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *info);
  EXPECT_EQ(boost::json::value(ToJson(*info)), Json(kFullInfo));
}

struct Refusal {
  std::string body;
  std::string field;
};

TEST(ConsumerInfo, RefusalsNameTheFieldAsAJsonPointer) {
  const Refusal cases[] = {
      {R"({"firstName": "Jane", "nickname": "JD"})", "/ci/nickname"},
      {R"({"firstName": 7})", "/ci/firstName"},
      {R"({"firstName": null})", "/ci/firstName"},
      {R"({"firstName": ""})", "/ci/firstName"},
      {R"({"lastName": "Doe!"})", "/ci/lastName"},
      {R"({"middleName": ["Q"]})", "/ci/middleName"},
      {R"({"title": "A very long title that goes on and on and on"})", "/ci/title"},
      {R"({"language": "english"})", "/ci/language"},
      {R"({"dateOfBirth": "1990-02-30"})", "/ci/dateOfBirth"},
      {R"({"email": "jane"})", "/ci/email"},
      {R"({"mobilePhoneNumber": "+33612345678"})", "/ci/mobilePhoneNumber"},
      {R"({"mobilePhoneNumber": {"countryCode": "33"}})", "/ci/mobilePhoneNumber/phoneNumber"},
      {R"({"mobilePhoneNumber": {"phoneNumber": "612345678"}})",
       "/ci/mobilePhoneNumber/countryCode"},
      {R"({"mobilePhoneNumber": {"countryCode": "+33", "phoneNumber": "612345678"}})",
       "/ci/mobilePhoneNumber/countryCode"},
      {R"({"mobilePhoneNumber": {"countryCode": "33", "phoneNumber": "612"}})",
       "/ci/mobilePhoneNumber/phoneNumber"},
      {R"({"mobilePhoneNumber": {"countryCode": "33", "phoneNumber": "6123", "ext": "1"}})",
       "/ci/mobilePhoneNumber/ext"},
      // 3 + 13 = 16 digits: each part is fine, the whole is not.
      {R"({"mobilePhoneNumber": {"countryCode": "331", "phoneNumber": "6123456789012"}})",
       "/ci/mobilePhoneNumber"},
      // Not a plain token: the object is named instead of echoing the key.
      {R"({"jane.doe@example.com": "x"})", "/ci"},
      // billingAddress belongs to personalInformation, not to consumerInfo.
      {R"({"billingAddress": {}})", "/ci/billingAddress"},
  };
  for (const auto& c : cases) {
    auto info = ReadConsumerInfo(Json(c.body), "/ci");
    ASSERT_FALSE(info) << c.body;
    EXPECT_EQ(info.error().code, core::ErrorCode::kFieldInvalidFormat) << c.body;
    EXPECT_EQ(info.error().field, c.field) << c.body;
  }
}

TEST(ConsumerInfo, MessagesNeverEchoTheValue) {
  auto info = ReadConsumerInfo(Json(R"({"email": "jane.doe@@example.com"})"), "/ci");
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().message.find("jane"), std::string::npos) << info.error().message;
}

TEST(ConsumerInfo, E164TotalOfFifteenIsAccepted) {
  auto info = ReadConsumerInfo(
      Json(R"({"mobilePhoneNumber": {"countryCode": "331", "phoneNumber": "612345678901"}})"), "");
  EXPECT_TRUE(info);
}

TEST(ConsumerInfo, NotAnObject) {
  auto info = ReadConsumerInfo(Json(R"(["Jane"])"), "/consumerInfo");
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().field, "/consumerInfo");
  EXPECT_EQ(info.error().message, "consumerInfo must be a JSON object");
}

TEST(PersonalInformation, HoldsConsumerInfoAndBillingAddress) {
  std::string text(kFullInfo);
  text.pop_back();
  text += ", \"billingAddress\": " + std::string(kAddress) + "}";
  auto info = ReadPersonalInformation(Json(text), "/personalInformation");
  ASSERT_TRUE(info) << info.error().message << " at " << info.error().field;
  EXPECT_EQ(info->consumer.first_name, "Jane");
  ASSERT_TRUE(info->billing_address);
  EXPECT_EQ(info->billing_address->city, "Paris");
  auto again = ReadPersonalInformation(boost::json::value(ToJson(*info)), "");
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *info);
}

TEST(PersonalInformation, NestedErrorsCarryTheWholePointer) {
  auto info = ReadPersonalInformation(
      Json(R"({"billingAddress": {"addressLine1": "x", "city": "y", "postalCode": "1",
                                   "countryCode": "UK"}})"),
      "/personalInformation");
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().field, "/personalInformation/billingAddress/countryCode");
}

TEST(BillingAddress, RequiredAndOptionalMembers) {
  auto address = ReadBillingAddress(Json(kAddress), "/billingAddress");
  ASSERT_TRUE(address) << address.error().message;
  EXPECT_EQ(address->address_line1, "1 rue de la Paix");
  EXPECT_EQ(address->address_line2, "Bat. B");
  EXPECT_EQ(address->address_line3, std::nullopt);
  EXPECT_EQ(address->state, std::nullopt);
  EXPECT_EQ(address->postal_code, "75002");
  EXPECT_EQ(address->country_code, "FR");
  EXPECT_EQ(boost::json::value(ToJson(*address)), Json(kAddress));

  const Refusal cases[] = {
      {R"({"city": "Paris", "postalCode": "75002", "countryCode": "FR"})", "/b/addressLine1"},
      {R"({"addressLine1": "1", "postalCode": "75002", "countryCode": "FR"})", "/b/city"},
      {R"({"addressLine1": "1", "city": "Paris", "countryCode": "FR"})", "/b/postalCode"},
      {R"({"addressLine1": "1", "city": "Paris", "postalCode": "75002"})", "/b/countryCode"},
      {R"({"addressLine1": "", "city": "P", "postalCode": "1", "countryCode": "FR"})",
       "/b/addressLine1"},
      {R"({"addressLine1": "1", "addressLine3": "", "city": "P", "postalCode": "1",
           "countryCode": "FR"})",
       "/b/addressLine3"},
      {R"({"addressLine1": "1", "city": "P", "state": "a\nb", "postalCode": "1",
           "countryCode": "FR"})",
       "/b/state"},
      {R"({"addressLine1": "1", "city": "P", "postalCode": "12345678901234567",
           "countryCode": "FR"})",
       "/b/postalCode"},
      {R"({"addressLine1": "1", "city": "P", "postalCode": "1", "countryCode": "fr"})",
       "/b/countryCode"},
      {R"({"addressLine1": "1", "city": "P", "postalCode": "1", "countryCode": "FR",
           "country": "France"})",
       "/b/country"},
      {R"({"addressLine1": "1", "city": "P", "postalCode": 75002, "countryCode": "FR"})",
       "/b/postalCode"},
  };
  for (const auto& c : cases) {
    auto bad = ReadBillingAddress(Json(c.body), "/b");
    ASSERT_FALSE(bad) << c.body;
    EXPECT_EQ(bad.error().code, core::ErrorCode::kFieldInvalidFormat);
    EXPECT_EQ(bad.error().field, c.field) << c.body;
  }
}

TEST(BillingAddress, LengthBoundaries) {
  const auto body = [](std::string line1, std::string postal) {
    boost::json::object o{
        {"addressLine1", line1}, {"city", "P"}, {"postalCode", postal}, {"countryCode", "FR"}};
    return boost::json::value(o);
  };
  EXPECT_TRUE(ReadBillingAddress(body(std::string(64, 'a'), "1"), ""));
  EXPECT_FALSE(ReadBillingAddress(body(std::string(65, 'a'), "1"), ""));
  EXPECT_TRUE(ReadBillingAddress(body("a", std::string(16, '1')), ""));
  EXPECT_FALSE(ReadBillingAddress(body("a", std::string(17, '1')), ""));
}

TEST(ClickToPayData, MissingFieldsAreNamedInSpecOrder) {
  EXPECT_EQ(MissingForClickToPay(ConsumerInfo{}, std::nullopt),
            (std::vector<std::string_view>{"language", "firstName", "lastName", "email",
                                           "mobilePhoneNumber", "billingAddress"}));
  auto info = ReadConsumerInfo(Json(kFullInfo), "");
  ASSERT_TRUE(info);
  EXPECT_EQ(MissingForClickToPay(*info, std::nullopt),
            (std::vector<std::string_view>{"billingAddress"}));
  auto address = ReadBillingAddress(Json(kAddress), "");
  ASSERT_TRUE(address);
  EXPECT_TRUE(MissingForClickToPay(*info, *address).empty());
}

}  // namespace
}  // namespace c2p::domain
