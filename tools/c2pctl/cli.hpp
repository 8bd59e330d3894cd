#pragma once
// The c2pctl command tree and its exit-code contract (docs/c2pctl.md, "Exit codes"):
//   0 success;
//   1 failure: c2p unreachable or timing out, a 5xx, an unexpected answer, a local file
//     that cannot be read or used, an operation that ended FAILED, a batch REJECTED, a
//     wait that ran out;
//   2 usage error: the command line itself is wrong (nothing was read or sent);
//   3 refusal: c2p understood the request and said no (a 4xx answer, the token endpoint's
//     invalid_grant included; for the store commands, a request the store's state refuses).

#include <ostream>

#include "core/error.hpp"

namespace c2p::ctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitRefused = 3;

// The exit code of an HTTP answer from c2p: 2xx 0, 4xx 3, anything else 1.
int ExitForStatus(unsigned status);

// The exit code of an error a helper returned: the API's refusal codes (4xx) give 3,
// everything else 1.
int ExitFor(const core::Error& error);

// Parses argv (argv[0] is the program name), runs the selected command and returns the
// process exit code. Normal output goes to `out`, diagnostics to `err`.
int RunC2pctl(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace c2p::ctl
