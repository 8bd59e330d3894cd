#pragma once
// Operation records (spec/api.md §5.8) as the registry's units of work start them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/time_format.hpp"
#include "domain/states.hpp"
#include "store/registry_records.hpp"

namespace c2p::registry {

// A new operation, started now by `requestor` (ISSUER for an API call, D1 for a cascade).
struct NewOperation {
  domain::OperationType type = domain::OperationType::kRegister;
  domain::RequestorType requestor_type = domain::RequestorType::kIssuer;
  std::string_view issuer = {};
  std::optional<std::string> card_id = {};
  std::optional<std::int64_t> card_ref = {};
  std::optional<std::string> consumer_id = {};
  std::optional<std::string> network = {};
  std::optional<std::string> reason = {};
  std::optional<domain::ReasonCode> reason_code = {};
  // Complete at once (SUCCESSFUL, with an end time) or PENDING on the network.
  bool complete = true;
};
store::OperationRecord MakeOperation(const NewOperation& op);

}  // namespace c2p::registry
