#pragma once
// The bodies a network's token service posts to c2p (spec/outbound.md §4), read from an
// already strictly parsed JSON value into DTOs with the API's rules: no unknown members,
// each member of its type and pattern; refusals are kFieldInvalidFormat naming the member
// ("/eventId"). encryptedCard is only checked for being a string here: jose::DecryptJwe
// owns its form (INVALID_ENCRYPTED_DATA).

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "core/error.hpp"

namespace c2p::api {

// POST /tsp/v1/networks/{network}/tokenRequests.
struct TokenRequestBody {
  std::string request_id;
  std::string token_requestor_id;
  std::string token_type;  // CLICK_TO_PAY: the only tokens c2p decides on
  std::string encrypted_card;
};

enum class TokenEvent { kActivated, kSuspended, kResumed, kDeleted };
std::string_view WireName(TokenEvent event);  // "ACTIVATED", …
std::optional<TokenEvent> ParseTokenEvent(std::string_view name);

// POST /tsp/v1/networks/{network}/tokenEvents.
struct TokenEventBody {
  std::string event_id;
  std::string digital_card_id;
  std::string token_requestor_id;
  std::string encrypted_card;
  TokenEvent event = TokenEvent::kActivated;
};

// The networks' identifiers (requestId, eventId, digitalCardId, tokenRequestorId):
// 1..128 of [A-Za-z0-9._:-] [c2p]. Long enough for the networks' token references, and
// safe to log and to store.
bool IsTokenServiceId(std::string_view text);

core::Result<TokenRequestBody> ReadTokenRequestBody(const boost::json::value& body);
core::Result<TokenEventBody> ReadTokenEventBody(const boost::json::value& body);

}  // namespace c2p::api
