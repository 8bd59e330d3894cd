#pragma once
// The /banking/v1 Click to Pay routes of spec/api.md §5: enrolment (enrol_routes), the
// operation getters (operation_routes), card update and opt-out (card_click_to_pay_routes).
// Bearer routes scoped to the token's issuer.

#include "api/registry_context.hpp"
#include "http/router.hpp"

namespace c2p::api {

void AddEnrolRoutes(http::Router& router, RegistryContext& ctx);
void AddOperationRoutes(http::Router& router, RegistryContext& ctx);
void AddConsumerClickToPayRoutes(http::Router& router, RegistryContext& ctx);
void AddCardClickToPayRoutes(http::Router& router, RegistryContext& ctx);
// §5.7 (profile_routes): the consumer's profiles, read live from the networks.
void AddProfileRoutes(http::Router& router, RegistryContext& ctx);

inline void AddClickToPayRoutes(http::Router& router, RegistryContext& ctx) {
  AddEnrolRoutes(router, ctx);
  AddOperationRoutes(router, ctx);
  AddConsumerClickToPayRoutes(router, ctx);
  AddCardClickToPayRoutes(router, ctx);
  AddProfileRoutes(router, ctx);
}

}  // namespace c2p::api
