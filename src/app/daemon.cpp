#include "app/daemon.hpp"

#include <signal.h>

#include <atomic>

#include "api/batch_routes.hpp"
#include "api/bearer_auth.hpp"
#include "api/click_to_pay_routes.hpp"
#include "api/idempotency.hpp"
#include "api/registry_routes.hpp"
#include "api/registry_views.hpp"
#include "api/service_routes.hpp"
#include "api/token_routes.hpp"
#include "api/tsp_routes.hpp"
#include "app/auth_setup.hpp"
#include "app/batch_setup.hpp"
#include "app/engine_setup.hpp"
#include "app/registry_setup.hpp"
#include "app/signals.hpp"
#include "app/tsp_setup.hpp"
#include "c2p/build_version.hpp"
#include "core/metrics.hpp"
#include "http/server.hpp"
#include "log/log.hpp"
#include "store/store.hpp"

namespace c2p::app {

namespace {

// Ready once everything has started and the store answers with its schema up to date.
boost::asio::awaitable<core::Result<void>> Readiness(store::Store& db,
                                                     const std::atomic<bool>& started) {
  if (!started.load()) {
    co_return tl::unexpected(core::Error::Make(core::ErrorCode::kUnavailable, "starting"));
  }
  co_return co_await db.Ping();
}

}  // namespace

int RunDaemon(const Config& config, const DaemonHooks& hooks) {
  log::Init(config.log);
  core::metrics::Registry metrics;

  auto auth = BuildAuthContext(config);
  if (!auth) {
    log::Error("c2pd.auth_config_failed", {{"error", auth.error().message}});
    return 1;
  }

  store::StoreOptions store_options;
  store_options.write_connections = config.store.write_connections;
  store_options.refresh_statistics = std::chrono::seconds(5);
  // Once per change, not per refused write: what an operator needs to see a disk full or
  // a PostgreSQL restart begin and end (the refused requests answer 503 meanwhile).
  store_options.on_writer_state = [](bool failing, std::string_view reason) {
    if (failing) {
      log::Error("store.writes_failing", {{"error", reason}});
    } else {
      log::Info("store.writes_recovered");
    }
  };
  auto store = store::OpenStore(config.store.url, store_options, metrics);
  if (!store) {
    log::Error("c2pd.store_open_failed", {{"error", store.error().message}});
    return 1;
  }

  http::Router router;
  store::Store& db = **store;
  if (store::SharedByNodes(config.store.url)) (*auth)->shared_replay = &db;
  // Ready only once everything has started: the listener opens before the engine and the
  // batch processor (whose start creates the spool directories), and a client that saw
  // /readyz answer 200 may drop a file in an inbox at once.
  std::atomic<bool> started{false};
  api::AddServiceRoutes(
      router, [&db, &started] { return Readiness(db, started); }, metrics);

  api::AddTokenRoutes(router, **auth, metrics);

  auto registry = BuildRegistryContext(config, db);
  if (!registry) {
    log::Error("c2pd.registry_config_failed", {{"error", registry.error().message}});
    (*store)->Close();
    return 1;
  }
  api::AddRegistryRoutes(router, **registry);
  auto tsp = BuildTspContext(config, **registry);
  if (!tsp) {
    log::Error("c2pd.tsp_config_failed", {{"error", tsp.error().message}});
    (*store)->Close();
    return 1;
  }
  api::AddTspRoutes(router, **tsp);

  auto engine = BuildEngine(config, db, (*registry)->keys, &api::OperationJson, metrics);
  if (!engine) {
    log::Error("c2pd.engine_config_failed", {{"error", engine.error().message}});
    (*store)->Close();
    return 1;
  }
  // Operations other nodes end wake this node's wait= getters (PostgreSQL; a no-op on
  // SQLite). Every return below closes the store, which stops the calls, before the
  // runtime and its watch are destroyed.
  db.WatchOperationEnds([w = &(*engine)->watch](const std::string& key) {
    if (key.empty()) {
      w->NotifyAll();  // some ends may have been missed
    } else {
      w->Notify(key);
    }
  });
  (*registry)->wake_engine = [e = (*engine)->engine.get()] { e->Wake(); };
  (*registry)->watch = &(*engine)->watch;
  (*registry)->operation_deadline = config.engine.operation_deadline;
  (*registry)->notifications = &(*engine)->notifications;
  (*registry)->profiles = (*engine)->profiles.get();
  api::AddClickToPayRoutes(router, **registry);

  auto batches =
      BuildBatchProcessor(config, **registry, (*auth)->assertions, metrics, &(*engine)->activity);
  api::AddBatchRoutes(router, db, *batches,
                      {.upload_dir = config.batch.upload_dir,
                       .max_file_bytes = static_cast<std::size_t>(config.batch.max_file_bytes)});

  // Idempotency runs after authentication: keys are scoped by the caller's issuer.
  api::InFlightKeys in_flight;
  http::Server server(config.server, router, metrics,
                      {api::BearerAuthLayer(**auth), api::IdempotencyLayer(db, in_flight)});
  if (auto ok = server.Start(); !ok) {
    log::Error("c2pd.listen_failed", {{"error", ok.error().message}});
    (*store)->Close();
    return 1;
  }
  (*engine)->Start();
  if (auto ok = StartBatchProcessor(config, *batches); !ok) {
    log::Error("c2pd.batch_start_failed", {{"error", ok.error().message}});
    server.Stop();
    (*engine)->Stop();
    (*store)->Close();
    return 1;
  }
  started = true;
  log::Info("c2pd.ready", {{"port", static_cast<unsigned>(server.port())},
                           {"schema_version", db.SchemaVersion()},
                           {"version", std::string(build::kVersionLine)}});
  if (hooks.on_ready) hooks.on_ready(server.port());

  for (;;) {
    const auto sig = WaitForSignal();
    if (sig && *sig == SIGCHLD) {
      if (!hooks.on_child_exit || hooks.on_child_exit()) continue;
      log::Error("c2pd.child_exited");
      break;
    }
    log::Info("c2pd.stopping", {{"signal", sig.value_or(0)}});
    break;
  }
  server.Stop();
  batches->Stop();    // between two chunks: the rest resumes at the next start
  (*engine)->Stop();  // running attempts end and write their outcome first
  // The writer completes what is queued (posting to executors that are stopped, not gone)
  // before the engine's and the notifier's io_contexts are destroyed.
  (*store)->Close();
  engine->reset();
  log::Info("c2pd.stopped");
  return 0;
}

}  // namespace c2p::app
