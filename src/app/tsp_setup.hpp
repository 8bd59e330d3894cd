#pragma once
// Builds the token services' context (api::TspContext, spec/outbound.md §4) from the
// configuration: each [networks.*] with a tsp_secret_file becomes a network whose token
// service may call /tsp/v1/networks/{network}/…; the others are unknown there (404).

#include <memory>

#include "api/registry_context.hpp"
#include "api/tsp_routes.hpp"
#include "app/config.hpp"

namespace c2p::app {

// kConfigInvalid naming the key when a secret file cannot be read, is empty, or holds
// anything but printable ASCII without spaces (it travels in an Authorization header).
core::Result<std::unique_ptr<api::TspContext>> BuildTspContext(const Config& config,
                                                               api::RegistryContext& registry);

}  // namespace c2p::app
