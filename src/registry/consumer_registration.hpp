#pragma once
// A consumer's registration (PUT …/consumers/{consumerId}, spec/api.md §4.1) as a unit of
// work, shared by the route and the batch files: PrepareConsumer does the crypto off the
// writer thread, RegisterConsumer decides and writes inside the store's transaction.
//
// Absent `state` and absent `personalInformation` keep what is stored [c2p]: re-sending an
// earlier, shorter registration never erases data or undoes a state. Replacing the personal
// information of a consumer with a Click to Pay profile starts a D1 CLICK_TO_PAY_UPDATE
// (propagation, §4.1), whose job sends what the store holds when it runs.

#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "domain/request_bodies.hpp"
#include "registry/registry_context.hpp"
#include "store/store.hpp"

namespace c2p::registry {

// Everything decided before the unit of work. Personal information is held sealed, besides
// the body's own copy (compared with the stored one inside the unit).
struct PreparedConsumer {
  std::string issuer;
  std::string consumer_id;
  domain::ConsumerPutBody body;
  std::optional<store::Blob> sealed_personal_information;
  // The D1 CLICK_TO_PAY_UPDATE, inserted only if the unit finds the information changed
  // for a consumer with a profile.
  store::OperationRecord update;
};

// Refuses personalInformation for an issuer whose personal data is fetched
// (kFieldInvalidFormat). Off the writer thread: it seals.
core::Result<PreparedConsumer> PrepareConsumer(const RegistryContext& ctx, std::string_view issuer,
                                               std::string_view consumer_id,
                                               domain::ConsumerPutBody body);

struct ConsumerRegistration {
  bool created = false;
  std::string state;
  std::optional<store::OperationRecord> update;  // the D1 CLICK_TO_PAY_UPDATE started
};

// Every refusal comes before the first write. After the commit, the caller calls
// ctx.AfterCommit(update.has_value()).
core::Result<ConsumerRegistration> RegisterConsumer(const RegistryContext& ctx, store::WriteTx& tx,
                                                    const PreparedConsumer& prepared,
                                                    std::string_view correlation_id);

}  // namespace c2p::registry
