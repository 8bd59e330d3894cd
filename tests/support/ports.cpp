#include "tests/support/ports.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <string>

namespace c2p::testing {

namespace {

// The band tests draw from: 12,288 ports ending 4,096 below the ephemeral range, whose top
// 4,096 scripts/pg.sh keeps for PostgreSQL (it restarts a server on the same port).
struct Band {
  int low;
  int high;  // exclusive
};

Band TestBand() {
  int ephemeral_low = 32768;  // Linux's default, if /proc cannot be read
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> ephemeral_low;
  const int high = std::max(ephemeral_low - 4096, 2048);
  return {std::max(high - 12288, 1024), high};
}

bool Bindable(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  // As the servers bind: SO_REUSEADDR, so a port in TIME_WAIT from an earlier test is usable.
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// Takes the lock of `port`: the descriptor holding it, or -1. Left open, it keeps the lock
// until the process exits. A second lock on the same port from this process fails too
// (flock locks belong to each open), so no port is handed out twice.
int Reserve(int port) {
  static const std::string dir = [] {
    std::string d = "/tmp/c2p-test-ports";
    std::error_code ec;
    std::filesystem::create_directories(d, ec);
    // Any user's test runs share the directory; sticky, as /tmp is.
    std::filesystem::permissions(
        d, std::filesystem::perms::all | std::filesystem::perms::sticky_bit, ec);
    return d;
  }();
  const std::string path = dir + "/" + std::to_string(port);
  // Read-only is enough for flock, and opens another user's lock file too.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::mutex mu;

std::mt19937& Rng() {
  static std::mt19937 rng(std::random_device{}());
  return rng;
}

// A free port P of the band, reserved, and with span > 0 P + span too (inside the band,
// so never in scripts/pg.sh's).
std::uint16_t Take(std::uint16_t span) {
  const std::lock_guard lock(mu);
  const Band band = TestBand();
  std::uniform_int_distribution<int> pick(band.low, band.high - 1 - span);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const int port = pick(Rng());
    if (!Bindable(port)) continue;
    const int fd = Reserve(port);
    if (fd < 0) continue;
    if (span == 0) return static_cast<std::uint16_t>(port);
    if (Bindable(port + span) && Reserve(port + span) >= 0) {
      return static_cast<std::uint16_t>(port);
    }
    ::close(fd);  // the neighbour is taken: this one is not kept either
  }
  return 0;
}

}  // namespace

std::uint16_t FreePort() { return Take(0); }

std::uint16_t FreePortWithNeighbour(std::uint16_t offset) { return Take(offset); }

}  // namespace c2p::testing
