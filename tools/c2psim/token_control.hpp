#pragma once
// A sim control that makes a network's token service act on its own (spec/outbound.md §4:
// token events "coming from the network"), for tests of network-initiated events:
// `POST /sim/v1/tokens/{digitalCardId}/events {"event": "SUSPENDED"|"RESUMED"|"DELETED"}`
// changes the directory's card and posts the token event to c2p as the token service does.

#include <optional>
#include <string>
#include <string_view>

#include "http/reply.hpp"
#include "sim_context.hpp"

namespace c2p::sim {

enum class NetworkTokenEvent { kSuspended, kResumed, kDeleted };

// The body {"event": …}, read strictly (c2p's JSON reader, no other member); nullopt with
// `error` (naming the member, never echoing the input) otherwise. Pure: fuzzed by
// sim_requests_fuzz.
std::optional<NetworkTokenEvent> ReadTokenEventControl(std::string_view body, std::string& error);

// Applies the event to the card holding `digital_card_id` in either directory:
// 200 {network, digitalCardId, status} (status ACTIVE, SUSPENDED or DELETED); 404 for an
// unknown token; 409 when the card's token is not in a state the event applies to
// (SUSPENDED needs ACTIVE, RESUMED needs SUSPENDED). DELETED removes the card from the
// directory, as the network's own deletion of its token does.
http::Reply ApplyTokenEventControl(SimContext& sim, std::string_view digital_card_id,
                                   NetworkTokenEvent event);

}  // namespace c2p::sim
