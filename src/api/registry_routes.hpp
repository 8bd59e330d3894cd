#pragma once
// The /banking/v2 registry of spec/api.md §4: consumers (consumer_routes), cards
// (card_routes) and their lifecycle (card_lifecycle_routes). Every route is a bearer
// route scoped to the token's issuer: another issuer's ids are simply not found.

#include "api/registry_context.hpp"
#include "domain/request_bodies.hpp"
#include "http/request.hpp"
#include "http/router.hpp"

namespace c2p::api {

void AddConsumerRoutes(http::Router& router, RegistryContext& ctx);
void AddCardRoutes(http::Router& router, RegistryContext& ctx);
void AddCardLifecycleRoutes(http::Router& router, RegistryContext& ctx);

inline void AddRegistryRoutes(http::Router& router, RegistryContext& ctx) {
  AddConsumerRoutes(router, ctx);
  AddCardRoutes(router, ctx);
  AddCardLifecycleRoutes(router, ctx);
}

// Internal to the registry routes: the lifecycle body (§4.6), which may be empty [c2p]
// (every member is optional), else strict JSON.
core::Result<domain::LifecycleBody> ReadOptionalLifecycleBody(const http::Request& request);

}  // namespace c2p::api
