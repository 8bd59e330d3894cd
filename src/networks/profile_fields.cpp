#include "networks/profile_fields.hpp"

#include <algorithm>
#include <array>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "domain/country_codes.hpp"

namespace c2p::networks {
namespace json = boost::json;
namespace {

std::optional<std::string_view> Str(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string_view(v->get_string());
}

// Copies `from` of `in` as `to` of `out` when it is a non-empty string.
void Copy(const json::object& in, std::string_view from, json::object& out, std::string_view to) {
  if (const auto s = Str(in, from); s && !s->empty()) out[to] = *s;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The first string of an array member ("emails", "phones").
std::optional<std::string_view> FirstOf(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr || !v->is_array() || v->get_array().empty()) return std::nullopt;
  const json::value& first = v->get_array()[0];
  if (!first.is_string()) return std::nullopt;
  return std::string_view(first.get_string());
}

// ITU-T E.164 country calling codes of two digits; every other code starting with 2..9 has
// three, and "1" (NANP) and "7" have one.
constexpr std::array<std::string_view, 44> kTwoDigitCodes{
    "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46",
    "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
    "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98"};

std::size_t CallingCodeLength(std::string_view digits) {
  if (digits[0] == '1' || digits[0] == '7') return 1;
  const std::string_view two = digits.substr(0, 2);
  return std::find(kTwoDigitCodes.begin(), kTwoDigitCodes.end(), two) != kTwoDigitCodes.end() ? 2
                                                                                              : 3;
}

}  // namespace

std::optional<std::string> FromLocale(std::string_view locale) {
  const auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
  const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (locale.size() != 5 || !lower(locale[0]) || !lower(locale[1]) || locale[2] != '_' ||
      !letter(locale[3]) || !letter(locale[4])) {
    return std::nullopt;
  }
  std::string out(locale);
  out[2] = '-';
  return out;
}

std::optional<domain::MobilePhone> SplitE164(std::string_view digits) {
  if (digits.size() < 5 || digits.size() > 15 || !AllDigits(digits) || digits[0] == '0') {
    return std::nullopt;
  }
  const std::size_t n = CallingCodeLength(digits);
  if (digits.size() - n < 4) return std::nullopt;
  return domain::MobilePhone{std::string(digits.substr(0, n)), std::string(digits.substr(n))};
}

std::string DisplayExpiryFromVisa(std::string_view year_month) {
  if (year_month.size() != 7 || year_month[4] != '-') return {};
  return DisplayExpiryFromMastercard(year_month.substr(5, 2), year_month.substr(0, 4));
}

std::string DisplayExpiryFromMastercard(std::string_view month, std::string_view year) {
  if (month.size() != 2 || year.size() != 4 || !AllDigits(month) || !AllDigits(year)) return {};
  if (month < "01" || month > "12") return {};
  return std::string(month) + "/" + std::string(year.substr(2));
}

json::object ConsumerFromVisa(const json::object& info) {
  json::object out;
  Copy(info, "firstName", out, "firstName");
  Copy(info, "middleName", out, "middleName");
  Copy(info, "lastName", out, "lastName");
  if (const auto email = FirstOf(info, "emails"); email && !email->empty()) out["email"] = *email;
  if (const auto phone = FirstOf(info, "phones")) {
    if (auto split = SplitE164(*phone)) out["mobilePhoneNumber"] = domain::ToJson(*split);
  }
  if (const auto locale = Str(info, "locale")) {
    if (auto language = FromLocale(*locale)) out["language"] = *language;
  }
  return out;
}

json::object ConsumerFromMastercard(const json::object& consumer) {
  json::object out;
  Copy(consumer, "firstName", out, "firstName");
  Copy(consumer, "lastName", out, "lastName");
  Copy(consumer, "emailAddress", out, "email");
  if (const json::value* m = consumer.if_contains("mobileNumber"); m != nullptr && m->is_object()) {
    const auto cc = Str(m->get_object(), "countryCode");
    const auto number = Str(m->get_object(), "phoneNumber");
    if (cc && number && AllDigits(*cc) && AllDigits(*number)) {
      out["mobilePhoneNumber"] =
          domain::ToJson(domain::MobilePhone{std::string(*cc), std::string(*number)});
    }
  }
  if (const auto locale = Str(consumer, "locale")) {
    if (auto language = FromLocale(*locale)) out["language"] = *language;
  }
  return out;
}

json::object BillingFromVisa(const json::object& address) {
  json::object out;
  for (const char* line :
       {"addressLine1", "addressLine2", "addressLine3", "city", "state", "postalCode"}) {
    Copy(address, line, out, line);
  }
  if (const auto country = Str(address, "country")) {
    if (const auto alpha2 = domain::CountryAlpha2(*country)) out["countryCode"] = *alpha2;
  }
  return out;
}

json::object BillingFromMastercard(const json::object& address) {
  json::object out;
  Copy(address, "line1", out, "addressLine1");
  Copy(address, "line2", out, "addressLine2");
  Copy(address, "line3", out, "addressLine3");
  Copy(address, "city", out, "city");
  Copy(address, "state", out, "state");
  Copy(address, "zip", out, "postalCode");
  if (const auto country = Str(address, "countryCode");
      country && domain::IsCountryCode(*country)) {
    out["countryCode"] = *country;
  }
  return out;
}

}  // namespace c2p::networks
