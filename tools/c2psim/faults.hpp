#pragma once
// Fault injection (spec/networks.md §4): per target ("visa", "mastercard", "issuer"), a
// share of calls answered with an error status, a share that times out, and added latency.
// Each call makes exactly one draw from a generator seeded by the request, so a given seed
// gives the same sequence of outcomes for the same sequence of calls.

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace c2p::sim {

enum class FaultTarget { kVisa, kMastercard, kIssuer };

struct FaultSpec {
  double error_rate = 0;
  unsigned status = 503;
  double timeout_rate = 0;
  unsigned latency_ms = 0;
  std::uint64_t seed = 0;
};

// Reads {"network", "errorRate"?, "status"?, "timeoutRate"?, "latencyMs"?, "seed"?}: rates in
// [0, 1] with errorRate + timeoutRate <= 1, status 400-599, latencyMs <= 60000. The error
// message names the field at fault.
struct FaultRequest {
  FaultTarget target = FaultTarget::kVisa;
  FaultSpec spec;
};
std::optional<FaultRequest> ParseFaultRequest(const boost::json::value& body, std::string& error);

struct FaultDraw {
  enum class Kind { kNone, kError, kTimeout } kind = Kind::kNone;
  unsigned status = 0;
  std::chrono::milliseconds latency{0};
};

class Faults {
 public:
  void Set(const FaultRequest& request);
  void Clear();
  // One draw for one call to `target`.
  FaultDraw Draw(FaultTarget target);
  boost::json::object Describe() const;

 private:
  struct Slot {
    bool active = false;
    FaultSpec spec;
    std::mt19937_64 rng;
  };
  Slot slots_[3];
};

}  // namespace c2p::sim
