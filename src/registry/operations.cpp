#include "registry/operations.hpp"

#include <chrono>

#include "core/ids.hpp"
#include "core/time_format.hpp"

namespace c2p::registry {

store::OperationRecord MakeOperation(const NewOperation& n) {
  store::OperationRecord op;
  // Time-ordered: each new operation goes to the end of the operation-id index (core/ids.hpp).
  op.operation_id = core::NewTimeOrderedId("op_");
  op.issuer_id = n.issuer;
  op.operation = domain::WireName(n.type);
  op.status = domain::WireName(n.complete ? domain::OperationStatus::kSuccessful
                                          : domain::OperationStatus::kPending);
  op.requestor_type = domain::WireName(n.requestor_type);
  // The requestor of an issuer's call is the issuer; c2p's own cascades name c2p.
  op.requestor_id = n.requestor_type == domain::RequestorType::kIssuer ? std::string(n.issuer)
                                                                       : std::string("c2p");
  op.card_ref = n.card_ref;
  op.card_id = n.card_id;
  op.consumer_id = n.consumer_id;
  op.network = n.network;
  op.reason = n.reason;
  if (n.reason_code) op.reason_code = std::string(domain::WireName(*n.reason_code));
  op.start_ms = core::UnixMillisNow();
  if (n.complete) op.end_ms = op.start_ms;
  return op;
}

}  // namespace c2p::registry
