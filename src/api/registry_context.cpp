#include "api/registry_context.hpp"

namespace c2p::api {

const IssuerRegistryPolicy& RegistryContext::Policy(std::string_view issuer) const {
  static const IssuerRegistryPolicy kDefault{};
  auto it = issuers.find(issuer);
  return it == issuers.end() ? kDefault : it->second;
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

}  // namespace c2p::api
