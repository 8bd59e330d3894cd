#pragma once
// Builds the API's authentication (api::AuthContext) from the configuration: the access
// token MAC keys, every issuer's assertion keys, the audience and the rate limits. Keys are
// read and parsed once, here, at start-up.

#include <memory>

#include "api/auth_context.hpp"
#include "app/config.hpp"

namespace c2p::app {

core::Result<std::unique_ptr<api::AuthContext>> BuildAuthContext(const Config& config);

}  // namespace c2p::app
