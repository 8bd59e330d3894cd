#pragma once
// Process signals for the daemons. BlockTerminationSignals() must run before any thread
// starts, so that every thread inherits the mask and only WaitForSignal() sees them.

#include <chrono>
#include <optional>

namespace c2p::app {

void BlockTerminationSignals();
// Waits for SIGINT, SIGTERM or SIGCHLD; returns the signal number. With a timeout, returns
// nullopt when it passes first.
std::optional<int> WaitForSignal(std::optional<std::chrono::milliseconds> timeout = std::nullopt);

}  // namespace c2p::app
