#include "domain/request_bodies.hpp"

#include <string>

#include <gtest/gtest.h>

#include "core/strict_json.hpp"
#include "domain/object_fields.hpp"

namespace c2p::domain {
namespace {

boost::json::value Json(std::string_view text) {
  auto v = core::ParseStrictJson(text);
  EXPECT_TRUE(v) << text;
  return v ? *v : boost::json::value();
}

struct Refusal {
  std::string body;
  std::string field;
};

template <typename Reader>
void ExpectRefusals(Reader reader, std::initializer_list<Refusal> cases) {
  for (const auto& c : cases) {
    auto read = reader(Json(c.body));
    ASSERT_FALSE(read) << c.body;
    EXPECT_EQ(read.error().code, core::ErrorCode::kFieldInvalidFormat) << c.body;
    EXPECT_EQ(read.error().field, c.field) << c.body;
  }
}

TEST(ConsumerPutBody, EmptyBodyIsAllowed) {
  auto body = ReadConsumerPutBody(Json("{}"));
  ASSERT_TRUE(body);
  EXPECT_FALSE(body->personal_information);
  EXPECT_FALSE(body->state);
}

TEST(ConsumerPutBody, ReadsPersonalInformationAndState) {
  auto body = ReadConsumerPutBody(Json(R"({
    "personalInformation": {"firstName": "Jane", "lastName": "Doe",
      "billingAddress": {"addressLine1": "1 Main St", "city": "Springfield",
                         "postalCode": "12345", "countryCode": "US"}},
    "state": "INACTIVE"})"));
  ASSERT_TRUE(body) << body.error().message << " at " << body.error().field;
  ASSERT_TRUE(body->personal_information);
  EXPECT_EQ(body->personal_information->consumer.last_name, "Doe");
  EXPECT_EQ(body->personal_information->billing_address->country_code, "US");
  EXPECT_EQ(body->state, ConsumerState::kInactive);
  auto again = ReadConsumerPutBody(boost::json::value(ToJson(*body)));
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *body);
}

TEST(ConsumerPutBody, Refusals) {
  ExpectRefusals(
      ReadConsumerPutBody,
      {
          {R"({"consumerId": "c1"})", "/consumerId"},
          {R"({"state": "DELETED"})", "/state"},
          {R"({"state": "SUSPENDED"})", "/state"},
          {R"({"state": "active"})", "/state"},
          {R"({"state": 1})", "/state"},
          {R"({"personalInformation": "Jane"})", "/personalInformation"},
          {R"({"personalInformation": {"email": "x"}})", "/personalInformation/email"},
          {R"({"personalInformation": {"mobilePhoneNumber": {"countryCode": "1"}}})",
           "/personalInformation/mobilePhoneNumber/phoneNumber"},
          {R"({"personalInformation": {"consumerInfo": {}}})", "/personalInformation/consumerInfo"},
      });
}

TEST(ConsumerPutBody, BodyThatIsNotAnObject) {
  for (const char* text : {"[]", "\"x\"", "1", "null"}) {
    auto body = ReadConsumerPutBody(Json(text));
    ASSERT_FALSE(body) << text;
    EXPECT_EQ(body.error().code, core::ErrorCode::kFieldInvalidFormat);
    EXPECT_EQ(body.error().field, "");
    EXPECT_EQ(body.error().message, "the body must be a JSON object");
  }
}

constexpr std::string_view kCardBody = R"({"consumerId": "cons_1",
  "cardProductId": "VISA_CLASSIC", "encryptedData": "a.b.c.d.e", "state": "ACTIVE"})";

TEST(CardPutBody, ReadsAllMembers) {
  auto body = ReadCardPutBody(Json(kCardBody));
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ(body->consumer_id, "cons_1");
  EXPECT_EQ(body->card_product_id, "VISA_CLASSIC");
  EXPECT_EQ(body->encrypted_data, "a.b.c.d.e");
  EXPECT_EQ(body->state, CardState::kActive);
  auto again = ReadCardPutBody(boost::json::value(ToJson(*body)));
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *body);
}

TEST(CardPutBody, StateIsOptional) {
  auto body =
      ReadCardPutBody(Json(R"({"consumerId": "c", "cardProductId": "p", "encryptedData": "x"})"));
  ASSERT_TRUE(body);
  EXPECT_EQ(body->state, std::nullopt);
}

TEST(CardPutBody, EncryptedDataIsLeftToTheJweReader) {
  // Its size and form are INVALID_ENCRYPTED_DATA, decided by jose::DecryptJwe.
  const std::string big(10000, 'A');
  auto body = ReadCardPutBody(boost::json::value(
      boost::json::object{{"consumerId", "c"}, {"cardProductId", "p"}, {"encryptedData", big}}));
  ASSERT_TRUE(body);
  EXPECT_EQ(body->encrypted_data, big);
}

TEST(CardPutBody, Refusals) {
  ExpectRefusals(
      ReadCardPutBody,
      {
          {R"({"cardProductId": "p", "encryptedData": "x"})", "/consumerId"},
          {R"({"consumerId": "c", "encryptedData": "x"})", "/cardProductId"},
          {R"({"consumerId": "c", "cardProductId": "p"})", "/encryptedData"},
          {R"({"consumerId": "", "cardProductId": "p", "encryptedData": "x"})", "/consumerId"},
          {R"({"consumerId": "a b", "cardProductId": "p", "encryptedData": "x"})", "/consumerId"},
          {R"({"consumerId": "c", "cardProductId": "p.q", "encryptedData": "x"})",
           "/cardProductId"},
          {R"({"consumerId": "c", "cardProductId": "p", "encryptedData": {"pan": "4111"}})",
           "/encryptedData"},
          {R"({"consumerId": "c", "cardProductId": "p", "encryptedData": "x", "state": "DELETED"})",
           "/state"},
          {R"({"consumerId": "c", "cardProductId": "p", "encryptedData": "x", "pan": "4111"})",
           "/pan"},
          {R"({"consumerId": "c", "cardProductId": "p", "encryptedData": "x", "network": "VISA"})",
           "/network"},
      });
}

TEST(CardPutBody, IdLengthBoundaries) {
  const auto body = [](std::string consumer, std::string product) {
    return boost::json::value(boost::json::object{
        {"consumerId", consumer}, {"cardProductId", product}, {"encryptedData", "x"}});
  };
  EXPECT_TRUE(ReadCardPutBody(body(std::string(64, 'c'), "p")));
  EXPECT_FALSE(ReadCardPutBody(body(std::string(65, 'c'), "p")));
  EXPECT_TRUE(ReadCardPutBody(body("c", std::string(48, 'p'))));
  EXPECT_FALSE(ReadCardPutBody(body("c", std::string(49, 'p'))));
}

TEST(CardPutBody, FirstErrorInWireOrderIsReported) {
  auto body = ReadCardPutBody(Json(R"({"consumerId": "", "cardProductId": ""})"));
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().field, "/consumerId");
}

TEST(LifecycleBody, DefaultsToIssuerDecision) {
  auto body = ReadLifecycleBody(Json("{}"));
  ASSERT_TRUE(body);
  EXPECT_EQ(body->reason, std::nullopt);
  EXPECT_EQ(body->reason_code, ReasonCode::kIssuerDecision);
}

TEST(LifecycleBody, ReadsReasonAndCode) {
  auto body = ReadLifecycleBody(Json(R"({"reason": "Lost card", "reasonCode": "USER_DECISION"})"));
  ASSERT_TRUE(body);
  EXPECT_EQ(body->reason, "Lost card");
  EXPECT_EQ(body->reason_code, ReasonCode::kUserDecision);
  auto again = ReadLifecycleBody(boost::json::value(ToJson(*body)));
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *body);
}

TEST(LifecycleBody, Refusals) {
  ExpectRefusals(ReadLifecycleBody, {
                                        {R"({"reason": ""})", "/reason"},
                                        {R"({"reason": "lost-card"})", "/reason"},
                                        {R"({"reasonCode": "OTHER"})", "/reasonCode"},
                                        {R"({"reasonCode": null})", "/reasonCode"},
                                        {R"({"comment": "x"})", "/comment"},
                                    });
  auto bad = ReadLifecycleBody(Json(R"({"reasonCode": "OTHER"})"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "reasonCode must be ISSUER_DECISION or USER_DECISION");
}

TEST(EnrolBody, EmptyBodyIsAllowed) {
  auto body = ReadEnrolBody(Json("{}"));
  ASSERT_TRUE(body);
  EXPECT_EQ(*body, EnrolBody{});
}

TEST(EnrolBody, ReadsEveryMemberAndTheDataRoundTrips) {
  auto body = ReadEnrolBody(Json(R"({"name": "JANE DOE", "reason": "new card",
      "reasonCode": "USER_DECISION",
      "consumerInfo": {"language": "en-US", "firstName": "Jane", "lastName": "Doe",
                       "email": "jane@example.com",
                       "mobilePhoneNumber": {"countryCode": "33", "phoneNumber": "612345678"}},
      "billingAddress": {"addressLine1": "1 rue X", "city": "Paris", "postalCode": "75001",
                         "countryCode": "FR"}})"));
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ(body->data.name, "JANE DOE");
  ASSERT_TRUE(body->data.consumer_info);
  EXPECT_EQ(body->data.consumer_info->first_name, "Jane");
  ASSERT_TRUE(body->data.billing_address);
  EXPECT_EQ(body->reason.reason, "new card");
  EXPECT_EQ(body->reason.reason_code, ReasonCode::kUserDecision);
  auto again = ReadEnrolmentData(boost::json::value(ToJson(body->data)));
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, body->data);
}

TEST(EnrolBody, Refusals) {
  ExpectRefusals(ReadEnrolBody,
                 {
                     {R"({"name": ""})", "/name"},
                     {R"({"name": "A NAME LONGER THAN TWENTY-SIX"})", "/name"},
                     {R"({"consumerInfo": {"email": "nope"}})", "/consumerInfo/email"},
                     {R"({"billingAddress": {"city": "Paris"}})", "/billingAddress/addressLine1"},
                     {R"({"reasonCode": "MAYBE"})", "/reasonCode"},
                     {R"({"cardId": "x"})", "/cardId"},
                 });
}

TEST(ConsumerUpdateBody, ReadsEveryMemberAndRoundTrips) {
  auto body = ReadConsumerUpdateBody(Json(R"({"reason": "moved", "reasonCode": "USER_DECISION",
      "consumerInfo": {"language": "en-US", "firstName": "Jane", "lastName": "Doe",
                       "email": "jane@example.com",
                       "mobilePhoneNumber": {"countryCode": "33", "phoneNumber": "612345678"}},
      "billingAddress": {"addressLine1": "1 rue X", "city": "Paris", "postalCode": "75001",
                         "countryCode": "FR"}})"));
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ(body->consumer_info.email, "jane@example.com");
  ASSERT_TRUE(body->billing_address);
  EXPECT_EQ(body->billing_address->city, "Paris");
  EXPECT_EQ(body->reason.reason, "moved");
  EXPECT_EQ(body->reason.reason_code, ReasonCode::kUserDecision);
  auto again = ReadConsumerUpdateBody(boost::json::value(ToJson(*body)));
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *body);
}

TEST(ConsumerUpdateBody, ConsumerInfoAloneIsEnough) {
  auto body = ReadConsumerUpdateBody(Json(R"({"consumerInfo": {"firstName": "Jane"}})"));
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_FALSE(body->billing_address);
  EXPECT_EQ(body->reason.reason_code, ReasonCode::kIssuerDecision);
}

TEST(ConsumerUpdateBody, Refusals) {
  ExpectRefusals(ReadConsumerUpdateBody,
                 {
                     {R"({})", "/consumerInfo"},
                     {R"({"reason": "no info"})", "/consumerInfo"},
                     {R"({"consumerInfo": null})", "/consumerInfo"},
                     {R"({"consumerInfo": {"email": "nope"}})", "/consumerInfo/email"},
                     {R"({"consumerInfo": {}, "billingAddress": {"city": "Paris"}})",
                      "/billingAddress/addressLine1"},
                     {R"({"consumerInfo": {}, "reasonCode": "MAYBE"})", "/reasonCode"},
                     {R"({"consumerInfo": {}, "name": "JANE"})", "/name"},
                     {R"([])", ""},
                 });
}

TEST(CardUpdateBody, NeedsANameOrABillingAddress) {
  auto empty = ReadCardUpdateBody(Json(R"({"reason": "moved"})"));
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, core::ErrorCode::kFieldInvalidFormat);
  EXPECT_EQ(empty.error().field, "/billingAddress");
  EXPECT_EQ(empty.error().message, "billingAddress is required when name is absent");

  auto name = ReadCardUpdateBody(Json(R"({"name": "JANE Q DOE"})"));
  ASSERT_TRUE(name) << name.error().message;
  EXPECT_EQ(name->data.name, "JANE Q DOE");
  EXPECT_FALSE(name->data.billing_address);
  EXPECT_EQ(name->reason.reason_code, ReasonCode::kIssuerDecision);
}

TEST(CardUpdateBody, ReadsEveryMemberAndRoundTrips) {
  auto body = ReadCardUpdateBody(Json(R"({"name": "JANE DOE", "reason": "moved",
      "reasonCode": "USER_DECISION",
      "billingAddress": {"addressLine1": "2 rue Y", "city": "Lyon", "postalCode": "69001",
                         "countryCode": "FR"}})"));
  ASSERT_TRUE(body) << body.error().message;
  ASSERT_TRUE(body->data.billing_address);
  EXPECT_FALSE(body->data.consumer_info);
  EXPECT_EQ(body->reason.reason, "moved");
  auto again = ReadCardUpdateBody(boost::json::value(ToJson(*body)));
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *body);
  // What is sealed with the job reads back as enrolment data.
  auto sealed = ReadEnrolmentData(boost::json::value(ToJson(body->data)));
  ASSERT_TRUE(sealed);
  EXPECT_EQ(*sealed, body->data);
}

TEST(CardUpdateBody, Refusals) {
  ExpectRefusals(ReadCardUpdateBody,
                 {
                     {R"({})", "/billingAddress"},
                     {R"({"name": ""})", "/name"},
                     {R"({"billingAddress": {"city": "Paris"}})", "/billingAddress/addressLine1"},
                     {R"({"name": "X", "consumerInfo": {}})", "/consumerInfo"},
                     {R"({"name": "X", "reasonCode": "MAYBE"})", "/reasonCode"},
                     {R"({"billingAddress": null})", "/billingAddress"},
                 });
}

TEST(ObjectFields, UnknownMemberWithAnEscapableNameIsNotEchoed) {
  auto body = ReadLifecycleBody(Json(R"({"a/b": 1})"));
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().field, "");
  EXPECT_EQ(body.error().message, "unknown member");
}

TEST(ObjectFields, PointerTokensAreEscaped) {
  EXPECT_EQ(PointerToken("plain"), "plain");
  EXPECT_EQ(PointerToken("a/b"), "a~1b");
  EXPECT_EQ(PointerToken("m~n"), "m~0n");
  EXPECT_EQ(PointerToken("~/"), "~0~1");
}

}  // namespace
}  // namespace c2p::domain
