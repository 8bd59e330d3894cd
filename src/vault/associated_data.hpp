#pragma once
// The associated data that binds a sealed field to its row, so a value copied into
// another row (another issuer, card, consumer or field) does not open there.
//
// Encoding: a kind byte ('C' for card fields, 'P' for a consumer's personal information,
// 'O' for an operation's data)
// and then issuer id, row id and field name, each preceded by its length as two bytes
// big-endian. Length prefixes make the encoding injective: ("ab", "c") and ("a", "bc")
// differ. Never change it for existing data: every sealed row would stop opening.

#include <string>
#include <string_view>

namespace c2p::vault {

// Field names used with the builders below (spec/api.md §4.4 card data, §4.1 personal
// information). Any short name works; these keep the store and rotation in agreement.
inline constexpr std::string_view kPanField = "pan";
inline constexpr std::string_view kExpField = "exp";
inline constexpr std::string_view kNameField = "name";
inline constexpr std::string_view kPersonalInformationField = "personalInformation";
inline constexpr std::string_view kEnrolmentDataField = "enrolmentData";

// Binds to (issuerId, cardId, field). Ids longer than 65535 bytes are a bug
// (std::length_error); the API's ids have at most 64.
std::string CardAssociatedData(std::string_view issuer_id, std::string_view card_id,
                               std::string_view field);
// Binds to (issuerId, operationId, field): data sealed for one operation's job.
std::string OperationAssociatedData(std::string_view issuer_id, std::string_view operation_id,
                                    std::string_view field);
// Binds to (issuerId, consumerId, field).
std::string ConsumerAssociatedData(std::string_view issuer_id, std::string_view consumer_id,
                                   std::string_view field);

}  // namespace c2p::vault
