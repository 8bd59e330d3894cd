#pragma once
// The whole simulator behind one router: both directories, the token services, the
// checkout lookup, the stand-in issuer, and the test controls (/sim/v1/faults,
// /sim/v1/stats, /sim/v1/reset). It must be served by a server with exactly one reactor thread.

#include <memory>

#include "core/error.hpp"
#include "http/router.hpp"

namespace c2p::sim {

struct SimConfig;
struct SimKeys;

class Simulator {
 public:
  static core::Result<std::unique_ptr<Simulator>> Create(SimConfig config, SimKeys keys);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  void AddRoutes(http::Router& router);

 private:
  struct Parts;
  explicit Simulator(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace c2p::sim
