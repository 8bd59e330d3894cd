#pragma once
// The service endpoints of spec/api.md §6 that need no caller identity: liveness,
// readiness and metrics.

#include <functional>

#include <boost/asio/awaitable.hpp>

#include "core/error.hpp"
#include "core/metrics.hpp"
#include "http/router.hpp"

namespace c2p::api {

// `ready` says whether the process can serve (store reachable, migrations applied).
using Readiness = std::function<boost::asio::awaitable<core::Result<void>>()>;
void AddServiceRoutes(http::Router& router, Readiness ready, core::metrics::Registry& metrics);

}  // namespace c2p::api
