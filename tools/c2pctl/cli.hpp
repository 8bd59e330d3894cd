#pragma once
// The c2pctl command tree and its exit-code contract: 0 success, 1 failure, 2 usage error.

#include <ostream>

namespace c2p::ctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Parses argv (argv[0] is the program name), runs the selected command and returns the
// process exit code. Normal output goes to `out`, diagnostics to `err`.
int RunC2pctl(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace c2p::ctl
