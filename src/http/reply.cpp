#include "http/reply.hpp"

#include <boost/json/serialize.hpp>

namespace c2p::http {

Reply Json(Status status, const boost::json::value& body) {
  Reply r;
  r.status = status;
  r.body = boost::json::serialize(body);
  return r;
}

Reply Text(Status status, std::string body, std::string content_type) {
  Reply r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

core::Result<Reply> FileReply(Status status, const std::filesystem::path& path,
                              std::string content_type) {
  auto file = std::make_shared<std::ifstream>(path, std::ios::binary);
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!*file || ec) return core::Fail(core::ErrorCode::kIo, "cannot open a reply's file");
  Reply reply;
  reply.status = status;
  reply.content_type = std::move(content_type);
  reply.file = std::move(file);
  reply.file_size = size;
  return reply;
}

Reply NoContent() {
  Reply r;
  r.status = Status::no_content;
  r.content_type.clear();
  return r;
}

Status StatusFor(core::ErrorCode code) {
  using core::ErrorCode;
  switch (code) {
    case ErrorCode::kInvalidJson:
    case ErrorCode::kMalformedRequest:
    case ErrorCode::kFieldInvalidFormat:
    case ErrorCode::kInvalidEncryptedData:
    case ErrorCode::kInvalidCardData:
    case ErrorCode::kInvalidCardProduct:
    case ErrorCode::kInvalidBatchFile:
      return Status::bad_request;
    case ErrorCode::kUnauthorized:
      return Status::unauthorized;
    case ErrorCode::kIssuerMismatch:
    case ErrorCode::kInvalidState:
      return Status::forbidden;
    case ErrorCode::kConsumerNotFound:
    case ErrorCode::kCardNotFound:
    case ErrorCode::kOperationNotFound:
    case ErrorCode::kNotFound:
      return Status::not_found;
    case ErrorCode::kMethodNotAllowed:
      return Status::method_not_allowed;
    case ErrorCode::kOperationInProgress:
    case ErrorCode::kAlreadyEnrolled:
    case ErrorCode::kNotEnrolled:
    case ErrorCode::kCardIdInUse:
    case ErrorCode::kPanAlreadyRegistered:
    case ErrorCode::kPanRetired:
    case ErrorCode::kIdempotencyKeyInUse:
    case ErrorCode::kDuplicateFile:
      return Status::conflict;
    case ErrorCode::kPayloadTooLarge:
      return Status::payload_too_large;
    case ErrorCode::kUnsupportedMediaType:
      return Status::unsupported_media_type;
    case ErrorCode::kIdempotencyKeyReused:
      return Status::unprocessable_entity;
    case ErrorCode::kRateLimited:
      return Status::too_many_requests;
    case ErrorCode::kHeaderTooLarge:
      return Status::request_header_fields_too_large;
    case ErrorCode::kUnavailable:
      return Status::service_unavailable;
    case ErrorCode::kInternal:
    case ErrorCode::kConfigInvalid:
    case ErrorCode::kIo:
      return Status::internal_server_error;
  }
  return Status::internal_server_error;
}

Reply ErrorReply(const core::Error& error) {
  // Codes that are not part of the API contract never leave the process as such.
  const bool api_code =
      error.code != core::ErrorCode::kConfigInvalid && error.code != core::ErrorCode::kIo;
  const core::ErrorCode code = api_code ? error.code : core::ErrorCode::kInternal;
  boost::json::object body;
  body["errorCode"] = core::ErrorCodeName(code);
  if (code == core::ErrorCode::kInternal) {
    // Internal details stay in the log (with the correlation id), never in the body.
    body["error"] = "internal error";
  } else {
    body["error"] = error.message;
  }
  if (!error.field.empty()) body["field"] = error.field;
  Reply r = Json(StatusFor(code), body);
  if (code == core::ErrorCode::kUnavailable) r.WithHeader("Retry-After", "1");
  return r;
}

}  // namespace c2p::http
