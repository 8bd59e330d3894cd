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

// Takes the lock of `port` for this process's lifetime. A second lock on the same port from
// this process fails too (flock locks belong to each open), so no port is handed out twice.
bool Reserve(int port) {
  static const std::string dir = [] {
    std::string d = "/tmp/c2p-test-ports";
    std::error_code ec;
    std::filesystem::create_directories(d, ec);
    // Any user's test runs share the directory.
    std::filesystem::permissions(d, std::filesystem::perms::all, ec);
    return d;
  }();
  const std::string path = dir + "/" + std::to_string(port);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0) return false;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return false;
  }
  return true;  // the descriptor stays open: the lock lasts until the process exits
}

std::mutex mu;

int Next(std::mt19937& rng, const Band& band) {
  return std::uniform_int_distribution<int>(band.low, band.high - 1)(rng);
}

std::mt19937& Rng() {
  static std::mt19937 rng(std::random_device{}());
  return rng;
}

}  // namespace

std::uint16_t FreePort() {
  const std::lock_guard lock(mu);
  const Band band = TestBand();
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const int port = Next(Rng(), band);
    if (Bindable(port) && Reserve(port)) return static_cast<std::uint16_t>(port);
  }
  return 0;
}

std::uint16_t FreePortWithNeighbour(std::uint16_t offset) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    const std::uint16_t p = FreePort();
    if (p == 0) return 0;
    const int neighbour = p + offset;
    if (neighbour > 65535) continue;
    const std::lock_guard lock(mu);
    if (Bindable(neighbour) && Reserve(neighbour)) return p;
  }
  return 0;
}

}  // namespace c2p::testing
