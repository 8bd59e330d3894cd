#pragma once
// The identifiers c2p gives a consumer and a card in the networks' directories
// (spec/networks.md: externalConsumerId, externalCardId). They are derived, not stored:
// the same (issuer, consumer) or card incarnation always gives the same id, in every
// process and after any crash, so a repeated call is recognised as the same one. They
// are opaque (a hash), so no issuer identifier travels to the networks.
//
// A cardId registered again after its deletion is a new incarnation (its own creation
// time) and so a new externalCardId: the old one's history at the network is not reused.

#include <cstdint>
#include <string>
#include <string_view>

namespace c2p::engine {

std::string ExternalConsumerId(std::string_view issuer, std::string_view consumer_id);
std::string ExternalCardId(std::string_view issuer, std::string_view card_id,
                           std::int64_t card_created_ms);

}  // namespace c2p::engine
