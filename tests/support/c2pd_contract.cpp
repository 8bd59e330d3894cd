#include "tests/support/c2pd_contract.hpp"

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/openapi_contract.hpp"
#include "tests/support/process.hpp"

namespace c2p::testing {

namespace {

std::mutex mu;
std::set<std::uint16_t>& Ports() {
  static std::set<std::uint16_t> ports;
  return ports;
}

bool Watched(std::uint16_t port) {
  const std::lock_guard lock(mu);
  return Ports().count(port) != 0;
}

void CheckResponse(std::uint16_t port, std::string_view method, std::string_view target,
                   const HttpResponse& response) {
  if (!Watched(port)) return;
  const auto& contract = OpenApiContract::Embedded();
  // Read once: set (or not) before the suite starts, never changed while it runs.
  static const std::string coverage = [] {
    const char* file = std::getenv("C2P_CONTRACT_COVERAGE");  // NOLINT(concurrency-mt-unsafe)
    return std::string(file == nullptr ? "" : file);
  }();
  if (!coverage.empty()) {
    // Which operations and statuses the suites exercise (docs/openapi.md): one line per
    // response, "METHOD TEMPLATE STATUS", never the concrete path.
    const std::string tmpl = contract.MatchPath(target.substr(0, target.find('?')));
    const std::lock_guard lock(mu);
    std::ofstream(coverage, std::ios::app)
        << method << ' ' << (tmpl.empty() ? "-" : tmpl) << ' ' << response.status << '\n';
  }
  if (auto bad = contract.Check(method, target, response)) {
    // gtest records failures from any thread against the running test.
    ADD_FAILURE() << "c2pd's response disagrees with api/openapi.json: " << *bad;
  }
}

}  // namespace

void CheckContractOn(std::uint16_t port) {
  static std::once_flag installed;
  std::call_once(installed, [] { SetResponseObserver(&CheckResponse); });
  const std::lock_guard lock(mu);
  Ports().insert(port);
}

bool WaitC2pdReady(std::uint16_t port, std::chrono::milliseconds timeout) {
  CheckContractOn(port);
  return WaitReady(port, timeout);
}

}  // namespace c2p::testing
