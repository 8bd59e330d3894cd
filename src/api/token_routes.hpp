#pragma once
// The OAuth 2.0 token endpoint (spec/api.md §3.1, RFC 7523 JWT bearer grant) and
// [c2p] GET /authz/v1/tokeninfo, which tells a caller what its bearer token says.

#include "api/auth_context.hpp"
#include "core/metrics.hpp"
#include "http/router.hpp"

namespace c2p::api {

inline constexpr std::string_view kJwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

void AddTokenRoutes(http::Router& router, AuthContext& auth, core::metrics::Registry& metrics);

}  // namespace c2p::api
