#include "http/reply.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace c2p::http {
namespace {

using core::ErrorCode;

TEST(ErrorReply, BodyHasCodeMessageAndField) {
  Reply r = ErrorReply(core::Error::Make(ErrorCode::kFieldInvalidFormat, "bad", "/consumerId"));
  EXPECT_EQ(r.status, Status::bad_request);
  auto v = boost::json::parse(r.body);
  EXPECT_EQ(v.at("errorCode").as_string(), "FIELD_INVALID_FORMAT");
  EXPECT_EQ(v.at("error").as_string(), "bad");
  EXPECT_EQ(v.at("field").as_string(), "/consumerId");
}

TEST(ErrorReply, StatusesFollowTheSpec) {
  EXPECT_EQ(StatusFor(ErrorCode::kInvalidJson), Status::bad_request);
  EXPECT_EQ(StatusFor(ErrorCode::kUnauthorized), Status::unauthorized);
  EXPECT_EQ(StatusFor(ErrorCode::kIssuerMismatch), Status::forbidden);
  EXPECT_EQ(StatusFor(ErrorCode::kInvalidState), Status::forbidden);
  EXPECT_EQ(StatusFor(ErrorCode::kCardNotFound), Status::not_found);
  EXPECT_EQ(StatusFor(ErrorCode::kMethodNotAllowed), Status::method_not_allowed);
  EXPECT_EQ(StatusFor(ErrorCode::kPanRetired), Status::conflict);
  EXPECT_EQ(StatusFor(ErrorCode::kPayloadTooLarge), Status::payload_too_large);
  EXPECT_EQ(StatusFor(ErrorCode::kUnsupportedMediaType), Status::unsupported_media_type);
  EXPECT_EQ(StatusFor(ErrorCode::kIdempotencyKeyReused), Status::unprocessable_entity);
  EXPECT_EQ(StatusFor(ErrorCode::kRateLimited), Status::too_many_requests);
  EXPECT_EQ(StatusFor(ErrorCode::kUnavailable), Status::service_unavailable);
  EXPECT_EQ(StatusFor(ErrorCode::kMalformedRequest), Status::bad_request);
  EXPECT_EQ(StatusFor(ErrorCode::kHeaderTooLarge), Status::request_header_fields_too_large);
}

TEST(ErrorReply, InternalDetailsNeverReachTheBody) {
  Reply r = ErrorReply(core::Error::Make(ErrorCode::kInternal, "sqlite: table cards locked"));
  EXPECT_EQ(r.status, Status::internal_server_error);
  EXPECT_EQ(r.body.find("sqlite"), std::string::npos);
  Reply io = ErrorReply(core::Error::Make(ErrorCode::kIo, "open /etc/secret failed"));
  EXPECT_EQ(boost::json::parse(io.body).at("errorCode").as_string(), "INTERNAL_ERROR");
  EXPECT_EQ(io.body.find("/etc"), std::string::npos);
}

TEST(ErrorReply, UnavailableSaysWhenToRetry) {
  Reply r = ErrorReply(core::Error::Make(ErrorCode::kUnavailable, "shutting down"));
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "Retry-After");
}

}  // namespace
}  // namespace c2p::http
