#pragma once
// c2psim's configuration: a TOML file of the same kind as c2pd's (read with the same
// app::TomlReader, unknown keys refused), and the keys it names, loaded. Every key is
// documented in docs/simulator.md. Without a file, Defaults() gives a simulator with fresh
// in-memory RSA keys, no API key checks and no c2p (the token services then approve every
// card themselves): enough for a quick look and for the benchmark.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "core/error.hpp"
#include "jose/jwe.hpp"
#include "jose/jwk.hpp"
#include "jose/rsa_key.hpp"

namespace c2p::sim {

struct NetworkConfig {
  std::string api_key;                         // expected x-api-key; empty: not checked
  std::filesystem::path decryption_key;        // the network's RSA private JWK
  std::string tsp_secret;                      // Bearer toward c2p's /tsp endpoints
  std::string token_requestor_id;              // in token requests and events
  std::chrono::milliseconds latency{0};        // added to every directory call
  std::chrono::milliseconds token_latency{0};  // token service work before asking c2p
  unsigned rate_limit = 0;                     // calls/s (Mastercard-like); 0: none
};

struct IssuerSecret {
  std::string issuer_id;
  std::filesystem::path file;  // whsec_… text file
};

struct IssuerConfig {
  std::filesystem::path consumers_file;  // Get Consumer Information fixtures; optional
  std::string oauth_client_id;           // empty: the token endpoint refuses everyone
  std::string oauth_client_secret;
  bool require_bearer = false;  // consumer info and notifications need its tokens
  std::vector<IssuerSecret> webhook_secrets;
  std::chrono::seconds tolerance{300};  // webhook-timestamp skew accepted
};

struct SimConfig {
  std::string listen = "127.0.0.1";
  std::uint16_t port = 8090;
  std::string c2p_url;                       // empty: token services decide locally (GREEN)
  std::filesystem::path c2p_encryption_key;  // c2p's public JWK (EC P-256 or RSA)
  NetworkConfig visa;
  NetworkConfig mastercard;
  IssuerConfig issuer;
  std::chrono::milliseconds slow_card{3000};     // test card 0036
  std::chrono::milliseconds timeout{15'000};     // how long a "timeout" fault holds the answer
  std::chrono::milliseconds tsp_timeout{5'000};  // per call to c2p
};

core::Result<SimConfig> LoadSimConfig(const std::filesystem::path& path);
SimConfig DefaultSimConfig();

// c2p's public key: the token services encrypt {pan, exp} to it.
using C2pKey = std::variant<std::monostate, jose::EcKey, jose::RsaKey>;

// The keys a configuration names, loaded (or generated when it names none).
struct SimKeys {
  jose::JweDecryptionKeys visa;
  jose::JweDecryptionKeys mastercard;
  std::shared_ptr<C2pKey> c2p = std::make_shared<C2pKey>();
  std::vector<std::pair<std::string, std::vector<std::uint8_t>>> webhook_secrets;  // raw bytes
};

core::Result<SimKeys> LoadSimKeys(const SimConfig& config);

// Decodes a Standard Webhooks secret ("whsec_" + base64) to its key bytes.
core::Result<std::vector<std::uint8_t>> DecodeWebhookSecret(std::string_view text);

}  // namespace c2p::sim
