#pragma once
// Loopback ports for the servers a test starts as child processes (c2pd, c2psim, nginx).
//
// A port found by binding port 0 and closing the socket is free only until someone else
// binds: the kernel hands out the same range to every port-0 bind and outgoing connection
// on the machine, and ctest runs two suites at once. CI once saw c2pd's chosen port taken,
// before c2pd bound it, by a test's in-process server bound to port 0. So ports come from
// below the kernel's ephemeral range (/proc/sys/net/ipv4/ip_local_port_range), where no
// port-0 bind or connection lands, and each is reserved for the life of the test process by
// a lock file (flock, dropped by the kernel when the process ends) that other test
// processes respect. scripts/pg.sh takes its ports from a band above these.

#include <cstdint>

namespace c2p::testing {

// A loopback TCP port no other test process holds and nothing listens on; reserved for this
// process until it exits. 0 if none can be found.
std::uint16_t FreePort();
// A free port P such that P + offset is free and reserved too (the sandbox puts c2psim there).
std::uint16_t FreePortWithNeighbour(std::uint16_t offset);

}  // namespace c2p::testing
