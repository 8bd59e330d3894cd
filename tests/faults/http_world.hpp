#pragma once
// The checker's real world: c2pd's operation getters (any of several nodes, or nginx in
// front of them), the stand-in issuer's received notifications and c2psim's stats, read
// over loopback HTTP.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tests/faults/history.hpp"

namespace c2p::faults {

struct Endpoints {
  std::vector<std::uint16_t> c2pd_ports;      // nodes or nginx; reads go to any that answers
  std::map<std::string, std::string> tokens;  // issuer id → access token
  std::uint16_t sim_port = 0;                 // c2psim
};

class HttpWorld : public World {
 public:
  explicit HttpWorld(Endpoints endpoints);
  std::optional<std::vector<StoredOperation>> CardOperations(const std::string& issuer,
                                                             const std::string& card) override;
  Lookup Operation(const std::string& issuer, const std::string& id,
                   std::chrono::seconds wait) override;
  std::optional<std::vector<Notified>> Notifications() override;
  std::optional<std::map<std::string, std::int64_t>> DuplicateEnrolments() override;
  void Pause(std::chrono::milliseconds pause) override;

 private:
  struct Answer {
    int status = 0;  // 0: no node answered
    std::string body;
  };
  // GET from c2pd: tries the nodes in turn (a node down or answering 502/503 is skipped)
  // for a few rounds.
  Answer Get(const std::string& issuer, const std::string& target,
             std::chrono::seconds wait = std::chrono::seconds(0));

  Endpoints endpoints_;
  std::size_t next_ = 0;
};

// The history checked against the real world.
CheckResult Check(const History& history, const Endpoints& endpoints, const CheckOptions& options);

// c2psim's duplicateEnrolments now, to pass as CheckOptions::duplicates_before.
std::map<std::string, std::int64_t> DuplicatesNow(std::uint16_t sim_port);

}  // namespace c2p::faults
