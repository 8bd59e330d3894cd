#pragma once
// `c2pd sandbox`: a complete sandbox on loopback with nothing to configure
// (spec/sandbox.md §1). It creates the sandbox directory with keys for c2p and for two
// onboarded issuers, the c2pd configuration and sandbox.json, starts c2psim on the port
// after c2pd's (PORT+10), then runs c2pd in the foreground. Running it again keeps keys
// and data unless --reset is given.

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/error.hpp"

namespace c2p::app {

struct SandboxOptions {
  std::filesystem::path dir = "var/sandbox";
  std::uint16_t port = 8080;
  std::string store_url;  // empty: sqlite:<dir>/c2p.db
  bool reset = false;
};

inline constexpr const char* kSandboxIssuer = "SANDBOX001";
inline constexpr const char* kSandboxOtherIssuer = "SANDBOX002";
inline constexpr std::uint16_t kSimulatorPortOffset = 10;

// Creates or refreshes the sandbox directory; returns the path of its c2pd config.
core::Result<std::filesystem::path> PrepareSandbox(const SandboxOptions& options);

// PrepareSandbox, then runs c2psim and c2pd until SIGINT/SIGTERM. Returns the exit code.
int RunSandbox(const SandboxOptions& options, const std::filesystem::path& simulator_binary);

}  // namespace c2p::app
