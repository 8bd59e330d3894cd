#pragma once
// The end-to-end suites' contract check: every response Fetch or TlsClient::Request gets
// from a port marked here (a c2pd's) is checked against api/openapi.json
// (OpenApiContract); a mismatch is a failure of the test that made the call, naming the
// method, path template, status and the validator's finding.

#include <chrono>
#include <cstdint>

namespace c2p::testing {

// Marks `port` as c2pd's (the marks last for the process: a c2pd restarted on the port
// is still a c2pd).
void CheckContractOn(std::uint16_t port);
// WaitReady for a c2pd: marks the port, then polls GET /readyz.
bool WaitC2pdReady(std::uint16_t port,
                   std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace c2p::testing
