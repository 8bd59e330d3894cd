#include "networks/answers.hpp"

#include <string>

#include <gtest/gtest.h>
#include <boost/json/serialize.hpp>

#include "http/client.hpp"

namespace c2p::networks {
namespace {

namespace json = boost::json;

Answer A(unsigned status, std::string_view body, std::string_view retry_after = {}) {
  return Answer{status, body, retry_after};
}

TEST(Answers, VisaAccepted) {
  const auto r = ReadVisaWriteAnswer(A(202, R"({"requestTraceId":"tr_1"})"));
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->pending);
  EXPECT_EQ(r->trace_id, "tr_1");
}

TEST(Answers, VisaAcceptedButUnreadableMayHaveBeenApplied) {
  for (const char* body :
       {"", "{", "[]", R"({"requestTraceId":5})", R"({"requestTraceId":"a/b"})"}) {
    const auto r = ReadVisaWriteAnswer(A(202, body));
    ASSERT_FALSE(r.has_value()) << body;
    EXPECT_EQ(r.error().reason, FailureReason::kMalformedAnswer);
    EXPECT_TRUE(r.error().retryable);
    EXPECT_TRUE(r.error().maybe_applied);
    EXPECT_EQ(r.error().failure_code, "NETWORK_UNAVAILABLE");
  }
}

struct VisaCase {
  unsigned status;
  const char* reason;
  FailureReason expected;
  bool retryable;
  const char* code;
};

TEST(Answers, VisaErrorTable) {
  const VisaCase cases[] = {
      {400, "VIDC-1000", FailureReason::kRejected, false, "NETWORK_REJECTED"},
      {400, "VIDC-1001", FailureReason::kRejected, false, "NETWORK_REJECTED"},
      {400, "VIDC-1002", FailureReason::kRejected, false, "NETWORK_REJECTED"},
      {400, "VIDC-1003", FailureReason::kRejected, false, "NETWORK_REJECTED"},
      {409, "VIDC-2000", FailureReason::kAlreadyEnrolled, false, "NETWORK_REJECTED"},
      {404, "VIDC-2001", FailureReason::kNotEnrolled, false, "NETWORK_REJECTED"},
      {400, "VIDC-2003", FailureReason::kCardExpired, false, "CARD_EXPIRED"},
      {409, "VIDC-2004", FailureReason::kCardAlreadyExists, false, "NETWORK_REJECTED"},
      {404, "VIDC-2005", FailureReason::kNotEnrolled, false, "NETWORK_REJECTED"},
      {400, "VIDC-2006", FailureReason::kCardNotEligible, false, "CARD_NOT_ELIGIBLE"},
      {409, "VIDC-3000", FailureReason::kInProgress, true, "NETWORK_UNAVAILABLE"},
      {503, "VIDC-5000", FailureReason::kUnavailable, true, "NETWORK_UNAVAILABLE"},
      {500, "VIDC-9999", FailureReason::kUnavailable, true, "NETWORK_UNAVAILABLE"},
      {401, "UNAUTHORIZED", FailureReason::kRejected, false, "NETWORK_REJECTED"},
      {404, "NOT_FOUND", FailureReason::kNotEnrolled, false, "NETWORK_REJECTED"},
  };
  for (const auto& c : cases) {
    const std::string body =
        std::string(R"({"reason":")") + c.reason + R"(","message":"secret 4111111111111111"})";
    const auto r = ReadVisaWriteAnswer(A(c.status, body));
    ASSERT_FALSE(r.has_value()) << c.reason;
    EXPECT_EQ(r.error().reason, c.expected) << c.reason;
    EXPECT_EQ(r.error().retryable, c.retryable) << c.reason;
    EXPECT_EQ(r.error().failure_code, c.code) << c.reason;
    EXPECT_EQ(r.error().network_code, c.reason);
    EXPECT_EQ(r.error().http_status, c.status);
    // The network's free text is never copied.
    EXPECT_EQ(r.error().message.find("4111"), std::string::npos);
  }
}

TEST(Answers, ErrorsWithoutABodyAreClassifiedByStatus) {
  auto r = ReadVisaWriteAnswer(A(429, "", "7"));
  EXPECT_EQ(r.error().reason, FailureReason::kRateLimited);
  EXPECT_TRUE(r.error().retryable);
  EXPECT_EQ(r.error().retry_after, std::chrono::seconds(7));
  r = ReadVisaWriteAnswer(A(502, "<html>"));
  EXPECT_EQ(r.error().reason, FailureReason::kUnavailable);
  r = ReadVisaWriteAnswer(A(400, "not json"));
  EXPECT_EQ(r.error().reason, FailureReason::kRejected);
  EXPECT_FALSE(r.error().retryable);
  r = ReadVisaWriteAnswer(A(200, R"({"requestTraceId":"x"})"));
  EXPECT_EQ(r.error().reason, FailureReason::kMalformedAnswer);
  r = ReadVisaWriteAnswer(A(302, ""));
  EXPECT_EQ(r.error().reason, FailureReason::kRejected);
  r = ReadVisaWriteAnswer(A(400, R"({"reason":"free text with spaces"})"));
  EXPECT_EQ(r.error().network_code, "");
  // Something that could be a PAN is never echoed as a code.
  r = ReadVisaWriteAnswer(A(400, R"({"reason":"4111111111111111"})"));
  EXPECT_EQ(r.error().network_code, "");
  EXPECT_EQ(r.error().message.find("41111"), std::string::npos);
}

TEST(Answers, RetryAfter) {
  EXPECT_EQ(ParseRetryAfter("0"), std::chrono::seconds(0));
  EXPECT_EQ(ParseRetryAfter("120"), std::chrono::seconds(120));
  EXPECT_EQ(ParseRetryAfter(""), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-1"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("1.5"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("999999"), std::nullopt);
}

TEST(Answers, VisaStatus) {
  auto r = ReadVisaStatusAnswer(A(200, R"({"status":"IN_PROGRESS","details":[]})"), "c1");
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->pending);

  r = ReadVisaStatusAnswer(A(200, R"({"status":"COMPLETED","details":[
          {"status":"SUCCESS","externalCardID":"c0","tokenId":"vdc_0"},
          {"status":"SUCCESS","externalCardID":"c1","tokenId":"vdc_1"}]})"),
                           "c1");
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->pending);
  EXPECT_EQ(r->digital_card_id, "vdc_1");

  r = ReadVisaStatusAnswer(A(200, R"({"status":"COMPLETED","details":[{"status":"SUCCESS"}]})"),
                           "");
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->digital_card_id.empty());

  r = ReadVisaStatusAnswer(
      A(200, R"({"status":"COMPLETED","details":[{"status":"FAILED","externalCardID":"c1",
          "errorDetails":[{"reason":"VIDC-7000","message":"declined"}]}]})"),
      "c1");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().reason, FailureReason::kTokenizationDeclined);
  EXPECT_EQ(r.error().failure_code, "TOKENIZATION_DECLINED");
  EXPECT_FALSE(r.error().retryable);

  r = ReadVisaStatusAnswer(
      A(200, R"({"status":"COMPLETED","details":[{"status":"FAILED","externalCardID":"c1",
          "errorDetails":[{"reason":"VIDC-5000"}]}]})"),
      "c1");
  EXPECT_TRUE(r.error().retryable);

  r = ReadVisaStatusAnswer(A(404, R"({"reason":"NOT_FOUND","message":"x"})"), "c1");
  EXPECT_EQ(r.error().reason, FailureReason::kNotEnrolled);
}

TEST(Answers, VisaStatusMalformed) {
  for (
      const char* body :
      {"", "null", R"({"status":"DONE"})", R"({"status":"COMPLETED"})",
       R"({"status":"COMPLETED","details":{}})", R"({"status":"COMPLETED","details":[1]})",
       R"({"status":"COMPLETED","details":[{"status":"SUCCESS","externalCardID":"c1"}]})",
       R"({"status":"COMPLETED","details":[{"status":"WHAT","externalCardID":"c1"}]})",
       R"({"status":"COMPLETED","details":[{"status":"SUCCESS","externalCardID":"c2","tokenId":"t"}]})"}) {
    const auto r = ReadVisaStatusAnswer(A(200, body), "c1");
    ASSERT_FALSE(r.has_value()) << body;
    EXPECT_EQ(r.error().reason, FailureReason::kMalformedAnswer) << body;
  }
}

TEST(Answers, VisaProfile) {
  const auto p = ReadVisaProfile(A(200, R"({"consumerInformation":{"externalConsumerID":"k"},
      "paymentInstruments":[{"externalCardID":"c1","last4":"1111","expirationDate":"2028-07",
      "tokenId":"vdc_1","status":"ACTIVE"},{"externalCardID":"c2","status":"SUSPENDED"}]})"));
  ASSERT_TRUE(p.has_value());
  ASSERT_EQ(p->cards.size(), 2U);
  EXPECT_EQ(p->FindCard("c1")->digital_card_id, "vdc_1");
  EXPECT_EQ(p->FindCard("c1")->last4, "1111");
  EXPECT_EQ(p->FindCard("c2")->status, "SUSPENDED");
  EXPECT_EQ(p->FindCard("c3"), nullptr);
  EXPECT_EQ(ReadVisaProfile(A(200, R"({"paymentInstruments":[]})")).error().reason,
            FailureReason::kMalformedAnswer);
  EXPECT_EQ(ReadVisaProfile(A(200, R"({"consumerInformation":{},"paymentInstruments":[{}]})"))
                .error()
                .reason,
            FailureReason::kMalformedAnswer);
  EXPECT_EQ(ReadVisaProfile(A(404, R"({"reason":"VIDC-2001","message":"m"})")).error().reason,
            FailureReason::kNotEnrolled);
}

std::string Gateway(const char* code, bool recoverable, const char* details = nullptr) {
  std::string out = R"({"Errors":{"Error":[{"Source":"consumer.locale","ReasonCode":")";
  out += code;
  out += R"(","Description":"d","Recoverable":)";
  out += recoverable ? "true" : "false";
  if (details != nullptr) {
    out += R"(,"Details":)";
    out += details;
  }
  out += "}]}}";
  return out;
}

TEST(Answers, MastercardEnrol) {
  const auto r =
      ReadMastercardEnrolAnswer(A(200, R"({"srcConsumerId":"s","srcDigitalCardId":"mdc_1",
      "consumerCreated":true,"maskedCard":{"panLastFour":"0004"}})"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->digital_card_id, "mdc_1");
  EXPECT_TRUE(r->consumer_created);
  EXPECT_FALSE(r->pending);
  for (const char* body : {"", R"({"srcDigitalCardId":"x"})", R"({"consumerCreated":true})",
                           R"({"srcDigitalCardId":"","consumerCreated":true})",
                           R"({"srcDigitalCardId":"x","consumerCreated":"yes"})"}) {
    const auto bad = ReadMastercardEnrolAnswer(A(200, body));
    ASSERT_FALSE(bad.has_value()) << body;
    EXPECT_EQ(bad.error().reason, FailureReason::kMalformedAnswer);
    EXPECT_TRUE(bad.error().maybe_applied);
  }
}

TEST(Answers, MastercardErrorTable) {
  auto f = ReadMastercardError(A(400, Gateway("INVALID_FIELD", false)));
  EXPECT_EQ(f.reason, FailureReason::kRejected);
  EXPECT_EQ(f.fields, std::vector<std::string>{"consumer.locale"});
  EXPECT_EQ(ReadMastercardError(A(404, Gateway("NOT_FOUND", false))).reason,
            FailureReason::kNotEnrolled);
  EXPECT_EQ(ReadMastercardError(A(409, Gateway("ALREADY_EXISTS", false))).reason,
            FailureReason::kCardAlreadyExists);
  f = ReadMastercardError(
      A(422, Gateway("CARD_NOT_ELIGIBLE", false, R"({"consumerCreated":false})")));
  EXPECT_EQ(f.reason, FailureReason::kCardNotEligible);
  EXPECT_EQ(f.failure_code, "CARD_NOT_ELIGIBLE");
  EXPECT_FALSE(f.consumer_created);
  f = ReadMastercardError(
      A(422, Gateway("TOKENIZATION_DECLINED", false, R"({"consumerCreated":true})")));
  EXPECT_EQ(f.reason, FailureReason::kTokenizationDeclined);
  EXPECT_TRUE(f.consumer_created);
  f = ReadMastercardError(A(429, Gateway("RATE_LIMITED", true), "2"));
  EXPECT_EQ(f.reason, FailureReason::kRateLimited);
  EXPECT_TRUE(f.retryable);
  EXPECT_EQ(f.retry_after, std::chrono::seconds(2));
  f = ReadMastercardError(A(503, Gateway("SERVICE_UNAVAILABLE", true)));
  EXPECT_EQ(f.reason, FailureReason::kUnavailable);
  EXPECT_TRUE(f.retryable);
  const auto quoted =
      ReadMastercardError(A(400, R"({"Errors":{"Error":[{"Source":"pan 4111111111111111",
      "ReasonCode":"INVALID_FIELD"}]}})"));
  EXPECT_TRUE(quoted.fields.empty());
  EXPECT_EQ(ReadMastercardError(A(401, Gateway("UNAUTHORIZED", false))).reason,
            FailureReason::kRejected);
  // Shapes that are not the gateway's: classified by status.
  EXPECT_EQ(ReadMastercardError(A(503, "busy")).reason, FailureReason::kUnavailable);
  EXPECT_EQ(ReadMastercardError(A(400, R"({"Errors":{"Error":[]}})")).reason,
            FailureReason::kRejected);
  EXPECT_EQ(ReadMastercardError(A(400, R"({"Errors":[]})")).reason, FailureReason::kRejected);
}

TEST(Answers, MastercardWritesAndProfile) {
  EXPECT_TRUE(ReadMastercardWriteAnswer(A(204, "")).has_value());
  EXPECT_TRUE(ReadMastercardWriteAnswer(A(200, "{}")).has_value());
  EXPECT_EQ(ReadMastercardWriteAnswer(A(202, "")).error().reason, FailureReason::kMalformedAnswer);
  const auto p = ReadMastercardProfile(A(200, R"({"srcConsumerId":"s","consumer":{},
      "cards":[{"externalCardId":"c1","srcDigitalCardId":"mdc_1","panLastFour":"0004",
      "status":"ACTIVE"}]})"));
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->FindCard("c1")->digital_card_id, "mdc_1");
  EXPECT_EQ(ReadMastercardProfile(A(200, R"({"consumer":{},"cards":{}})")).error().reason,
            FailureReason::kMalformedAnswer);
}

TEST(Answers, ProfilesConvertBackToC2pShapes) {
  const auto v = ReadVisaProfile(A(200, R"({"consumerInformation":{"externalConsumerID":"k",
      "firstName":"Jane","lastName":"Doe","emails":["j@example.com"],"phones":["33612345678"],
      "locale":"en_US","countryCode":"FRA"},"paymentInstruments":[{"externalCardID":"c1",
      "last4":"1111","expirationDate":"2028-07","nameOnCard":"JANE DOE","tokenId":"vdc_1",
      "status":"ACTIVE","billingAddress":{"addressLine1":"1 rue","city":"Paris",
      "postalCode":"75002","country":"FRA"}}]})"));
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(json::serialize(v->consumer_info),
            R"({"firstName":"Jane","lastName":"Doe","email":"j@example.com",)"
            R"("mobilePhoneNumber":{"countryCode":"33","phoneNumber":"612345678"},)"
            R"("language":"en-US"})");
  const ProfileCard& vc = v->cards.at(0);
  EXPECT_EQ(vc.exp, "07/28");
  EXPECT_EQ(vc.name, "JANE DOE");
  EXPECT_EQ(json::serialize(vc.billing_address),
            R"({"addressLine1":"1 rue","city":"Paris","postalCode":"75002","countryCode":"FR"})");

  const auto m = ReadMastercardProfile(A(200, R"({"consumer":{"firstName":"Jane",
      "lastName":"Doe","emailAddress":"j@example.com","mobileNumber":{"countryCode":"33",
      "phoneNumber":"612345678"},"locale":"en_US","countryCode":"FR"},"cards":[
      {"externalCardId":"c1","panLastFour":"0004","panExpirationMonth":"12",
      "panExpirationYear":"2030","status":"SUSPENDED","billingAddress":{"line1":"1 rue",
      "city":"Paris","zip":"75002","countryCode":"FR"}}]})"));
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(json::serialize(m->consumer_info), json::serialize(v->consumer_info));
  const ProfileCard& mc = m->cards.at(0);
  EXPECT_EQ(mc.exp, "12/30");
  EXPECT_EQ(mc.name, "");
  EXPECT_EQ(json::serialize(mc.billing_address), json::serialize(vc.billing_address));
  // What does not convert is left out; the profile is still read.
  const auto odd = ReadVisaProfile(A(200, R"({"consumerInformation":{"emails":[7],
      "phones":["12"],"locale":"english"},"paymentInstruments":[{"externalCardID":"c1",
      "expirationDate":"July","billingAddress":{"country":"XXX"}}]})"));
  ASSERT_TRUE(odd.has_value());
  EXPECT_TRUE(odd->consumer_info.empty());
  EXPECT_EQ(odd->cards.at(0).exp, "");
  EXPECT_TRUE(odd->cards.at(0).billing_address.empty());
}

TEST(Answers, TransportFailures) {
  using K = http::TransportErrorKind;
  auto f = TransportFailure({K::kTimeout, "timeout"});
  EXPECT_EQ(f.reason, FailureReason::kTimeout);
  EXPECT_TRUE(f.retryable);
  EXPECT_TRUE(f.maybe_applied);
  f = TransportFailure({K::kConnect, "connect"});
  EXPECT_EQ(f.reason, FailureReason::kConnection);
  EXPECT_TRUE(f.retryable);
  EXPECT_FALSE(f.maybe_applied);
  f = TransportFailure({K::kConnectionLost, "lost"});
  EXPECT_TRUE(f.maybe_applied);
  f = TransportFailure({K::kInvalidRequest, "bad"});
  EXPECT_FALSE(f.retryable);
}

}  // namespace
}  // namespace c2p::networks
