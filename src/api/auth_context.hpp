#pragma once
// What the API's authentication needs, built once by the composition root from the
// configuration and shared read-only (the limiters and the replay memory lock inside).

#include <set>
#include <string>

#include "auth/access_token.hpp"
#include "auth/assertion.hpp"
#include "auth/rate_limiter.hpp"

namespace c2p::api {

struct AuthContext {
  AuthContext(auth::AccessTokens access_tokens, auth::AssertionVerifier assertion_verifier)
      : tokens(std::move(access_tokens)), assertions(std::move(assertion_verifier)) {}

  auth::AccessTokens tokens;
  auth::AssertionVerifier assertions;
  std::set<std::string, std::less<>> issuers;  // the configured issuerIds
  auth::RateLimiter api_limits;                // per issuer, every bearer route
  auth::RateLimiter token_limits;              // per issuer, the token endpoint
  // mTLS is on: every call must come with a client certificate naming its issuer.
  bool require_client_identity = false;
};

}  // namespace c2p::api
