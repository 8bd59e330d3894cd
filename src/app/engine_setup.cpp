#include "app/engine_setup.hpp"

#include "app/issuer_backend_setup.hpp"
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

// The issuer's Get Consumer Information (src/notify) as the engine sees it.
class IssuerConsumerInfo final : public engine::ConsumerInfoSource {
 public:
  IssuerConsumerInfo(const notify::IssuerClients& issuers, notify::ConsumerInfoClient& client)
      : issuers_(issuers), client_(client) {}

  bool Serves(std::string_view issuer) const override {
    const auto* entry = issuers_.Find(issuer);
    return entry != nullptr && !entry->endpoint.base_url.empty();
  }

  boost::asio::awaitable<tl::expected<engine::ConsumerData, engine::FetchProblem>> Fetch(
      std::string issuer, std::string consumer_id, std::string card_id,
      std::string correlation_id) override {
    auto got = co_await client_.Fetch(std::move(issuer), std::move(consumer_id), std::move(card_id),
                                      std::move(correlation_id));
    if (!got) {
      engine::FetchProblem p;
      p.retryable = got.error().retryable;
      p.failure_code = got.error().failure_code;
      p.retry_after = got.error().retry_after;
      p.message = "issuer consumer information: " + got.error().message;
      co_return tl::unexpected(std::move(p));
    }
    co_return engine::ConsumerData{std::move(got->info), std::move(got->billing)};
  }

 private:
  const notify::IssuerClients& issuers_;
  notify::ConsumerInfoClient& client_;
};

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

  auto& by_network = rt->by_network;
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
  auto endpoints = LoadIssuerEndpoints(config);
  if (!endpoints) return tl::unexpected(endpoints.error());
  rt->issuers = std::make_unique<notify::IssuerClients>(*rt->client, std::move(*endpoints));
  rt->consumer_client = std::make_unique<notify::ConsumerInfoClient>(*rt->issuers);
  rt->consumer_info = std::make_unique<IssuerConsumerInfo>(*rt->issuers, *rt->consumer_client);

  auto add = [&rt](std::string_view kind, std::unique_ptr<engine::Driver> driver) {
    rt->engine->AddDriver(std::string(kind), *driver);
    rt->drivers.push_back(std::move(driver));
  };
  add(engine::kEnrolmentJob,
      std::make_unique<engine::EnrolDriver>(store, keys, by_network, rt->consumer_info.get()));
  rt->profiles = std::make_unique<engine::ProfileReader>(rt->engine->executor(), by_network,
                                                         config.engine.profile_timeout);
  return rt;
}

}  // namespace c2p::app
