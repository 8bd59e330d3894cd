#include "tools/c2pctl/human_output.hpp"

#include <gtest/gtest.h>

#include "tools/c2pctl/issuer_api.hpp"

namespace c2p::ctl {
namespace {

TEST(HumanOutput, ACardShowsIdsAndStatesButNotTheExpiry) {
  const std::string body =
      R"({"cardId":"crd_1","consumerId":"cons_1","cardProductId":"VISA_CLASSIC",)"
      R"("state":"ACTIVE","network":"VISA","panLast4":"1111","exp":"12/28",)"
      R"("clickToPay":{"status":"ENROLLED","digitalCardId":"dc_1","updatedAt":"x"}})";
  EXPECT_EQ(DescribeCard(body),
            "card crd_1 ACTIVE VISA *1111 product VISA_CLASSIC consumer cons_1 clickToPay "
            "ENROLLED digitalCard dc_1\n");
  // An enrolment c2p started on registration (auto-enrolment) is named by its operation.
  EXPECT_EQ(DescribeCard(R"({"cardId":"c","state":"ACTIVE",)"
                         R"("clickToPay":{"operationId":"op_1","status":"PENDING"}})"),
            "card c ACTIVE operation op_1 PENDING\n");
}

TEST(HumanOutput, AConsumerNeverShowsItsPersonalInformation) {
  const std::string body =
      R"({"consumerId":"cons_1","state":"ACTIVE","cardIds":["a","b"],)"
      R"("personalInformation":{"firstName":"Jane","email":"jane@example.com"}})";
  EXPECT_EQ(DescribeConsumer(body), "consumer cons_1 ACTIVE cards 2\n");
}

TEST(HumanOutput, AnOperationWithItsErrorAndDetails) {
  const std::string body =
      R"({"operationId":"op_1","operation":"CLICK_TO_PAY_ENROLMENT","status":"FAILED",)"
      R"("cardId":"crd_1","consumerId":"cons_1","network":"VISA","requestorType":"ISSUER",)"
      R"("error":{"code":"TOKENIZATION_DECLINED","message":"declined"},)"
      R"("details":{"consumerProfileCreated":true}})";
  EXPECT_EQ(DescribeOperation(body),
            "operation op_1 CLICK_TO_PAY_ENROLMENT FAILED card crd_1 consumer cons_1 network "
            "VISA by ISSUER error TOKENIZATION_DECLINED: declined (profile created)\n");
  EXPECT_EQ(DescribeOperation(R"({"operationId":"op_2","status":"PENDING"})"),
            "operation op_2 PENDING\n");
}

TEST(HumanOutput, OperationListsOneLineEach) {
  EXPECT_EQ(DescribeOperations(R"({"operations":[{"operationId":"a","status":"PENDING"},)"
                               R"({"operationId":"b","status":"SUCCESSFUL"}],"offset":0})"),
            "operation a PENDING\noperation b SUCCESSFUL\n");
  EXPECT_EQ(DescribeOperations(R"({"operations":[],"offset":0,"limit":10})"), "no operations\n");
  EXPECT_EQ(DescribeOperations(R"({"offset":0})"), "");
}

TEST(HumanOutput, ProfilesShowCardsNotTheConsumerOrCardholderData) {
  const std::string body =
      R"({"clickToPayProfiles":[{"network":"VISA",)"
      R"("consumer":{"firstName":"Jane","lastName":"Doe","email":"jane@example.com",)"
      R"("mobilePhoneNumber":{"countryCode":"44","phoneNumber":"7700900123"},"language":"en-GB"},)"
      R"("cards":[{"cardId":"crd_1","panLast4":"1111","exp":"12/28","name":"JANE DOE",)"
      R"("billingAddress":{"addressLine1":"1 High St","city":"London","postalCode":"N1",)"
      R"("countryCode":"GB"},"digitalCardId":"dc_1","status":"ACTIVE"}]}],)"
      R"("unavailableNetworks":["MASTERCARD"]})";
  const std::string text = DescribeProfiles(body);
  EXPECT_EQ(text,
            "profile VISA 1 card\n"
            "  card crd_1 *1111 ACTIVE digitalCard dc_1\n"
            "unavailable MASTERCARD (its directory did not answer in time: try again)\n");
  for (const char* secret :
       {"Jane", "Doe", "jane@", "7700900123", "12/28", "JANE DOE", "High St", "London"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;
  }
  EXPECT_EQ(DescribeProfiles(R"({"clickToPayProfiles":[]})"),
            "no Click to Pay profile (the consumer is not enrolled anywhere)\n");
}

TEST(HumanOutput, WhatIsNotC2psJsonGivesNothing) {
  for (const char* body : {"", "not json", "[1,2]", "\"x\"", "{\"a\":"}) {
    EXPECT_EQ(DescribeCard(body), "") << body;
    EXPECT_EQ(DescribeConsumer(body), "") << body;
    EXPECT_EQ(DescribeOperation(body), "") << body;
    EXPECT_EQ(DescribeOperations(body), "") << body;
    EXPECT_EQ(DescribeProfiles(body), "") << body;
  }
}

TEST(HumanOutput, ValuesCannotDriveTheTerminal) {
  EXPECT_EQ(Printable("a\x1b[31mb\n\xc3\xa9"), "a?[31mb???");
  EXPECT_EQ(DescribeOperation(R"({"operationId":"op\u001b]0;x\u0007","status":"PENDING"})"),
            "operation op?]0;x? PENDING\n");
}

}  // namespace
}  // namespace c2p::ctl
