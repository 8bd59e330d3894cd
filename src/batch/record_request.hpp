#pragma once
// One batch record (spec/batch.md §2) read into what to register, with the record-level
// codes of §3 decided per part:
//   {"rowId", "consumerAndCardRegistrationRequest": {"consumerId", "personalInformation"?,
//     "cards": [{"cardId", "cardProductId", "encryptedData", "state"?}]}}
// The field rules are the API's: the consumer part is read as the body of
// PUT …/consumers/{consumerId}, each card as the body of PUT …/cards/{cardId} with the
// record's consumerId, and both ids by their path-id rule (domain/path_ids.hpp). Errors
// are kFieldInvalidFormat with the field's pointer from the record's root.

#include <cstdint>
#include <string>
#include <vector>

#include "batch/record_stream.hpp"
#include "core/error.hpp"
#include "domain/request_bodies.hpp"

namespace c2p::batch {

inline constexpr int kConsumerFieldInvalid = 200;
inline constexpr int kCardFieldInvalid = 202;

struct CardRequest {
  std::string card_id;                     // as written when it is a string, else empty
  core::Result<domain::CardPutBody> body;  // error -> 202
};

struct RecordRequest {
  std::int64_t row_id = 0;
  std::string consumer_id;  // as written when it is a string (may be invalid), else empty
  // Error -> 200: a record member or the consumer part is missing, unknown or invalid,
  // the consumerId breaks its rule, or "cards" is not an array. When it is an error, the
  // cards must not be registered (their own verdicts then mean nothing).
  core::Result<domain::ConsumerPutBody> consumer;
  std::vector<CardRequest> cards;  // in record order; empty when "cards" is not an array
};

RecordRequest ReadRecordRequest(const RawRecord& raw);

}  // namespace c2p::batch
