#pragma once
// What the registry's units of work need (the /banking/v2 routes, the batch files), built
// once by the composition root (app/registry_setup) from the configuration and shared
// read-only by every request.

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/time_format.hpp"
#include "domain/card_product.hpp"
#include "engine/operation_watch.hpp"
#include "engine/profile_reader.hpp"
#include "jose/jwe.hpp"
#include "notify/notification_queue.hpp"
#include "store/store.hpp"
#include "vault/key_ring.hpp"

namespace c2p::registry {

// Per-issuer settings the registry applies.
struct IssuerRegistryPolicy {
  // personal_data = "stored": personal information is kept, sealed; "fetch": refused.
  bool store_personal_data = true;
  // auto_enrolment = true: every card registration starts a D1 enrolment (card_enrolment.hpp).
  bool auto_enrolment = false;
};

struct RegistryContext {
  RegistryContext(store::Store& s, vault::KeyRing ring) : store(s), keys(std::move(ring)) {}

  store::Store& store;
  vault::KeyRing keys;          // sealing at rest, PAN index
  jose::JweDecryptionKeys jwe;  // card data in transit
  std::vector<domain::CardProduct> products;
  std::map<std::string, IssuerRegistryPolicy, std::less<>> issuers;
  // The clock card expiry is judged by; tests may pin it.
  std::function<core::SystemTime()> now = [] { return std::chrono::system_clock::now(); };

  // The engine: told when a job was written, and whom getters wait on (wait=).
  std::function<void()> wake_engine = [] {};
  engine::OperationWatch* watch = nullptr;
  // Queues notifications in the unit that ends (or, D1, creates) an operation.
  const notify::NotificationQueue* notifications = &kNobodyNotified;
  static inline const notify::NotificationQueue kNobodyNotified{};

  // How long an operation may take before it fails with NETWORK_UNAVAILABLE.
  std::chrono::milliseconds operation_deadline{std::chrono::hours(24)};
  // Reads Click to Pay profiles from the networks (§5.7); null when the engine is not wired.
  engine::ProfileReader* profiles = nullptr;

  // The policy of a configured issuer (the bearer middleware already refused others).
  const IssuerRegistryPolicy& Policy(std::string_view issuer) const;

  // After a unit of work committed: wakes the engine when it started an operation (a job
  // was written) and the notifier (a D1 start may have queued a notification).
  void AfterCommit(bool started_operation) const;

  // The job of `kind` that drives the PENDING operation `op` to its end, due now, with the
  // operation's deadline. Its card and consumer are copied from `op`: a route that learns
  // them inside its unit of work sets them there.
  store::JobRecord JobFor(const store::OperationRecord& op, std::string_view kind,
                          std::string_view correlation_id) const;

  // Records an operation c2p starts itself (requestorType D1: cascades, propagation,
  // auto-enrolment) and, for an issuer with notify_pending, queues the notification of its
  // start in the same unit (shared/spec/outbound.md §3). Call Wake on `notifications`
  // after the commit.
  core::Result<void> InsertStartedByC2p(store::WriteTx& tx, const store::OperationRecord& op,
                                        std::string_view correlation_id) const;
};

}  // namespace c2p::registry
