#include "app/engine_setup.hpp"

#include "app/issuer_backend_setup.hpp"
#include "engine/card_optout_driver.hpp"
#include "engine/card_status_driver.hpp"
#include "engine/card_update_driver.hpp"
#include "engine/consumer_optout_driver.hpp"
#include "engine/consumer_update_driver.hpp"
#include "jose/key_file.hpp"
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
  c.in_doubt = n.in_doubt;
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

core::Result<std::unique_ptr<notify::Notifier>> BuildNotifier(const Config& config,
                                                              store::Store& store,
                                                              const notify::IssuerClients& clients,
                                                              const notify::RenderOperation& render,
                                                              core::metrics::Registry& metrics) {
  std::vector<notify::NotifierIssuer> issuers;
  for (const auto& issuer : config.issuers) {
    if (issuer.notification_url.empty()) continue;
    auto text = jose::ReadSecretTextFile(issuer.notification_secret_file);
    if (!text) return tl::unexpected(text.error());
    auto signer = notify::WebhookSigner::FromSecretText(text->as_text());
    if (!signer) {
      return core::Fail(
          core::ErrorCode::kConfigInvalid,
          "issuer " + issuer.id + ": notification_secret_file: " + signer.error().message);
    }
    issuers.push_back({issuer.id, issuer.notification_url, std::move(*signer),
                       issuer.max_operations_per_notification, clients.OAuthFor(issuer.id)});
  }
  if (issuers.empty()) return std::unique_ptr<notify::Notifier>();
  notify::NotifierOptions options;
  const auto& n = config.notifications;
  if (!n.retry_schedule.empty()) options.schedule.steps = n.retry_schedule;
  options.schedule.horizon = n.horizon;
  options.schedule.jitter = static_cast<double>(n.jitter_percent) / 100.0;
  options.max_in_flight_per_issuer = static_cast<int>(n.max_in_flight_per_issuer);
  options.timeout = n.timeout;
  options.lease = n.lease;
  options.idle_poll = n.idle_poll;
  return std::make_unique<notify::Notifier>(store, std::move(issuers), render, metrics, options);
}

}  // namespace

void EngineRuntime::Start() {
  engine->Start();
  if (notifier) notifier->Start();
}

void EngineRuntime::Stop() {
  // The jobs still running use the client and the connectors: stop them first. The
  // notifier's OAuth token caches live on the engine's client: it stops before them.
  if (engine) engine->Stop();
  if (notifier) notifier->Stop();
}

EngineRuntime::~EngineRuntime() { Stop(); }

core::Result<std::unique_ptr<EngineRuntime>> BuildEngine(const Config& config, store::Store& store,
                                                         const vault::KeyRing& keys,
                                                         const notify::RenderOperation& render,
                                                         core::metrics::Registry& metrics) {
  auto rt = std::make_unique<EngineRuntime>();
  std::set<std::string, std::less<>> notified;
  std::set<std::string, std::less<>> notified_pending;
  for (const auto& issuer : config.issuers) {
    if (issuer.notification_url.empty()) continue;
    notified.insert(issuer.id);
    if (issuer.notify_pending) notified_pending.insert(issuer.id);
  }
  rt->notifications =
      notify::NotificationQueue(std::move(notified), std::move(notified_pending), [r = rt.get()] {
        if (r->notifier) r->notifier->Wake();
      });
  engine::EngineOptions options;
  options.notifications = &rt->notifications;
  options.max_in_flight = config.engine.max_in_flight;
  options.bulk_max_in_flight = config.engine.bulk_max_in_flight;
  options.bulk_max_in_flight_when_interactive = config.engine.bulk_max_in_flight_when_interactive;
  options.activity = &rt->activity;
  options.retry = engine::RetryPolicy{config.engine.retry_base, config.engine.retry_max};
  options.lease = config.engine.lease;
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
  auto notifier = BuildNotifier(config, store, *rt->issuers, render, metrics);
  if (!notifier) return tl::unexpected(notifier.error());
  rt->notifier = std::move(*notifier);
  add(engine::kEnrolmentJob,
      std::make_unique<engine::EnrolDriver>(store, keys, by_network, rt->consumer_info.get()));
  add(engine::kConsumerOptOutJob, std::make_unique<engine::ConsumerOptOutDriver>(by_network));
  add(engine::kConsumerUpdateJob, std::make_unique<engine::ConsumerUpdateDriver>(
                                      store, keys, by_network, rt->consumer_info.get()));
  add(engine::kCardOptOutJob, std::make_unique<engine::CardOptOutDriver>(store, by_network));
  add(engine::kCardDeleteJob, std::make_unique<engine::CardOptOutDriver>(store, by_network));
  add(engine::kCardSuspendJob, std::make_unique<engine::CardStatusDriver>(
                                   store, by_network, networks::CardStatus::kSuspended));
  add(engine::kCardResumeJob,
      std::make_unique<engine::CardStatusDriver>(store, by_network, networks::CardStatus::kActive));
  add(engine::kCardUpdateJob, std::make_unique<engine::CardUpdateDriver>(store, keys, by_network));
  rt->profiles = std::make_unique<engine::ProfileReader>(rt->engine->executor(), by_network,
                                                         config.engine.profile_timeout);
  return rt;
}

}  // namespace c2p::app
