// c2psim: stands in for everything outside c2p (spec/networks.md §4): the two Click to
// Pay directories, their token services, the checkout lookup and the stand-in issuer.
// For now it is only the process the sandbox and the tests start and wait for; its
// services arrive with their own issue.

#include <csignal>
#include <iostream>

#include <CLI/CLI.hpp>

#include "api/service_routes.hpp"
#include "app/signals.hpp"
#include "core/metrics.hpp"
#include "http/server.hpp"
#include "log/log.hpp"

int main(int argc, char** argv) {
  CLI::App cli{"c2psim: the networks and the issuer backend, simulated on loopback"};
  c2p::http::ServerOptions options;
  options.port = 8090;
  options.threads = 1;
  options.access_log = false;
  options.server_name = "c2psim";
  cli.add_option("--port", options.port, "listen port")->capture_default_str();
  cli.add_option("--listen", options.listen_address, "listen address")->capture_default_str();
  CLI11_PARSE(cli, argc, argv);

  c2p::app::BlockTerminationSignals();
  c2p::log::Init({});
  c2p::core::metrics::Registry metrics;
  c2p::http::Router router;
  c2p::api::AddServiceRoutes(
      router, [] { return c2p::core::Result<void>{}; }, metrics);
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
  server.Stop();
  return 0;
}
