// c2pd: the c2p server. `c2pd --config FILE` runs a deployment; `c2pd sandbox` runs the
// one-machine sandbox of spec/sandbox.md; `c2pd check-config` validates a file and exits.

#include <unistd.h>

#include <filesystem>
#include <iostream>

#include <CLI/CLI.hpp>

#include "app/config.hpp"
#include "app/daemon.hpp"
#include "app/issuer_backend_setup.hpp"
#include "app/registry_setup.hpp"
#include "app/sandbox.hpp"
#include "app/signals.hpp"
#include "c2p/build_version.hpp"

namespace {

std::filesystem::path SelfDir() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path(".") : self.parent_path();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"c2p server: enrols issuers' cards into Click to Pay"};
  cli.require_subcommand(0, 1);
  cli.set_version_flag("--version", std::string("c2pd ") + c2p::build::kVersionLine);
  std::string config_path;
  cli.add_option("--config", config_path, "TOML configuration file");

  auto* sandbox = cli.add_subcommand("sandbox", "run the one-machine sandbox (spec/sandbox.md)");
  c2p::app::SandboxOptions sandbox_options;
  std::string sandbox_dir = sandbox_options.dir.string();
  sandbox->add_option("--dir", sandbox_dir, "sandbox directory")->capture_default_str();
  sandbox->add_option("--port", sandbox_options.port, "API port; the simulator uses PORT+10")
      ->capture_default_str()
      ->check(CLI::Range(1, 65525));
  sandbox->add_option("--store", sandbox_options.store_url,
                      "store URL (default sqlite:DIR/c2p.db)");
  sandbox->add_flag("--reset", sandbox_options.reset, "delete the sandbox's keys and data first");

  auto* check = cli.add_subcommand("check-config", "validate a configuration file and exit");
  check->add_option("--config", config_path, "TOML configuration file")->required();

  CLI11_PARSE(cli, argc, argv);

  if (*check) {
    auto config = c2p::app::LoadConfig(config_path);
    if (!config) {
      std::cerr << "config: " << config.error().message << "\n";
      return 2;
    }
    // The PAN key ring is built exactly as c2pd builds it: versions, sizes, the index key.
    if (auto ring = c2p::app::LoadPanKeyRing(config->keys); !ring) {
      std::cerr << "config: " << ring.error().message << "\n";
      return 2;
    }
    if (auto issuers = c2p::app::LoadIssuerEndpoints(*config); !issuers) {
      std::cerr << "config: " << issuers.error().message << "\n";
      return 2;
    }
    std::cout << "config OK: " << config_path << "\n";
    return 0;
  }

  // Before any thread exists, so only the main thread receives termination signals.
  c2p::app::BlockTerminationSignals();

  if (*sandbox) {
    sandbox_options.dir = sandbox_dir;
    return c2p::app::RunSandbox(sandbox_options, SelfDir() / "c2psim");
  }
  if (config_path.empty()) {
    std::cerr << "c2pd: --config FILE is required (or use `c2pd sandbox`)\n" << cli.help();
    return 2;
  }
  auto config = c2p::app::LoadConfig(config_path);
  if (!config) {
    std::cerr << "config: " << config.error().message << "\n";
    return 2;
  }
  return c2p::app::RunDaemon(*config);
}
