#pragma once
// The composition root of c2pd: opens the store, wires the routes and middleware, runs
// the HTTP server, and shuts down gracefully on SIGINT/SIGTERM.

#include <cstdint>
#include <functional>

#include "app/config.hpp"

namespace c2p::app {

struct DaemonHooks {
  // Called once the server listens and the store is open, with the bound port.
  std::function<void(std::uint16_t port)> on_ready;
  // Called on SIGCHLD; return false to shut down (a child the daemon depends on died).
  std::function<bool()> on_child_exit;
};

// Runs until a termination signal; returns the process exit code. Signals must already be
// blocked (BlockTerminationSignals) before this is called.
int RunDaemon(const Config& config, const DaemonHooks& hooks = {});

}  // namespace c2p::app
