#pragma once
// Builds the enrolment engine from the configuration: the engine thread, the outbound HTTP
// client on its executor, one connector per configured network, and the drivers.
// Destruction stops the engine first, then releases what its jobs were using.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "app/config.hpp"
#include "core/interactive_activity.hpp"
#include "core/metrics.hpp"
#include "engine/engine.hpp"
#include "engine/enrol_driver.hpp"
#include "engine/operation_watch.hpp"
#include "engine/profile_reader.hpp"
#include "http/client.hpp"
#include "networks/network_connector.hpp"
#include "notify/consumer_info_client.hpp"
#include "notify/notification_queue.hpp"
#include "notify/notifier.hpp"
#include "store/store.hpp"
#include "vault/key_ring.hpp"

namespace c2p::app {

struct EngineRuntime {
  ~EngineRuntime();
  // The engine and the notifier. Stop ends their threads but keeps their executors alive:
  // a unit of work they queued may still complete, so close the store before destroying
  // the runtime.
  void Start();
  void Stop();

  engine::OperationWatch watch;
  // Interactive jobs lately? Read by the bulk lane and the batch processor (P8).
  core::InteractiveActivity activity;
  // Who is told about what (the API's token events and D1 operations use it too).
  notify::NotificationQueue notifications;
  std::unique_ptr<engine::Engine> engine;
  std::unique_ptr<http::Client> client;
  std::vector<std::unique_ptr<networks::NetworkConnector>> connectors;
  std::unique_ptr<notify::IssuerClients> issuers;
  std::unique_ptr<notify::ConsumerInfoClient> consumer_client;
  std::unique_ptr<engine::ConsumerInfoSource> consumer_info;
  // The configured connectors by network wire name ("VISA", "MASTERCARD").
  std::map<std::string, networks::NetworkConnector*, std::less<>> by_network;
  // Every driver, each registered with the engine under its job kind.
  std::vector<std::unique_ptr<engine::Driver>> drivers;
  // Delivers the queued notifications on its own thread; null when no issuer has a
  // notification_url.
  std::unique_ptr<notify::Notifier> notifier;
  // The profiles getter's reads (spec/api.md §5.7), on the engine's executor.
  std::unique_ptr<engine::ProfileReader> profiles;
};

// Not started: call runtime->Start() once the API is wired.
core::Result<std::unique_ptr<EngineRuntime>> BuildEngine(const Config& config, store::Store& store,
                                                         const vault::KeyRing& keys,
                                                         const notify::RenderOperation& render,
                                                         core::metrics::Registry& metrics);

}  // namespace c2p::app
