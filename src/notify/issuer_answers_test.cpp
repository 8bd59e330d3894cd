#include <gtest/gtest.h>

#include "notify/consumer_info_client.hpp"
#include "notify/outbound_oauth.hpp"

namespace c2p::notify {
namespace {

using std::chrono::seconds;

TEST(TokenAnswer, NumberExpiresIn) {
  auto t =
      ReadTokenAnswer(200, R"({"access_token":"at-1","token_type":"Bearer","expires_in":900})");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->access_token, "at-1");
  EXPECT_EQ(t->expires_in, seconds(900));
}

TEST(TokenAnswer, StringExpiresInAndExpiresAt) {
  auto t = ReadTokenAnswer(
      200,
      R"({"access_token":"at-2","token_type":"bearer","expires_in":"900","expires_at":"2030-01-01T00:00:00Z","scope":"x"})");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->expires_in, seconds(900));
}

TEST(TokenAnswer, MalformedAnswersAreFinal) {
  const char* bodies[] = {
      "not json",
      "[]",
      R"({"token_type":"Bearer","expires_in":900})",
      R"({"access_token":"","token_type":"Bearer","expires_in":900})",
      R"({"access_token":"a b","token_type":"Bearer","expires_in":900})",
      R"({"access_token":"a\r\nx: y","token_type":"Bearer","expires_in":900})",
      R"({"access_token":"at","token_type":"MAC","expires_in":900})",
      R"({"access_token":"at","expires_in":900})",
      R"({"access_token":"at","token_type":"Bearer"})",
      R"({"access_token":"at","token_type":"Bearer","expires_in":-1})",
      R"({"access_token":"at","token_type":"Bearer","expires_in":1.5})",
      R"({"access_token":"at","token_type":"Bearer","expires_in":"9e2"})",
      R"({"access_token":"at","token_type":"Bearer","expires_in":"-9"})",
      R"({"access_token":"at","token_type":"Bearer","expires_in":99999999999})",
      R"({"access_token":"at","token_type":"Bearer","expires_in":900,"expires_at":[]})",
      R"({"access_token":"at","access_token":"at2","token_type":"Bearer","expires_in":900})",
  };
  for (const char* body : bodies) {
    auto t = ReadTokenAnswer(200, body);
    ASSERT_FALSE(t) << body;
    EXPECT_FALSE(t.error().retryable) << body;
    EXPECT_EQ(t.error().message.find("a b"), std::string::npos) << body;
  }
}

TEST(TokenAnswer, StatusClasses) {
  for (unsigned s : {400u, 401u, 403u, 404u, 302u}) {
    auto t = ReadTokenAnswer(s, R"({"error":"invalid_client","secret":"s3cret"})");
    ASSERT_FALSE(t);
    EXPECT_FALSE(t.error().retryable) << s;
    EXPECT_EQ(t.error().http_status, s);
    EXPECT_EQ(t.error().message.find("s3cret"), std::string::npos);
    EXPECT_EQ(t.error().message.find("invalid_client"), std::string::npos);
  }
  for (unsigned s : {408u, 429u, 500u, 502u, 503u}) {
    auto t = ReadTokenAnswer(s, "");
    ASSERT_FALSE(t);
    EXPECT_TRUE(t.error().retryable) << s;
  }
}

TEST(TokenAnswer, TransportFailures) {
  using K = http::TransportErrorKind;
  EXPECT_TRUE(OAuthTransportFailure({K::kTimeout, "timed out"}).retryable);
  EXPECT_TRUE(OAuthTransportFailure({K::kConnect, "no connect"}).retryable);
  EXPECT_TRUE(OAuthTransportFailure({K::kConnectionLost, "lost"}).retryable);
  EXPECT_FALSE(OAuthTransportFailure({K::kInvalidRequest, "bad url"}).retryable);
}

TEST(RefreshMargin, TenPercentAtMostThirtySeconds) {
  EXPECT_EQ(RefreshMargin(seconds(900)), seconds(30));
  EXPECT_EQ(RefreshMargin(seconds(300)), seconds(30));
  EXPECT_EQ(RefreshMargin(seconds(60)), seconds(6));
  EXPECT_EQ(RefreshMargin(seconds(5)), seconds(0));
  EXPECT_EQ(RefreshMargin(seconds(0)), seconds(0));
}

TEST(BasicAuthorization, Rfc7617) {
  EXPECT_EQ(BasicAuthorization("c2p", core::SecretBytes(std::string_view("s3cret"))).as_text(),
            "Basic YzJwOnMzY3JldA==");
  EXPECT_EQ(BasicAuthorization("a", core::SecretBytes(std::string_view("b"))).as_text(),
            "Basic YTpi");
  EXPECT_EQ(BasicAuthorization("ab", core::SecretBytes(std::string_view("c"))).as_text(),
            "Basic YWI6Yw==");
}

constexpr const char* kFull =
    R"({"consumerInfo":{"language":"en-US","firstName":"Ada","lastName":"Lovelace",)"
    R"("email":"ada@example.com","mobilePhoneNumber":{"countryCode":"33","phoneNumber":"612345678"}},)"
    R"("billingAddress":{"addressLine1":"1 rue de Rivoli","city":"Paris","postalCode":"75001",)"
    R"("countryCode":"FR"},"issuerOwn":{"x":1}})";

TEST(ConsumerInfoAnswer, ReadsInfoAndBilling) {
  auto got = ReadConsumerInfoAnswer(200, kFull, "");
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->info.first_name, "Ada");
  EXPECT_EQ(got->info.email, "ada@example.com");
  ASSERT_TRUE(got->billing);
  EXPECT_EQ(got->billing->city, "Paris");
}

TEST(ConsumerInfoAnswer, BillingOptional) {
  auto got = ReadConsumerInfoAnswer(200, R"({"consumerInfo":{"firstName":"Ada"}})", "");
  ASSERT_TRUE(got);
  EXPECT_FALSE(got->billing);
  got = ReadConsumerInfoAnswer(200, R"({"consumerInfo":{},"billingAddress":null})", "");
  ASSERT_TRUE(got);
  EXPECT_FALSE(got->billing);
}

TEST(ConsumerInfoAnswer, MalformedIsFinalAndQuotesNothing) {
  const char* bodies[] = {
      "{",
      "[1]",
      R"({"billingAddress":{}})",
      R"({"consumerInfo":"Ada"})",
      R"({"consumerInfo":{"email":"not-an-email-Lovelace"}})",
      R"({"consumerInfo":{"firstName":"Lovelace","nickName":"x"}})",
      R"({"consumerInfo":{},"billingAddress":{"city":"Lovelace"}})",
  };
  for (const char* body : bodies) {
    auto got = ReadConsumerInfoAnswer(200, body, "");
    ASSERT_FALSE(got) << body;
    EXPECT_FALSE(got.error().retryable);
    EXPECT_EQ(got.error().failure_code, "CONSUMER_INFO_UNAVAILABLE");
    EXPECT_EQ(got.error().message.find("Lovelace"), std::string::npos) << got.error().message;
  }
  // An unknown member's key is the issuer's text: the message names its object instead.
  auto unknown = ReadConsumerInfoAnswer(200, R"({"consumerInfo":{"4111111111111111":1}})", "");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message.find("4111"), std::string::npos) << unknown.error().message;
  EXPECT_NE(unknown.error().message.find("/consumerInfo "), std::string::npos)
      << unknown.error().message;
  auto got = ReadConsumerInfoAnswer(200, R"({"consumerInfo":{"email":"x"}})", "");
  ASSERT_FALSE(got);
  EXPECT_NE(got.error().message.find("/consumerInfo/email"), std::string::npos)
      << got.error().message;
}

TEST(ConsumerInfoAnswer, StatusClasses) {
  for (unsigned s : {404u, 403u, 401u, 400u, 302u, 204u}) {
    auto got = ReadConsumerInfoAnswer(s, R"({"firstName":"Ada"})", "5");
    ASSERT_FALSE(got);
    EXPECT_FALSE(got.error().retryable) << s;
    EXPECT_EQ(got.error().failure_code, "CONSUMER_INFO_UNAVAILABLE");
    EXPECT_EQ(got.error().http_status, s);
    EXPECT_EQ(got.error().message.find("Ada"), std::string::npos);
  }
  for (unsigned s : {408u, 429u, 500u, 503u}) {
    auto got = ReadConsumerInfoAnswer(s, "", "7");
    ASSERT_FALSE(got);
    EXPECT_TRUE(got.error().retryable) << s;
    EXPECT_EQ(got.error().failure_code, "CONSUMER_INFO_UNAVAILABLE");
    EXPECT_EQ(got.error().retry_after, seconds(7));
  }
}

TEST(ConsumerInfoAnswer, RetryAfterDeltaSecondsOnly) {
  EXPECT_EQ(ParseRetryAfter("0"), seconds(0));
  EXPECT_EQ(ParseRetryAfter("120"), seconds(120));
  EXPECT_EQ(ParseRetryAfter(""), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-1"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("1.5"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("99999"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"), std::nullopt);
}

}  // namespace
}  // namespace c2p::notify
