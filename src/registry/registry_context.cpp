#include "registry/registry_context.hpp"

namespace c2p::registry {

const IssuerRegistryPolicy& RegistryContext::Policy(std::string_view issuer) const {
  static const IssuerRegistryPolicy kDefault{};
  auto it = issuers.find(issuer);
  return it == issuers.end() ? kDefault : it->second;
}

void RegistryContext::AfterCommit(bool started_operation) const {
  if (!started_operation) return;
  wake_engine();
  notifications->Wake();
}

store::JobRecord RegistryContext::JobFor(const store::OperationRecord& op, std::string_view kind,
                                         std::string_view correlation_id) const {
  store::JobRecord job;
  job.operation_id = op.operation_id;
  job.kind = std::string(kind);
  job.issuer_id = op.issuer_id;
  job.consumer_id = op.consumer_id.value_or("");
  job.card_id = op.card_id;
  job.card_ref = op.card_ref;
  job.run_at_ms = op.start_ms;
  job.created_ms = op.start_ms;
  job.deadline_ms = op.start_ms + operation_deadline.count();
  job.correlation_id = std::string(correlation_id);
  return job;
}

core::Result<void> RegistryContext::InsertStartedByC2p(store::WriteTx& tx,
                                                       const store::OperationRecord& op,
                                                       std::string_view correlation_id) const {
  if (auto r = tx.InsertOperation(op); !r) return r;
  if (op.status != "PENDING") return {};
  if (op.card_ref) {
    return notifications->CardOperation(tx, op.issuer_id, *op.card_ref, op.operation_id,
                                        correlation_id, op.start_ms, /*pending=*/true);
  }
  return notifications->ConsumerOperation(tx, op.issuer_id, op.consumer_id.value_or(""),
                                          op.operation_id, correlation_id, op.start_ms,
                                          /*pending=*/true);
}

}  // namespace c2p::registry
