#include "batch/record_request.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "batch/test_files.hpp"

namespace c2p::batch {
namespace {

namespace json = boost::json;

RecordRequest Read(const std::string& text) {
  json::object record = json::parse(text).as_object();
  return ReadRecordRequest(RawRecord{record.at("rowId").as_int64(), record});
}

TEST(RecordRequest, ReadsTheConsumerAndItsCards) {
  const RecordRequest request = Read(R"({"rowId": 4, "consumerAndCardRegistrationRequest": {
      "consumerId": "cons_4",
      "personalInformation": {"firstName": "Jane", "lastName": "Doe"},
      "cards": [{"cardId": "crd_1", "cardProductId": "VISA_CLASSIC", "encryptedData": "e1",
                 "state": "ACTIVE"},
                {"cardId": "crd_2", "cardProductId": "MC_WORLD", "encryptedData": "e2"}]}})");
  EXPECT_EQ(request.row_id, 4);
  EXPECT_EQ(request.consumer_id, "cons_4");
  ASSERT_TRUE(request.consumer) << request.consumer.error().message;
  ASSERT_TRUE(request.consumer->personal_information);
  EXPECT_EQ(request.consumer->personal_information->consumer.last_name, "Doe");
  ASSERT_EQ(request.cards.size(), 2u);
  EXPECT_EQ(request.cards[0].card_id, "crd_1");
  ASSERT_TRUE(request.cards[0].body);
  EXPECT_EQ(request.cards[0].body->consumer_id, "cons_4");
  EXPECT_EQ(request.cards[0].body->encrypted_data, "e1");
  EXPECT_EQ(request.cards[0].body->state, domain::CardState::kActive);
  ASSERT_TRUE(request.cards[1].body);
  EXPECT_EQ(request.cards[1].body->card_product_id, "MC_WORLD");
  EXPECT_FALSE(request.cards[1].body->state);
}

TEST(RecordRequest, TheTestRecordIsValid) {
  const json::object record = testing::TestRecord(9);
  const RecordRequest request = ReadRecordRequest(RawRecord{9, record});
  ASSERT_TRUE(request.consumer);
  EXPECT_FALSE(request.consumer->personal_information);
  ASSERT_EQ(request.cards.size(), 1u);
  EXPECT_TRUE(request.cards[0].body);
}

TEST(RecordRequest, ConsumerFaultsAreConsumerErrorsWithTheirField) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"rowId": 1})", "/consumerAndCardRegistrationRequest"},
      {R"({"rowId": 1, "extra": 1, "consumerAndCardRegistrationRequest": {}})", "/extra"},
      {R"({"rowId": 1, "consumerAndCardRegistrationRequest": []})",
       "/consumerAndCardRegistrationRequest"},
      {R"({"rowId": 1, "consumerAndCardRegistrationRequest": {"cards": []}})",
       "/consumerAndCardRegistrationRequest/consumerId"},
      {R"({"rowId": 1, "consumerAndCardRegistrationRequest": {"consumerId": "a b", "cards": []}})",
       "/consumerAndCardRegistrationRequest/consumerId"},
      {R"({"rowId": 1, "consumerAndCardRegistrationRequest": {"consumerId": 5, "cards": []}})",
       "/consumerAndCardRegistrationRequest/consumerId"},
      {R"({"rowId": 1, "consumerAndCardRegistrationRequest": {"consumerId": "c1"}})",
       "/consumerAndCardRegistrationRequest/cards"},
      {R"({"rowId": 1, "consumerAndCardRegistrationRequest": {"consumerId": "c1", "cards": {}}})",
       "/consumerAndCardRegistrationRequest/cards"},
      {R"({"rowId": 1, "consumerAndCardRegistrationRequest": {"consumerId": "c1", "cards": [],
          "state": "ACTIVE"}})",
       "/consumerAndCardRegistrationRequest/state"},
      {R"({"rowId": 1, "consumerAndCardRegistrationRequest": {"consumerId": "c1", "cards": [],
          "personalInformation": {"email": "not-an-email"}}})",
       "/consumerAndCardRegistrationRequest/personalInformation/email"},
  };
  for (const auto& [text, field] : cases) {
    const RecordRequest request = Read(text);
    ASSERT_FALSE(request.consumer) << text;
    EXPECT_EQ(request.consumer.error().code, core::ErrorCode::kFieldInvalidFormat);
    EXPECT_EQ(request.consumer.error().field, field) << text;
    EXPECT_EQ(request.consumer.error().message.find("not-an-email"), std::string::npos);
  }
}

TEST(RecordRequest, CardFaultsAreErrorsOfThatCardOnly) {
  const RecordRequest request = Read(R"({"rowId": 1, "consumerAndCardRegistrationRequest": {
      "consumerId": "c1", "cards": [
        {"cardId": "ok_1", "cardProductId": "P1", "encryptedData": "e"},
        "not an object",
        {"cardProductId": "P1", "encryptedData": "e"},
        {"cardId": "bad id", "cardProductId": "P1", "encryptedData": "e"},
        {"cardId": "c5", "cardProductId": "P1"},
        {"cardId": "c6", "cardProductId": "P1", "encryptedData": "e", "pan": "4111111111111111"},
        {"cardId": "c7", "cardProductId": "P1", "encryptedData": "e", "consumerId": "c2"},
        {"cardId": "c8", "cardProductId": "P1", "encryptedData": "e", "state": "SUSPENDED"}]}})");
  ASSERT_TRUE(request.consumer);
  ASSERT_EQ(request.cards.size(), 8u);
  EXPECT_TRUE(request.cards[0].body);
  const std::string prefix = "/consumerAndCardRegistrationRequest/cards/";
  const std::vector<std::string> fields = {"",
                                           prefix + "1",
                                           prefix + "2/cardId",
                                           prefix + "3/cardId",
                                           prefix + "4/encryptedData",
                                           prefix + "5/pan",
                                           prefix + "6/consumerId",
                                           prefix + "7/state"};
  for (std::size_t i = 1; i < fields.size(); ++i) {
    ASSERT_FALSE(request.cards[i].body) << i;
    EXPECT_EQ(request.cards[i].body.error().field, fields[i]) << i;
    EXPECT_EQ(request.cards[i].body.error().message.find("4111"), std::string::npos);
  }
  EXPECT_EQ(request.cards[3].card_id, "bad id");
  EXPECT_EQ(request.cards[4].card_id, "c5");
}

}  // namespace
}  // namespace c2p::batch
