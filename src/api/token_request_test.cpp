#include "api/token_request.hpp"

#include <gtest/gtest.h>

#include "api/token_routes.hpp"

namespace c2p::api {
namespace {

const std::string kGrant = "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer";

TEST(ParseTokenRequest, ReadsFormAndJson) {
  auto form = ParseTokenRequest(TokenBodyType::kForm,
                                "grant_type=" + kGrant + "&assertion=a.b.c&scope=ignored");
  ASSERT_TRUE(form) << form.error().description;
  EXPECT_EQ(form->grant_type, kJwtBearerGrant);
  EXPECT_EQ(form->assertion, "a.b.c");

  auto json = ParseTokenRequest(
      TokenBodyType::kJson,
      R"({"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","assertion":"x.y.z","client_id":"c"})");
  ASSERT_TRUE(json) << json.error().description;
  EXPECT_EQ(json->assertion, "x.y.z");
}

TEST(ParseTokenRequest, RefusalsAreTheRfc6749Errors) {
  using auth::GrantError;
  const struct {
    TokenBodyType type;
    std::string body;
    GrantError expected;
  } cases[] = {
      {TokenBodyType::kForm, "", GrantError::kInvalidRequest},
      {TokenBodyType::kForm, "assertion=a.b.c", GrantError::kInvalidRequest},
      {TokenBodyType::kForm, "grant_type=" + kGrant, GrantError::kInvalidRequest},
      {TokenBodyType::kForm, "grant_type=" + kGrant + "&assertion=", GrantError::kInvalidRequest},
      {TokenBodyType::kForm, "grant_type=" + kGrant + "&assertion=a&assertion=b",
       GrantError::kInvalidRequest},
      {TokenBodyType::kForm, "grant_type=%zz&assertion=a", GrantError::kInvalidRequest},
      {TokenBodyType::kForm, "grant_type=client_credentials&assertion=a",
       GrantError::kUnsupportedGrantType},
      {TokenBodyType::kForm, "grant_type=password", GrantError::kUnsupportedGrantType},
      {TokenBodyType::kJson, "not json", GrantError::kInvalidRequest},
      {TokenBodyType::kJson, "[]", GrantError::kInvalidRequest},
      {TokenBodyType::kJson, R"({"grant_type":1,"assertion":"a"})", GrantError::kInvalidRequest},
      {TokenBodyType::kJson, R"({"grant_type":"x","grant_type":"y"})", GrantError::kInvalidRequest},
      {TokenBodyType::kJson, R"({"grant_type":"authorization_code"})",
       GrantError::kUnsupportedGrantType},
  };
  for (const auto& c : cases) {
    auto r = ParseTokenRequest(c.type, c.body);
    ASSERT_FALSE(r) << c.body;
    EXPECT_EQ(r.error().error, c.expected) << c.body;
  }
}

}  // namespace
}  // namespace c2p::api
