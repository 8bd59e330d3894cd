// c2psim: stands in for everything outside c2p (spec/networks.md §4): the two Click to
// Pay directories, their token services, the checkout lookup and the stand-in issuer.
// See docs/simulator.md.

#include <csignal>
#include <iostream>

#include <CLI/CLI.hpp>

#include "api/service_routes.hpp"
#include "app/signals.hpp"
#include "config.hpp"
#include "core/metrics.hpp"
#include "http/server.hpp"
#include "log/log.hpp"
#include "simulator.hpp"

int main(int argc, char** argv) {
  CLI::App cli{"c2psim: the networks and the issuer backend, simulated on loopback"};
  std::string config_path;
  std::optional<std::uint16_t> port;
  std::optional<std::string> listen;
  cli.add_option("--config", config_path, "c2psim TOML configuration (docs/simulator.md)");
  cli.add_option("--port", port, "listen port (overrides the configuration; default 8090)");
  cli.add_option("--listen", listen, "listen address (overrides the configuration)");
  CLI11_PARSE(cli, argc, argv);

  auto config = config_path.empty()
                    ? c2p::core::Result<c2p::sim::SimConfig>(c2p::sim::DefaultSimConfig())
                    : c2p::sim::LoadSimConfig(config_path);
  if (!config) {
    std::cerr << "c2psim: " << config.error().message << "\n";
    return 2;
  }
  if (port) config->port = *port;
  if (listen) config->listen = *listen;
  auto keys = c2p::sim::LoadSimKeys(*config);
  if (!keys) {
    std::cerr << "c2psim: " << keys.error().message << "\n";
    return 2;
  }

  c2p::http::ServerOptions options;
  options.listen_address = config->listen;
  options.port = config->port;
  options.threads = 1;  // the simulator's state is owned by its one reactor
  options.access_log = false;
  options.server_name = "c2psim";
  options.shutdown_grace = std::chrono::seconds(2);

  c2p::app::BlockTerminationSignals();
  c2p::log::Init({});
  auto simulator = c2p::sim::Simulator::Create(std::move(*config), std::move(*keys));
  if (!simulator) {
    std::cerr << "c2psim: " << simulator.error().message << "\n";
    return 2;
  }
  c2p::core::metrics::Registry metrics;
  c2p::http::Router router;
  // Always ready once serving: the simulator keeps its state in memory.
  c2p::api::AddServiceRoutes(
      router,
      []() -> boost::asio::awaitable<c2p::core::Result<void>> {
        co_return c2p::core::Result<void>{};
      },
      metrics);
  (*simulator)->AddRoutes(router);
  c2p::http::Server server(options, router, metrics);
  if (auto ok = server.Start(); !ok) {
    std::cerr << "c2psim: " << ok.error().message << "\n";
    return 1;
  }
  for (;;) {
    const auto sig = c2p::app::WaitForSignal();
    if (sig && *sig == SIGCHLD) continue;
    break;
  }
  // The simulator's HTTP client toward c2p has its sockets on a reactor: destroy it once
  // the reactor has stopped but before its io_context is destroyed (after, libcurl's
  // cleanup would deregister sockets from a freed reactor).
  server.Stop([&simulator] { simulator->reset(); });
  return 0;
}
