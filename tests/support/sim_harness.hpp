#pragma once
// A real c2psim process with its keys, and in the test process a stand-in for c2p's
// /tsp/v1/networks/{network}/… endpoints that c2psim's token services call (c2pd's own
// /tsp endpoints come with the engine). Shared by the c2psim and the networks e2e suites.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "jose/jwe.hpp"
#include "jose/jwk.hpp"
#include "jose/rsa_key.hpp"
#include "tests/support/process.hpp"

namespace c2p::testing {

inline constexpr const char* kSimVisaTspSecret = "tsp-secret-visa";
inline constexpr const char* kSimMcTspSecret = "tsp-secret-mc";
inline constexpr const char* kSimVisaApiKey = "visa-key";
inline constexpr const char* kSimMcApiKey = "mc-key";

// What the stand-in for c2p's /tsp endpoints saw and how it answers.
struct FakeC2p {
  std::mutex mutex;
  std::vector<std::string> pans;  // decrypted from token requests
  std::vector<boost::json::object> events;
  std::set<std::string> red_pans;
  std::atomic<int> fail_events{0};  // answer 503 to that many tokenEvents first
  std::atomic<int> unauthorized{0};

  std::vector<boost::json::object> Events();
  std::size_t CountEvents(std::string_view kind);
};

class SimHarness {
 public:
  // Creates a fresh directory named `name`, the keys (c2p's EC key, the networks' RSA key
  // pairs, an issuer webhook secret, a consumers fixture) and starts the /tsp stand-in.
  // Returns false (with a gtest failure) when something could not be set up.
  bool Setup(const std::string& name);
  // Writes DIR/c2psim.toml (the *_extra strings are appended to their sections, `extra` to
  // the file) and starts c2psim; false when it does not become ready.
  bool StartSim(const std::string& extra = "");
  void Stop();

  std::string dir;
  jose::EcKey c2p_key = jose::EcKey::Generate();
  jose::JweDecryptionKeys decryption;
  jose::RsaKey visa_key = jose::RsaKey::Generate();
  jose::RsaKey mc_key = jose::RsaKey::Generate();
  FakeC2p fake;
  std::string visa_extra;
  std::string mc_extra;
  std::string issuer_extra;
  // Where c2psim's token services call, and the key they encrypt card data to: the in-test
  // stand-in unless set (a real c2pd's URL and its public JWE key file).
  std::string c2p_url;
  std::string c2p_encryption_key;
  Process sim;
  std::uint16_t sim_port = 0;

 private:
  bool StartFakeC2p();
  core::metrics::Registry metrics_;
  http::Router router_;
  std::unique_ptr<http::Server> c2p_server_;
};

}  // namespace c2p::testing
