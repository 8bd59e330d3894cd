#pragma once
// The routes' names for what the registry's units of work share (registry/registry_context.hpp):
// the routes and the batch files run the same units, so the context lives below both.

#include "registry/registry_context.hpp"

namespace c2p::api {

using registry::IssuerRegistryPolicy;
using registry::RegistryContext;

}  // namespace c2p::api
