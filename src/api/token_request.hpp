#pragma once
// Reading the token endpoint's body (spec/api.md §3.1): form-encoded or JSON, with
// grant_type and assertion. RFC 6749 §3.2: parameters the endpoint does not know are
// ignored, a parameter sent twice is invalid_request.

#include <string>
#include <string_view>

#include "auth/assertion.hpp"

namespace c2p::api {

struct TokenRequest {
  std::string grant_type;
  std::string assertion;
};

enum class TokenBodyType { kForm, kJson };

// invalid_request for a body that cannot be read, a duplicate or missing parameter, or a
// non-string value; unsupported_grant_type for any grant but the JWT bearer one.
auth::GrantResult<TokenRequest> ParseTokenRequest(TokenBodyType type, std::string_view body);

}  // namespace c2p::api
