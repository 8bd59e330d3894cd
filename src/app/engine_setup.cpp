#include "app/engine_setup.hpp"

#include "networks/directory_call.hpp"
#include "networks/mastercard_connector.hpp"
#include "networks/visa_connector.hpp"

namespace c2p::app {

namespace {

core::Result<networks::ConnectorConfig> ConnectorFrom(const NetworkEndpointConfig& n,
                                                      const std::string& what) {
  networks::ConnectorConfig c;
  c.url = n.url;
  c.timeout = n.timeout;
  c.enrol_timeout = n.enrol_timeout;
  c.src_client_id = n.src_client_id;
  c.service_id = n.service_id;
  if (auto ok = networks::LoadConnectorSecrets(c, n.api_key_file, n.encryption_key, what); !ok) {
    return tl::unexpected(ok.error());
  }
  return c;
}

}  // namespace

EngineRuntime::~EngineRuntime() {
  // The jobs still running use the client and the connectors: stop them first.
  if (engine) engine->Stop();
}

core::Result<std::unique_ptr<EngineRuntime>> BuildEngine(const Config& config, store::Store& store,
                                                         const vault::KeyRing& keys,
                                                         core::metrics::Registry& metrics) {
  auto rt = std::make_unique<EngineRuntime>();
  engine::EngineOptions options;
  options.max_in_flight = config.engine.max_in_flight;
  options.retry = engine::RetryPolicy{config.engine.retry_base, config.engine.retry_max};
  rt->engine = std::make_unique<engine::Engine>(store, rt->watch, metrics, options);
  rt->client = std::make_unique<http::Client>(rt->engine->executor());

  std::map<std::string, networks::NetworkConnector*, std::less<>> by_network;
  if (config.networks.visa) {
    auto c = ConnectorFrom(*config.networks.visa, "networks.visa");
    if (!c) return tl::unexpected(c.error());
    rt->connectors.push_back(std::make_unique<networks::VisaConnector>(*rt->client, std::move(*c)));
    by_network["VISA"] = rt->connectors.back().get();
  }
  if (config.networks.mastercard) {
    auto c = ConnectorFrom(*config.networks.mastercard, "networks.mastercard");
    if (!c) return tl::unexpected(c.error());
    rt->connectors.push_back(
        std::make_unique<networks::MastercardConnector>(*rt->client, std::move(*c)));
    by_network["MASTERCARD"] = rt->connectors.back().get();
  }
  rt->enrol = std::make_unique<engine::EnrolDriver>(store, keys, std::move(by_network),
                                                    rt->consumer_info.get());
  rt->engine->AddDriver(std::string(engine::kEnrolmentJob), *rt->enrol);
  return rt;
}

}  // namespace c2p::app
