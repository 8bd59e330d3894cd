#pragma once
// The token services' endpoints (spec/outbound.md §4): a network's token service (VTS,
// MDES) asks c2p for a digitization decision and reports token events.
//
//   POST /tsp/v1/networks/{network}/tokenRequests  → 200 {decision, reason?}
//   POST /tsp/v1/networks/{network}/tokenEvents    → 204
//
// Not bearer routes of issuers: each network's token service presents its own secret
// (Authorization: Bearer <tsp secret>), compared in constant time. A network without a
// configured secret is unknown here (404). Decisions are in docs/api-decisions.md.

#include <map>
#include <string>

#include "api/registry_context.hpp"
#include "core/secret_bytes.hpp"
#include "domain/states.hpp"
#include "http/router.hpp"

namespace c2p::api {

struct TspNetwork {
  domain::Network network = domain::Network::kVisa;
  core::SecretBytes secret;  // what its token service presents as a bearer token
};

struct TspContext {
  explicit TspContext(RegistryContext& r) : registry(r) {}

  // Store, keys (PAN index, sealed expiry), c2p's JWE keys, card products and the
  // configured issuers: a PAN index is keyed per issuer, so a token request is looked up
  // under each of them.
  RegistryContext& registry;
  // By the path's {network}: "visa", "mastercard".
  std::map<std::string, TspNetwork, std::less<>> networks;
};

void AddTspRoutes(http::Router& router, TspContext& ctx);

}  // namespace c2p::api
