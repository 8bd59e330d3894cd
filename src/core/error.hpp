#pragma once
// Expected failures as values. Every failure a caller can see has one ErrorCode; the HTTP
// status for each code is decided in exactly one place (http/error_reply.cpp).

#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace c2p::core {

enum class ErrorCode {
  kInvalidJson,
  kFieldInvalidFormat,
  kInvalidEncryptedData,
  kInvalidCardData,
  kInvalidCardProduct,
  kUnauthorized,
  kIssuerMismatch,
  kInvalidState,
  kConsumerNotFound,
  kCardNotFound,
  kOperationNotFound,
  kNotFound,
  kMethodNotAllowed,
  kOperationInProgress,
  kAlreadyEnrolled,
  kNotEnrolled,
  kCardIdInUse,
  kPanAlreadyRegistered,
  kPanRetired,
  kIdempotencyKeyInUse,
  kPayloadTooLarge,
  kUnsupportedMediaType,
  kIdempotencyKeyReused,
  kRateLimited,
  kInvalidBatchFile,  // a batch file refused at file level (spec/batch.md §3)
  kDuplicateFile,     // a batch file whose (batchId, seqNumber) was already taken
  // [c2p] HTTP-level refusals, before any route runs.
  kMalformedRequest,
  kHeaderTooLarge,
  kInternal,
  kUnavailable,
  // Not API codes: failures of the environment seen at start-up or by tools.
  kConfigInvalid,
  kIo,
};

// The wire name of an API error code, e.g. "FIELD_INVALID_FORMAT".
std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  // Human readable; never carries PAN, personal data or internal details.
  std::string message;
  // JSON pointer of the field at fault, empty when no single field is.
  std::string field;

  static Error Make(ErrorCode code, std::string message, std::string field = {}) {
    return Error{code, std::move(message), std::move(field)};
  }
};

template <typename T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> Fail(ErrorCode code, std::string message, std::string field = {}) {
  return tl::unexpected<Error>(Error::Make(code, std::move(message), std::move(field)));
}

}  // namespace c2p::core
