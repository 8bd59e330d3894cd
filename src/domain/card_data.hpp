#pragma once
// The card data inside the JWE of a card registration (spec/api.md §4.4): the decrypted
// plaintext {"pan", "exp", "name"?} read into CardData, with the PAN (and the cardholder
// name) kept in wiped memory from the first decoded byte on.

#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/secret_bytes.hpp"
#include "core/time_format.hpp"

namespace c2p::domain {

// A card's expiry month. The two-digit year of MMYY is read as 20YY (cards issued now
// expire within 20YY; the rule needs changing before 2100).
struct CardExpiry {
  int year = 0;   // four digits
  int month = 0;  // 1..12

  std::string ToMmYy() const;     // "1228", as in the card data
  std::string ToDisplay() const;  // "12/28", as in the card view (§4.5)

  bool operator==(const CardExpiry&) const = default;
  // Chronological order.
  bool operator<(const CardExpiry& other) const {
    return year != other.year ? year < other.year : month < other.month;
  }
};

// Exactly four digits MMYY with MM in 01..12; nullopt otherwise.
std::optional<CardExpiry> ParseExpiry(std::string_view mmyy);

// A card is valid through the last day of its expiry month (UTC): it has expired only once
// `now` is in a later month. A card expiring this month is not expired.
bool IsExpired(const CardExpiry& expiry, core::SystemTime now);

struct CardData {
  core::SecretBytes pan;  // 12..19 ASCII digits, Luhn-valid
  CardExpiry exp;
  std::optional<core::SecretBytes> name;  // cardholder name, 1..26 characters, when given

  // The last four digits, which the card view shows (PCI DSS allows them in clear).
  std::string PanLast4() const;
};

// Reads decrypted card data. Every refusal is kInvalidCardData (400 INVALID_CARD_DATA)
// with field "/encryptedData" and a message naming the rule, never the data:
//  - not a JSON object, a member that is not a string, an unknown or duplicated member, or
//    bad UTF-8: these are card data too (the JWE decrypted, so the issuer's encryption
//    worked and what it encrypted is wrong), hence kInvalidCardData and not
//    INVALID_JSON, FIELD_INVALID_FORMAT or INVALID_ENCRYPTED_DATA [c2p];
//  - pan absent, not 12..19 digits, or failing Luhn;
//  - exp absent, not MMYY with a month 01..12, or expired relative to `now` (nullopt: not
//    judged here; the token service's decision treats an expired card as RED instead);
//  - name present but breaking the cardholder name rule (field_rules.hpp).
core::Result<CardData> ParseCardData(const core::SecretBytes& plaintext,
                                     std::optional<core::SystemTime> now);

// {"pan":"…","exp":"MMYY"[,"name":"…"]} in wiped memory: the plaintext form again, e.g. to
// encrypt toward a network. ParseCardData reads it back to the same CardData.
core::SecretBytes SerializeCardData(const CardData& card);

}  // namespace c2p::domain
