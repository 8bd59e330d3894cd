#pragma once
// Three c2pd nodes on one PostgreSQL behind nginx (the repository's
// deploy/nginx/c2p.conf.template), under the fault suite's enrolment load and history
// (fault_fixture.hpp, outage_fixture.hpp). Node 0 is the fixture's daemon_ (c2psim's token services
// call it); nodes 1 and 2 run the same configuration on their own ports. After set-up, port_ is
// nginx's: the fixture's calls and the clients go through it.
//
// PostgreSQL only: ctest sets C2P_E2E_STORE=postgresql and starts the shared test server.

#include <fstream>
#include <sstream>

#include "tests/faults/outage_fixture.hpp"
#include "tests/support/ports.hpp"

namespace c2p::testing {

class ClusterE2e : public OutageSuite {
 protected:
  static void SetUpTestSuite() {
    const char* store = std::getenv("C2P_E2E_STORE");
    ASSERT_TRUE(store != nullptr && std::string(store) == "postgresql")
        << "this suite needs C2P_E2E_STORE=postgresql (ctest sets it)";
    OutageSuite::SetUpTestSuite();  // node 0, on port_
    ASSERT_TRUE(daemon_);
    const std::string config = ReadFile(ConfigPath());
    const std::string own_port = "port = " + std::to_string(port_) + "\n";
    ASSERT_NE(config.find(own_port), std::string::npos);
    node_ports_ = {port_};
    for (int n = 1; n < 3; ++n) {
      const std::uint16_t port = FreePort();
      const std::string path = dir_ + "/c2pd-" + std::to_string(n) + ".toml";
      std::ofstream(path) << Replace(config, own_port, "port = " + std::to_string(port) + "\n");
      auto node = Process::Start({BinDir() + "/c2pd", "--config", path},
                                 dir_ + "/c2pd-" + std::to_string(n) + ".out");
      ASSERT_TRUE(node);
      ASSERT_TRUE(WaitC2pdReady(port)) << ReadFile(dir_ + "/c2pd-" + std::to_string(n) + ".out");
      nodes_.push_back(std::move(*node));
      node_ports_.push_back(port);
    }
    StartNginx();
  }

  static void TearDownTestSuite() {
    if (nginx_) nginx_->Stop();
    nginx_.reset();
    for (auto& n : nodes_) n.Stop();
    nodes_.clear();
    port_ = node_ports_.empty() ? port_ : node_ports_[0];
    OutageSuite::TearDownTestSuite();
  }

  static std::string Replace(std::string text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
      text.replace(at, from.size(), to);
    }
    return text;
  }

  // nginx from the repository's template, in front of the three nodes; the fixture's
  // calls (tokens, operations) go through it from now on.
  static void StartNginx() {
    std::ifstream in(std::string(C2P_SOURCE_DIR) + "/deploy/nginx/c2p.conf.template");
    ASSERT_TRUE(in) << "deploy/nginx/c2p.conf.template not found";
    std::stringstream text;
    text << in.rdbuf();
    const std::string prefix = dir_ + "/nginx";
    std::filesystem::create_directories(prefix);
    std::string upstreams;
    for (auto port : node_ports_) {
      upstreams += "server 127.0.0.1:" + std::to_string(port) + " max_fails=3 fail_timeout=2s;\n";
    }
    const std::uint16_t port = FreePort();
    std::string conf = Replace(text.str(), "${C2P_NODES}", upstreams);
    conf = Replace(conf, "${C2P_LISTEN}", "127.0.0.1:" + std::to_string(port));
    conf = Replace(conf, "${NGINX_PREFIX}", prefix);
    // Two workers are plenty on loopback (the template says auto).
    conf = Replace(conf, "worker_processes auto;", "worker_processes 2;");
    std::ofstream(prefix + "/nginx.conf") << conf;
    auto nginx = Process::Start({"/usr/sbin/nginx", "-p", prefix, "-c", prefix + "/nginx.conf"},
                                prefix + "/nginx.out");
    ASSERT_TRUE(nginx);
    nginx_ = std::move(*nginx);
    ASSERT_TRUE(WaitReady(port)) << ReadFile(prefix + "/error.log");
    port_ = port;
  }

  // Added to every directory call of both networks (c2psim's faults).
  static void SetLatency(int ms) {
    for (const char* network : {"visa", "mastercard"}) {
      auto r = Fetch(
          sim_->sim_port, "POST", "/sim/v1/faults",
          std::string(R"({"network":")") + network + R"(","latencyMs":)" + std::to_string(ms) + "}",
          "Content-Type: application/json\r\n");
      ASSERT_TRUE(r && r->status / 100 == 2) << (r ? r->body : "no answer");
    }
  }

  static inline std::vector<Process> nodes_;  // nodes 1 and 2 (node 0 is daemon_)
  static inline std::vector<std::uint16_t> node_ports_;
  static inline std::optional<Process> nginx_;
};

}  // namespace c2p::testing
