#pragma once
// What the API's authentication needs, built once by the composition root from the
// configuration and shared read-only (the limiters and the replay memory lock inside).

#include <set>
#include <string>

#include "auth/access_token.hpp"
#include "auth/assertion.hpp"
#include "auth/rate_limiter.hpp"
#include "store/store.hpp"

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
  // Several nodes share this store: accepted assertion ids are also recorded there, so a
  // replay sent to another node is refused. Null on the embedded store (one process: its
  // memory is the whole record).
  store::Store* shared_replay = nullptr;
};

}  // namespace c2p::api
