#include "batch/record_outcome.hpp"

#include <boost/json/array.hpp>

namespace c2p::batch {

namespace json = boost::json;
using core::ErrorCode;

bool RefusesRecord(const core::Error& error) {
  switch (error.code) {
    case ErrorCode::kInvalidJson:
    case ErrorCode::kFieldInvalidFormat:
    case ErrorCode::kInvalidEncryptedData:
    case ErrorCode::kInvalidCardData:
    case ErrorCode::kInvalidCardProduct:
    case ErrorCode::kInvalidState:
    case ErrorCode::kOperationInProgress:
    case ErrorCode::kCardIdInUse:
    case ErrorCode::kPanAlreadyRegistered:
    case ErrorCode::kPanRetired:
      return true;
    default:
      return false;
  }
}

std::string ConsumerCode(const core::Error& error) {
  return error.code == ErrorCode::kInvalidState || error.code == ErrorCode::kOperationInProgress
             ? "201"
             : "200";
}

std::string CardCode(const core::Error& error) {
  switch (error.code) {
    case ErrorCode::kInvalidEncryptedData:
      return "203";
    case ErrorCode::kInvalidCardData:
      return "204";
    case ErrorCode::kInvalidCardProduct:
      return "205";
    case ErrorCode::kCardIdInUse:
    case ErrorCode::kPanAlreadyRegistered:
    case ErrorCode::kPanRetired:
      return "206";
    case ErrorCode::kOperationInProgress:
      return "201";  // the card's consumer has an operation in progress
    default:         // field formats, and a state the card may not take (ACTIVE -> INACTIVE)
      return "202";
  }
}

bool RecordOutcome::ok() const {
  if (consumer_error) return false;
  for (const auto& card : cards) {
    if (card.error) return false;
  }
  return true;
}

json::object RecordOutcome::ToJson() const {
  json::object result;
  if (!consumer_id.empty()) result["consumerId"] = consumer_id;
  result["consumerStatus"] = consumer_error ? "KO" : "OK";
  if (consumer_error) result["consumerError"] = *consumer_error;
  json::array cards_out;
  for (const auto& card : cards) {
    json::object c;
    if (!card.card_id.empty()) c["cardId"] = card.card_id;
    c["cardStatus"] = card.error ? "KO" : "OK";
    if (card.error) c["cardError"] = *card.error;
    if (card.operation_id) {
      c["clickToPay"] =
          json::object{{"operationId", *card.operation_id}, {"status", card.operation_status}};
    }
    cards_out.push_back(std::move(c));
  }
  result["cards"] = std::move(cards_out);
  return json::object{{"rowId", row_id}, {"consumerCardRegistrationResult", std::move(result)}};
}

}  // namespace c2p::batch
