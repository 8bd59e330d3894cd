#include "core/error.hpp"

namespace c2p::core {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidJson:
      return "INVALID_JSON";
    case ErrorCode::kFieldInvalidFormat:
      return "FIELD_INVALID_FORMAT";
    case ErrorCode::kInvalidEncryptedData:
      return "INVALID_ENCRYPTED_DATA";
    case ErrorCode::kInvalidCardData:
      return "INVALID_CARD_DATA";
    case ErrorCode::kInvalidCardProduct:
      return "INVALID_CARD_PRODUCT";
    case ErrorCode::kUnauthorized:
      return "AUTHORIZER_UNAUTHORIZED";
    case ErrorCode::kIssuerMismatch:
      return "ISSUER_MISMATCH";
    case ErrorCode::kInvalidState:
      return "INVALID_STATE";
    case ErrorCode::kConsumerNotFound:
      return "CONSUMER_NOT_FOUND";
    case ErrorCode::kCardNotFound:
      return "CARD_NOT_FOUND";
    case ErrorCode::kOperationNotFound:
      return "OPERATION_NOT_FOUND";
    case ErrorCode::kNotFound:
      return "NOT_FOUND";
    case ErrorCode::kMethodNotAllowed:
      return "METHOD_NOT_ALLOWED";
    case ErrorCode::kOperationInProgress:
      return "OPERATION_IN_PROGRESS";
    case ErrorCode::kAlreadyEnrolled:
      return "ALREADY_ENROLLED";
    case ErrorCode::kNotEnrolled:
      return "NOT_ENROLLED";
    case ErrorCode::kCardIdInUse:
      return "CARD_ID_IN_USE";
    case ErrorCode::kPanAlreadyRegistered:
      return "PAN_ALREADY_REGISTERED";
    case ErrorCode::kPanRetired:
      return "PAN_RETIRED";
    case ErrorCode::kIdempotencyKeyInUse:
      return "IDEMPOTENCY_KEY_IN_USE";
    case ErrorCode::kPayloadTooLarge:
      return "PAYLOAD_TOO_LARGE";
    case ErrorCode::kUnsupportedMediaType:
      return "UNSUPPORTED_MEDIA_TYPE";
    case ErrorCode::kIdempotencyKeyReused:
      return "IDEMPOTENCY_KEY_REUSED";
    case ErrorCode::kRateLimited:
      return "RATE_LIMITED";
    case ErrorCode::kInvalidBatchFile:
      return "INVALID_BATCH_FILE";
    case ErrorCode::kDuplicateFile:
      return "DUPLICATE_FILE";
    case ErrorCode::kMalformedRequest:
      return "MALFORMED_REQUEST";
    case ErrorCode::kHeaderTooLarge:
      return "HEADER_TOO_LARGE";
    case ErrorCode::kInternal:
      return "INTERNAL_ERROR";
    case ErrorCode::kUnavailable:
      return "UNAVAILABLE";
    case ErrorCode::kConfigInvalid:
      return "CONFIG_INVALID";
    case ErrorCode::kIo:
      return "IO_ERROR";
  }
  return "INTERNAL_ERROR";
}

}  // namespace c2p::core
