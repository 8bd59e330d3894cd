#pragma once
// The field rules of spec/api.md §1 as predicates, and as TextRules that turn a refusal
// into the API's error: kFieldInvalidFormat with the field's JSON pointer and a message
// that says what the field must be, never what it was (values may be personal data).
//
// Lengths count characters (Unicode code points); every predicate is false for text that
// is not valid UTF-8. Decisions where §1 is brief, each marked [c2p] in the rule:
//  - "letters" in names means ASCII letters: the Arabic block is listed on its own, so
//    the rule is read as D1's pattern [A-Za-z0-9\u0600-\u06FF ,.'_#;:/-];
//  - free text without a pattern (address lines, city, state, postal code) takes any
//    character except controls (U+0000-U+001F, U+007F-U+009F);
//  - an email's domain needs a dot that is neither its first nor its last character.

#include <string_view>

#include "core/error.hpp"

namespace c2p::domain {

bool IsPersonName(std::string_view text);      // firstName, middleName, lastName: 1..128
bool IsTitle(std::string_view text);           // 1..40 of the name characters
bool IsCardholderName(std::string_view text);  // 1..26 of the name characters
bool IsLanguage(std::string_view text);        // ^[a-z]{2}-[a-zA-Z]{2}$
bool IsCalendarDate(std::string_view text);    // YYYY-MM-DD naming a day that exists
bool IsEmail(std::string_view text);
bool IsPhoneCountryCode(std::string_view text);  // ^[0-9]{1,3}$
bool IsPhoneNumber(std::string_view text);       // ^[0-9]{4,14}$
// E.164: country code and number together hold at most 15 digits.
bool FitsE164(std::string_view country_code, std::string_view phone_number);
bool IsAddressText(std::string_view text);        // addressLine1..3, city, state: 1..64
bool IsPostalCode(std::string_view text);         // 1..16
bool IsReason(std::string_view text);             // ^[a-zA-Z0-9 ]{1,64}$
bool IsConsumerIdText(std::string_view text);     // ^[A-Za-z0-9_-]{1,64}$
bool IsCardProductIdText(std::string_view text);  // ^[A-Za-z0-9_-]{1,48}$
// IsCountryCode (ISO 3166-1 alpha-2) is in country_codes.hpp.

// One string field's rule. `requirement` completes "<field> must be ...".
struct TextRule {
  bool (*accepts)(std::string_view text);
  std::string_view requirement;
};

// clang-format off
inline constexpr TextRule kPersonNameRule{IsPersonName,
    "1 to 128 characters among letters, digits, Arabic, space and ,.'_#;:/-"};
inline constexpr TextRule kTitleRule{IsTitle,
    "1 to 40 characters among letters, digits, Arabic, space and ,.'_#;:/-"};
inline constexpr TextRule kCardholderNameRule{IsCardholderName,
    "1 to 26 characters among letters, digits, Arabic, space and ,.'_#;:/-"};
inline constexpr TextRule kLanguageRule{IsLanguage, "a language tag like en-US"};
inline constexpr TextRule kDateRule{IsCalendarDate, "a date YYYY-MM-DD that exists"};
inline constexpr TextRule kEmailRule{IsEmail,
    "an email address of 3 to 254 characters with one @ and a domain with a dot, "
    "without spaces or control characters"};
inline constexpr TextRule kPhoneCountryCodeRule{IsPhoneCountryCode, "1 to 3 digits"};
inline constexpr TextRule kPhoneNumberRule{IsPhoneNumber, "4 to 14 digits"};
inline constexpr TextRule kAddressTextRule{IsAddressText,
    "1 to 64 characters without control characters"};
inline constexpr TextRule kPostalCodeRule{IsPostalCode,
    "1 to 16 characters without control characters"};
inline constexpr TextRule kReasonRule{IsReason, "1 to 64 letters, digits or spaces"};
inline constexpr TextRule kConsumerIdRule{IsConsumerIdText,
    "1 to 64 characters among A-Z, a-z, 0-9, _ and -"};
inline constexpr TextRule kCardProductIdRule{IsCardProductIdText,
    "1 to 48 characters among A-Z, a-z, 0-9, _ and -"};
// clang-format on

// kFieldInvalidFormat at `pointer`, message "<last pointer token> <what>", e.g.
// FieldError("/personalInformation/email", "is required") -> "email is required".
core::Error FieldError(std::string_view pointer, std::string_view what);

// Ok when the rule accepts `value`; otherwise FieldError(pointer, "must be " + requirement).
core::Result<void> CheckText(const TextRule& rule, std::string_view value,
                             std::string_view pointer);

}  // namespace c2p::domain
