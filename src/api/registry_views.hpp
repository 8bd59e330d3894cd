#pragma once
// The registry's wire views: the card view of spec/api.md §4.5, the operation object of
// §5.8 and the operation result of §5.1, built from store records.

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "domain/card_data.hpp"
#include "domain/states.hpp"
#include "http/reply.hpp"
#include "store/registry_records.hpp"

namespace c2p::api {

// §4.5. `clickToPay` is shown with its status, and its digitalCardId while the network's
// token service reports one (spec/outbound.md §4) with [c2p] digitalCardStatus ACTIVE or
// SUSPENDED (the token's state, from SUSPENDED / RESUMED events); updatedAt arrives with
// enrolment.
boost::json::object CardView(const store::CardRecord& card, const domain::CardExpiry& exp);

// §5.8, absent members left out; times as ISO 8601 with milliseconds.
boost::json::object OperationJson(const store::OperationRecord& op);

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

std::int64_t NowMillis();

// §5.1: 200 {operationId, status} for a completed operation, or 202 with a Location header
// pointing at the operation getter for a pending one.
http::Reply OperationResult(const store::OperationRecord& op);

}  // namespace c2p::api
