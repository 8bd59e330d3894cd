#include "app/sandbox.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>
#include <vector>

#include <boost/json/serialize.hpp>

#include "app/config.hpp"
#include "app/daemon.hpp"
#include "core/ids.hpp"
#include "core/strict_json.hpp"
#include "jose/jwk.hpp"
#include "jose/key_file.hpp"
#include "jose/key_kinds.hpp"
#include "jose/rsa_key.hpp"
#include "log/log.hpp"

namespace c2p::app {
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

struct KeyPlan {
  jose::KeyKind kind;
  const char* file;
  const char* public_file;  // nullptr: none
};

// Every key file of the sandbox, relative to its directory.
const std::vector<KeyPlan>& Keys() {
  static const std::vector<KeyPlan> plan = {
      {jose::KeyKind::kTokenMac, "keys/token-mac.jwk", nullptr},
      {jose::KeyKind::kJwe, "keys/jwe.jwk", "keys/jwe.pub.jwk"},
      {jose::KeyKind::kPan, "keys/pan-v1.jwk", nullptr},
      {jose::KeyKind::kPanHmac, "keys/pan-hmac.jwk", nullptr},
      {jose::KeyKind::kIssuerSigning, "issuers/SANDBOX001-signing.jwk",
       "issuers/SANDBOX001-signing.pub.jwk"},
      {jose::KeyKind::kWebhook, "issuers/SANDBOX001.whsec", nullptr},
      {jose::KeyKind::kIssuerSigning, "issuers/SANDBOX002-signing.jwk",
       "issuers/SANDBOX002-signing.pub.jwk"},
      {jose::KeyKind::kWebhook, "issuers/SANDBOX002.whsec", nullptr},
  };
  return plan;
}

std::string SimulatorUrl(std::uint16_t port) {
  return "http://127.0.0.1:" + std::to_string(port + kSimulatorPortOffset);
}

// The simulated networks' RSA keys (c2p encrypts card data to their public halves).
constexpr const char* kSimNetworks[] = {"visa", "mastercard"};

core::Result<void> EnsureSimulatorKey(const fs::path& dir, const std::string& network) {
  const fs::path file = dir / ("keys/sim-" + network + ".jwk");
  const fs::path public_file = dir / ("keys/sim-" + network + ".pub.jwk");
  if (fs::exists(file) && fs::exists(public_file)) return {};
  jose::RsaKey key = jose::RsaKey::Generate();
  key.set_kid("sim-" + network);
  key.set_use("enc");
  key.set_alg("RSA-OAEP-256");
  boost::json::object jwk = key.ToPrivateJwk();
  auto written = jose::WriteJwkFile(file, jwk, true);
  jose::WipeJwkSecrets(jwk);
  if (!written) return written;
  return jose::WriteJwkFile(public_file, key.ToPublicJwk(), false);
}

// Per-network API keys and token-service secrets (spec/networks.md), made once and kept in
// keys/networks.json (0600): {"visa": {"apiKey", "tspSecret"}, "mastercard": {...}}. c2psim
// checks the API keys and presents the TSP secrets to c2pd's /tsp endpoints; c2pd reads
// both from keys/<network>.api-key and keys/<network>.tsp-secret.
core::Result<json::object> EnsureNetworkSecrets(const fs::path& dir) {
  const fs::path file = dir / "keys/networks.json";
  if (fs::exists(file)) {
    auto existing = jose::ReadJwkFile(file);  // a strict JSON object file, like a JWK
    if (existing) return existing;
  }
  json::object secrets;
  for (const char* network : kSimNetworks) {
    secrets[network] = {{"apiKey", core::NewRandomId("ak_")},
                        {"tspSecret", core::NewRandomId("tsp_")}};
  }
  std::string text = json::serialize(secrets) + "\n";
  auto written = jose::WriteFileAtomically(
      file, {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}, true,
      jose::Overwrite::kReplace);
  core::SecureWipe(text.data(), text.size());
  if (!written) return tl::unexpected(written.error());
  return secrets;
}

// The OAuth client c2pd uses toward the stand-in issuer backend (spec/outbound.md §1): one
// client for both sandbox issuers, its secret made once and kept in a 0600 file that c2pd
// reads (oauth_client_secret_file) and c2psim's 0600 configuration repeats.
constexpr const char* kIssuerOAuthClient = "c2p-sandbox";
constexpr const char* kIssuerOAuthSecretFile = "issuers/oauth-client.secret";

core::Result<core::SecretBytes> EnsureIssuerOAuthSecret(const fs::path& dir) {
  const fs::path file = dir / kIssuerOAuthSecretFile;
  if (fs::exists(file)) {
    auto existing = jose::ReadSecretTextFile(file);
    if (existing && !existing->empty()) return existing;
  }
  std::string text = core::NewRandomId("ocs_");
  core::SecretBytes secret{std::string_view(text)};
  text += "\n";
  auto written = jose::WriteFileAtomically(
      file, {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}, true,
      jose::Overwrite::kReplace);
  core::SecureWipe(text.data(), text.size());
  if (!written) return tl::unexpected(written.error());
  return secret;
}

// Get Consumer Information fixtures for c2psim's stand-in issuer (docs/simulator.md), made
// once and then left alone so that they can be edited. Invented people only.
constexpr const char* kConsumersFile = "issuers/consumers.json";

std::string ConsumersFixtureText() {
  json::array consumers;
  for (const char* issuer : {kSandboxIssuer, kSandboxOtherIssuer}) {
    consumers.push_back(json::object{
        {"issuerId", issuer},
        {"consumerId", "cons_1"},
        {"consumerInfo",
         {{"language", "en-GB"},
          {"firstName", "Ada"},
          {"lastName", "Lovelace"},
          {"email", "ada.lovelace@example.com"},
          {"mobilePhoneNumber", {{"countryCode", "44"}, {"phoneNumber", "7700900123"}}}}},
        {"billingAddress",
         {{"addressLine1", "12 St James's Square"},
          {"city", "London"},
          {"postalCode", "SW1Y 4JH"},
          {"countryCode", "GB"}}}});
    // No billing address: the enrolment has to find it elsewhere (or fail naming it).
    consumers.push_back(json::object{{"issuerId", issuer},
                                     {"consumerId", "cons_2"},
                                     {"consumerInfo",
                                      {{"language", "fr-FR"},
                                       {"firstName", "Grace"},
                                       {"lastName", "Hopper"},
                                       {"email", "grace.hopper@example.com"}}}});
  }
  return json::serialize(json::object{{"consumers", std::move(consumers)}}) + "\n";
}

core::Result<void> EnsureConsumersFixture(const fs::path& dir) {
  const fs::path file = dir / kConsumersFile;
  if (fs::exists(file)) return {};
  const std::string text = ConsumersFixtureText();
  return jose::WriteFileAtomically(
      file, {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}, false,
      jose::Overwrite::kReplace);
}

// c2psim's configuration (docs/simulator.md), written at every start like c2pd's.
std::string SimulatorConfigText(const SandboxOptions& o, const json::object& secrets,
                                const core::SecretBytes& oauth_secret) {
  std::string text =
      "# Written by `c2pd sandbox` at every start: edit the command's flags, not this file.\n"
      "[server]\nlisten = \"127.0.0.1\"\nport = " +
      std::to_string(o.port + kSimulatorPortOffset) +
      "\n\n[c2p]\nurl = \"http://127.0.0.1:" + std::to_string(o.port) +
      "\"\nencryption_key = \"keys/jwe.pub.jwk\"\n";
  for (const char* network : kSimNetworks) {
    const json::object& s = secrets.at(network).as_object();
    text += std::string("\n[") + network + "]\napi_key = \"" +
            std::string(s.at("apiKey").as_string()) + "\"\ndecryption_key = \"keys/sim-" + network +
            ".jwk\"\ntsp_secret = \"" + std::string(s.at("tspSecret").as_string()) + "\"\n";
  }
  // c2pd sends the outbound OAuth bearer on Get Consumer Information and on notifications,
  // so the stand-in issuer demands it like a real issuer backend would.
  text += std::string("\n[issuer]\nrequire_bearer = true\nconsumers_file = \"") + kConsumersFile +
          "\"\noauth_client_id = \"" + kIssuerOAuthClient + "\"\noauth_client_secret = \"" +
          std::string(oauth_secret.as_text()) + "\"\n";
  for (const char* issuer : {kSandboxIssuer, kSandboxOtherIssuer}) {
    text += std::string("\n[[issuer.webhook_secrets]]\nissuer = \"") + issuer +
            "\"\nfile = \"issuers/" + issuer + ".whsec\"\n";
  }
  return text;
}

// The c2pd configuration of the sandbox; paths are relative to the sandbox directory.
std::string ConfigText(const SandboxOptions& o, const std::string& store_url) {
  const std::string sim = SimulatorUrl(o.port);
  std::string text =
      "# Written by `c2pd sandbox` at every start: edit the command's flags, not this file.\n"
      "[server]\n"
      "listen = \"127.0.0.1\"\n"
      "port = " +
      std::to_string(o.port) +
      "\n"
      "\n[store]\nurl = \"" +
      store_url +
      "\"\n"
      "\n[log]\nlevel = \"info\"\n"
      "\n[keys]\n"
      "token_mac = \"keys/token-mac.jwk\"\n"
      "jwe = [\"keys/jwe.jwk\"]\n"
      "pan = [\"keys/pan-v1.jwk\"]\n"
      "pan_hmac = \"keys/pan-hmac.jwk\"\n";
  for (const char* network : kSimNetworks) {
    const std::string n = network;
    text += "\n[networks." + n + "]\nurl = \"" + sim + "\"\napi_key_file = \"keys/" + n +
            ".api-key\"\nencryption_key = \"keys/sim-" + n +
            ".pub.jwk\"\ntsp_secret_file = \"keys/" + n + ".tsp-secret\"\n";
  }
  for (const char* issuer : {kSandboxIssuer, kSandboxOtherIssuer}) {
    const std::string id = issuer;
    text +=
        "\n[[issuers]]\n"
        "id = \"" +
        id +
        "\"\n"
        "assertion_keys = [\"issuers/" +
        id +
        "-signing.pub.jwk\"]\n"
        "personal_data = \"stored\"\n"
        "auto_enrolment = false\n"
        "spool_dir = \"spool/" +
        id +
        "\"\n"
        "base_url = \"" +
        sim +
        "/sim/v1/issuer\"\n"
        "notification_url = \"" +
        sim +
        "/sim/v1/issuer\"\n"
        "notification_hosts = [\"127.0.0.1\"]\n"
        "notification_secret_file = \"issuers/" +
        id + ".whsec\"\n" + "oauth_client_id = \"" + kIssuerOAuthClient +
        "\"\noauth_client_secret_file = \"" + kIssuerOAuthSecretFile + "\"\n";
    text +=
        "\n[[card_products]]\n"
        "id = \"VISA_CLASSIC\"\n"
        "issuer = \"" +
        id +
        "\"\n"
        "network = \"VISA\"\n"
        "bin_ranges = [[\"400000\", \"499999\"]]\n"
        "\n[[card_products]]\n"
        "id = \"MC_STANDARD\"\n"
        "issuer = \"" +
        id +
        "\"\n"
        "network = \"MASTERCARD\"\n"
        "bin_ranges = [[\"510000\", \"559999\"], [\"222100\", \"272099\"]]\n";
  }
  return text;
}

core::Result<void> WriteText(const fs::path& path, const std::string& text, bool secret) {
  return jose::WriteFileAtomically(
      path, {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}, secret,
      jose::Overwrite::kReplace);
}

core::Result<json::object> SandboxJson(const SandboxOptions& o, const fs::path& dir,
                                       const std::string& store_url) {
  auto signing = jose::ReadJwkFile(dir / "issuers/SANDBOX001-signing.jwk");
  if (!signing) return tl::unexpected(signing.error());
  auto other = jose::ReadJwkFile(dir / "issuers/SANDBOX002-signing.jwk");
  if (!other) return tl::unexpected(other.error());
  auto encryption = jose::ReadJwkFile(dir / "keys/jwe.pub.jwk");
  if (!encryption) return tl::unexpected(encryption.error());
  auto secret = jose::ReadSecretTextFile(dir / "issuers/SANDBOX001.whsec");
  if (!secret) return tl::unexpected(secret.error());

  json::object out;
  out["baseUrl"] = "http://127.0.0.1:" + std::to_string(o.port);
  out["issuerId"] = kSandboxIssuer;
  out["issuerSigningKey"] = std::move(*signing);
  out["encryptionKey"] = std::move(*encryption);
  out["cardProducts"] = {{"VISA", "VISA_CLASSIC"}, {"MASTERCARD", "MC_STANDARD"}};
  // The sandbox file is for the sandbox's own tools and tests; it is written 0600.
  out["notificationSecret"] = secret->as_text();
  out["simulatorUrl"] = SimulatorUrl(o.port);
  out["storeUrl"] = store_url;
  // The main issuer's batch spool (drop files in inbox/, results in outbox/).
  out["spoolDir"] = fs::absolute(dir / "spool" / kSandboxIssuer).string();
  json::object second;
  second["issuerId"] = kSandboxOtherIssuer;
  second["issuerSigningKey"] = std::move(*other);
  out["otherIssuers"] = json::array{std::move(second)};
  return out;
}

}  // namespace

core::Result<fs::path> PrepareSandbox(const SandboxOptions& o) {
  std::error_code ec;
  if (o.reset) fs::remove_all(o.dir, ec);
  fs::create_directories(o.dir / "keys", ec);
  fs::create_directories(o.dir / "issuers", ec);
  if (ec) return core::Fail(core::ErrorCode::kIo, "cannot create " + o.dir.string());

  // Keys are made once and kept: restarting the sandbox must not invalidate what issuers
  // encrypted or signed with them, nor the data at rest.
  for (const KeyPlan& k : Keys()) {
    if (fs::exists(o.dir / k.file)) {
      if (k.public_file == nullptr || fs::exists(o.dir / k.public_file)) continue;
      // The public half went missing: derive it again rather than replace the key pair.
      auto jwk = jose::ReadJwkFile(o.dir / k.file);
      if (!jwk) return tl::unexpected(jwk.error());
      auto key = jose::EcKey::FromJwk(*jwk);
      jose::WipeJwkSecrets(*jwk);
      if (!key) return tl::unexpected(key.error());
      auto written = jose::WriteJwkFile(o.dir / k.public_file, key->ToPublicJwk(), false);
      if (!written) return tl::unexpected(written.error());
      continue;
    }
    auto made = jose::GenerateKeyFile(k.kind, o.dir / k.file, {},
                                      k.public_file ? o.dir / k.public_file : fs::path{},
                                      jose::Overwrite::kReplace);
    if (!made) return tl::unexpected(made.error());
  }

  for (const char* network : kSimNetworks) {
    if (auto ok = EnsureSimulatorKey(o.dir, network); !ok) return tl::unexpected(ok.error());
  }
  auto secrets = EnsureNetworkSecrets(o.dir);
  if (!secrets) return tl::unexpected(secrets.error());
  auto oauth_secret = EnsureIssuerOAuthSecret(o.dir);
  if (!oauth_secret) return tl::unexpected(oauth_secret.error());
  if (auto ok = EnsureConsumersFixture(o.dir); !ok) return tl::unexpected(ok.error());
  std::string sim_config = SimulatorConfigText(o, *secrets, *oauth_secret);
  auto sim_written = WriteText(o.dir / "c2psim.toml", sim_config, true);
  core::SecureWipe(sim_config.data(), sim_config.size());
  if (!sim_written) return tl::unexpected(sim_written.error());
  // c2pd reads each network's API key, and the secret its token service presents to c2pd,
  // from files of their own (secrets are never inline).
  for (const char* network : kSimNetworks) {
    for (const auto& [member, suffix] :
         {std::pair{"apiKey", ".api-key"}, std::pair{"tspSecret", ".tsp-secret"}}) {
      std::string value(secrets->at(network).as_object().at(member).as_string());
      auto ok = WriteText(o.dir / ("keys/" + std::string(network) + suffix), value + "\n", true);
      core::SecureWipe(value.data(), value.size());
      if (!ok) return tl::unexpected(ok.error());
    }
  }

  const std::string store_url =
      o.store_url.empty() ? "sqlite:" + (o.dir / "c2p.db").string() : o.store_url;
  // The config resolves relative paths against its own directory: give the store an
  // absolute path so both views agree.
  std::string config_store = store_url;
  if (store_url.starts_with("sqlite:")) {
    const fs::path p = store_url.substr(7);
    config_store = "sqlite:" + (p.is_relative() ? fs::absolute(p) : p).string();
  }
  const fs::path config_path = o.dir / "c2pd.toml";
  if (auto ok = WriteText(config_path, ConfigText(o, config_store), false); !ok) {
    return tl::unexpected(ok.error());
  }
  auto sandbox = SandboxJson(o, o.dir, store_url);
  if (!sandbox) return tl::unexpected(sandbox.error());
  std::string text = json::serialize(*sandbox) + "\n";
  auto written = WriteText(o.dir / "sandbox.json", text, true);
  core::SecureWipe(text.data(), text.size());
  if (!written) return tl::unexpected(written.error());
  return config_path;
}

namespace {

pid_t StartSimulator(const fs::path& binary, const fs::path& config, const fs::path& log_path) {
  const pid_t pid = fork();
  if (pid != 0) return pid;
  // The simulator must not outlive the sandbox, whatever happens to c2pd.
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  sigset_t none;
  sigemptyset(&none);
  pthread_sigmask(SIG_SETMASK, &none, nullptr);
  if (FILE* f = std::freopen(log_path.c_str(), "a", stderr); f == nullptr) _exit(126);
  execl(binary.c_str(), binary.c_str(), "--config", config.c_str(), static_cast<char*>(nullptr));
  _exit(127);
}

// True once something accepts TCP connections on 127.0.0.1:port. Start-up only: the
// sandbox must not report itself ready before the simulator it depends on is.
bool WaitForListener(std::uint16_t port, pid_t child, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(child, &status, WNOHANG) == child) return false;  // it died
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool up = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    if (up) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace

int RunSandbox(const SandboxOptions& options, const fs::path& simulator_binary) {
  auto config_path = PrepareSandbox(options);
  if (!config_path) {
    std::cerr << "sandbox: " << config_path.error().message << "\n";
    return 1;
  }
  auto config = LoadConfig(*config_path);
  if (!config) {
    std::cerr << "sandbox: " << config.error().message << "\n";
    return 1;
  }
  config->log.file = (options.dir / "c2pd.log").string();

  const std::uint16_t sim_port = options.port + kSimulatorPortOffset;
  const pid_t sim =
      StartSimulator(simulator_binary, options.dir / "c2psim.toml", options.dir / "c2psim.log");
  if (sim < 0) {
    std::cerr << "sandbox: cannot start c2psim\n";
    return 1;
  }
  if (!WaitForListener(sim_port, sim, std::chrono::seconds(20))) {
    std::cerr << "sandbox: c2psim did not start on port " << sim_port << " (see "
              << (options.dir / "c2psim.log").string() << ")\n";
    kill(sim, SIGTERM);
    waitpid(sim, nullptr, 0);
    return 1;
  }

  DaemonHooks hooks;
  hooks.on_ready = [&](std::uint16_t port) {
    const fs::path dir = fs::absolute(options.dir);
    std::cout << "\nc2p sandbox is running\n"
              << "  API          http://127.0.0.1:" << port << "   (/healthz, /readyz, /metrics)\n"
              << "  simulator    " << SimulatorUrl(options.port) << "\n"
              << "  issuers      " << kSandboxIssuer << " (main), " << kSandboxOtherIssuer
              << " (for isolation checks)\n"
              << "  sandbox.json " << (dir / "sandbox.json").string() << "\n"
              << "  config       " << (dir / "c2pd.toml").string() << "\n"
              << "  logs         " << (dir / "c2pd.log").string() << ", "
              << (dir / "c2psim.log").string() << "\n"
              << "  store        " << config->store.url << "\n\n"
              << "Try it:\n"
              << "  curl -s http://127.0.0.1:" << port << "/readyz\n"
              << "  TOKEN=$(build/bin/c2pctl token --sandbox " << dir.string() << ")\n"
              << "  curl -s -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:" << port
              << "/authz/v1/tokeninfo\n"
              << "Enrol a test card end to end (cons_1 is known to the stand-in issuer):\n"
              << "  build/bin/c2pctl register-card --sandbox " << dir.string()
              << " --card-id crd_1 --consumer-id cons_1 --pan 4111111111111111 --exp 1230 && "
                 "build/bin/c2pctl enrol --sandbox "
              << dir.string() << " --card-id crd_1 --watch\n"
              << "  build/bin/c2pctl profiles --sandbox " << dir.string()
              << " --consumer-id cons_1\n"
              << "  build/bin/c2pctl register-consumer --sandbox " << dir.string()
              << " --consumer-id cons_2 --state ACTIVE\n\n"
              << "Stop with Ctrl-C. Data and keys are kept for the next start (--reset to "
                 "start over).\n"
              << std::flush;
  };
  hooks.on_child_exit = [sim] {
    int status = 0;
    // Only the simulator is a child; if it died, the sandbox is no longer whole.
    return waitpid(sim, &status, WNOHANG) == 0;
  };

  const int code = RunDaemon(*config, hooks);
  kill(sim, SIGTERM);
  int status = 0;
  waitpid(sim, &status, 0);
  return code;
}

}  // namespace c2p::app
