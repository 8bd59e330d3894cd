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
#include "registry/operations.hpp"
#include "store/registry_records.hpp"

namespace c2p::api {

// §4.5. `clickToPay` is shown with its status, and its digitalCardId while the network's
// token service reports one (spec/outbound.md §4) with [c2p] digitalCardStatus ACTIVE or
// SUSPENDED (the token's state, from SUSPENDED / RESUMED events); updatedAt arrives with
// enrolment.
boost::json::object CardView(const store::CardRecord& card, const domain::CardExpiry& exp);

// §5.8, absent members left out; times as ISO 8601 with milliseconds.
boost::json::object OperationJson(const store::OperationRecord& op);

// Operations are made by the registry's units of work (registry/operations.hpp).
using registry::MakeOperation;
using registry::NewOperation;

// §5.1: 200 {operationId, status} for a completed operation, or 202 with a Location header
// pointing at the operation getter for a pending one.
http::Reply OperationResult(const store::OperationRecord& op);

}  // namespace c2p::api
