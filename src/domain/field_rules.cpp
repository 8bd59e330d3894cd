#include "domain/field_rules.hpp"

#include <chrono>
#include <cstddef>
#include <string>

#include "core/ids.hpp"
#include "domain/utf8.hpp"

namespace c2p::domain {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsAsciiLetter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool AllDigits(std::string_view text, std::size_t min, std::size_t max) {
  if (text.size() < min || text.size() > max) return false;
  for (char c : text) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

bool IsControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

bool IsNameCharacter(char32_t c) {
  if (IsAsciiLetter(c) || (c >= '0' && c <= '9') || c == ' ') return true;
  if (c >= 0x0600 && c <= 0x06FF) return true;  // the Arabic block
  for (char allowed : std::string_view(",.'_#;:/-")) {
    if (c == static_cast<char32_t>(allowed)) return true;
  }
  return false;
}

// 1..max code points, each accepted by `allowed`, and valid UTF-8 throughout.
template <typename Allowed>
bool EveryCodePoint(std::string_view text, std::size_t max, Allowed allowed) {
  // A code point takes at least one byte: longer text cannot fit, and stopping early keeps
  // a hostile megabyte string from being decoded to no purpose.
  if (text.empty() || text.size() > 4 * max) return false;
  std::size_t count = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    const auto cp = DecodeUtf8(text, pos);
    if (!cp || !allowed(*cp) || ++count > max) return false;
  }
  return true;
}

bool IsNameText(std::string_view text, std::size_t max) {
  return EveryCodePoint(text, max, IsNameCharacter);
}

bool IsFreeText(std::string_view text, std::size_t max) {
  return EveryCodePoint(text, max, [](char32_t c) { return !IsControl(c); });
}

std::string_view LastToken(std::string_view pointer) {
  const auto slash = pointer.rfind('/');
  return slash == std::string_view::npos ? pointer : pointer.substr(slash + 1);
}

}  // namespace

bool IsPersonName(std::string_view text) { return IsNameText(text, 128); }
bool IsTitle(std::string_view text) { return IsNameText(text, 40); }
bool IsCardholderName(std::string_view text) { return IsNameText(text, 26); }

bool IsLanguage(std::string_view text) {
  return text.size() == 5 && IsLower(text[0]) && IsLower(text[1]) && text[2] == '-' &&
         IsAsciiLetter(static_cast<unsigned char>(text[3])) &&
         IsAsciiLetter(static_cast<unsigned char>(text[4]));
}

bool IsCalendarDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  constexpr std::size_t kDigitPositions[] = {0, 1, 2, 3, 5, 6, 8, 9};
  for (std::size_t i : kDigitPositions) {
    if (!IsDigit(text[i])) return false;
  }
  const auto number = [&](std::size_t at, std::size_t len) {
    unsigned value = 0;
    for (std::size_t i = at; i < at + len; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  // year_month_day::ok() knows month lengths and leap years (1900 no, 2000 yes).
  const std::chrono::year_month_day date{std::chrono::year(static_cast<int>(number(0, 4))),
                                         std::chrono::month(number(5, 2)),
                                         std::chrono::day(number(8, 2))};
  return date.ok();
}

bool IsEmail(std::string_view text) {
  if (!EveryCodePoint(text, 254, [](char32_t c) { return !IsControl(c) && c != ' '; })) {
    return false;
  }
  const auto at = text.find('@');
  if (at == std::string_view::npos || at == 0 || text.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  // The domain needs a dot with a label on each side ("b.c"), so the shortest address
  // passing is "a@b.c" and the 3-character minimum of §1 always holds.
  const std::string_view domain = text.substr(at + 1);
  return domain.find('.', 1) != std::string_view::npos && domain.back() != '.';
}

bool IsPhoneCountryCode(std::string_view text) { return AllDigits(text, 1, 3); }
bool IsPhoneNumber(std::string_view text) { return AllDigits(text, 4, 14); }

bool FitsE164(std::string_view country_code, std::string_view phone_number) {
  return country_code.size() + phone_number.size() <= 15;
}

bool IsAddressText(std::string_view text) { return IsFreeText(text, 64); }
bool IsPostalCode(std::string_view text) { return IsFreeText(text, 16); }

bool IsReason(std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  for (char c : text) {
    if (!IsAsciiLetter(static_cast<unsigned char>(c)) && !IsDigit(c) && c != ' ') return false;
  }
  return true;
}

bool IsConsumerIdText(std::string_view text) { return core::IsConsumerId(text); }
bool IsCardProductIdText(std::string_view text) { return core::IsIdToken(text, 1, 48); }

core::Error FieldError(std::string_view pointer, std::string_view what) {
  std::string message(LastToken(pointer));
  message += ' ';
  message += what;
  return core::Error::Make(core::ErrorCode::kFieldInvalidFormat, std::move(message),
                           std::string(pointer));
}

core::Result<void> CheckText(const TextRule& rule, std::string_view value,
                             std::string_view pointer) {
  if (rule.accepts(value)) return {};
  std::string what = "must be ";
  what += rule.requirement;
  return tl::unexpected(FieldError(pointer, what));
}

}  // namespace c2p::domain
