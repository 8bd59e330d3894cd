#pragma once
// The authentication check (a guard) of every bearer route (spec/api.md §3.2):
//   401 AUTHORIZER_UNAUTHORIZED  no, malformed, expired or forged token, or a token of an
//                                issuer no longer configured (WWW-Authenticate: Bearer)
//   403 ISSUER_MISMATCH          the path's {issuerId} is another issuer, or (mTLS) the
//                                client certificate names another issuer
//   429 RATE_LIMITED             the issuer is over its limit (Retry-After)
// On success the issuerId becomes Request::principal(). Routes without the bearer flag
// pass straight through. A guard (http::Guard), not a middleware: it never suspends, so
// it spares each bearer request a coroutine frame (P6, docs/performance.md).

#include <chrono>
#include <optional>

#include "api/auth_context.hpp"
#include "http/middleware.hpp"

namespace c2p::api {

// nullopt (and the principal set) when the request may go on; otherwise the refusal.
std::optional<http::Reply> CheckBearer(AuthContext& auth, http::Request& request);
// CheckBearer on the routes that ask for it (RouteOptions::bearer) only.
http::Layer BearerAuthLayer(AuthContext& auth);

// 429 RATE_LIMITED with Retry-After (whole seconds): the one way c2p says "slow down".
http::Reply RateLimited(std::chrono::seconds retry_after);

// The token of an "Authorization: Bearer <token>" header (the scheme is case-insensitive,
// RFC 7235 §2.1); empty if absent or malformed.
std::string_view BearerToken(std::string_view authorization);

}  // namespace c2p::api
