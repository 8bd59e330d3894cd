#pragma once
// Field checks both directories share (spec/networks.md §1-§3): the formats c2p must
// normalise to, and a small reader over a JSON object that stops at the first missing or
// malformed member and remembers which one it was (its JSON path). Messages name the
// field and the rule, never the value: values can be card data or personal data.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace c2p::sim {

// "en_US": two lower-case letters, '_', two upper-case letters (never "en-US").
bool IsLocale(std::string_view s);
// Digits only, 4 to 15 of them (E.164 without '+').
bool IsPhoneDigits(std::string_view s);
// One '@' with something on each side, no spaces, at most 254 characters.
bool IsEmail(std::string_view s);
// "YYYY-MM" with a month 01-12.
bool IsYearMonth(std::string_view s);
// "01".."12".
bool IsMonth(std::string_view s);
// Four digits.
bool IsYear(std::string_view s);
// 12 to 19 digits passing Luhn.
bool IsPan(std::string_view s);
// c2p's identifiers toward the networks: 1-64 characters of [A-Za-z0-9._:-].
bool IsExternalId(std::string_view s);
bool AllDigits(std::string_view s);
// True when the card expiring at the end of (year, month) has expired on `today`
// ("YYYY-MM-DD" not needed: the current year and month are passed).
bool IsExpired(int year, int month, int now_year, int now_month);
// The current UTC year and month.
void CurrentYearMonth(int& year, int& month);
// ASCII upper case to lower case (emails are matched case-insensitively).
std::string AsciiLower(std::string_view s);
// Standard base64 with padding (RFC 4648 §4), as in `whsec_` secrets and Basic
// credentials; nullopt when malformed or longer than `max_chars`.
std::optional<std::vector<std::uint8_t>> DecodeBase64(std::string_view text,
                                                      std::size_t max_chars = 1024);

// Why a request was refused, in terms both directories map to their own error shape.
struct FieldProblem {
  enum class Kind { kMissing, kFormat } kind = Kind::kMissing;
  std::string field;  // JSON path, e.g. "consumerInformation.countryCode"
  std::string message;
};

class FieldReader {
 public:
  // `object` may be null (the object itself is missing): every read then fails.
  FieldReader(const boost::json::object* object, std::string path);

  // A required non-empty string of at most `max` characters.
  std::string_view Required(std::string_view key, std::size_t max = 256);
  // Optional: empty when absent; present values must be non-empty strings up to `max`.
  std::string_view Optional(std::string_view key, std::size_t max = 256);
  // A required string that must satisfy `rule`, described by `what` in the message.
  std::string_view Checked(std::string_view key, bool (*rule)(std::string_view),
                           std::string_view what, bool required = true);
  const boost::json::object* Object(std::string_view key, bool required = true);
  const boost::json::array* Array(std::string_view key, bool required = true);

  bool ok() const { return ok_; }
  const FieldProblem& problem() const { return problem_; }
  std::string Path(std::string_view key) const;
  void Fail(FieldProblem::Kind kind, std::string_view key, std::string_view message);
  // Takes over a problem found by a nested reader.
  void Adopt(const FieldReader& nested);

 private:
  const boost::json::value* Find(std::string_view key);
  const boost::json::object* object_;
  std::string path_;
  bool ok_ = true;
  FieldProblem problem_;
};

}  // namespace c2p::sim
