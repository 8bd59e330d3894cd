#include "networks/normalise.hpp"

#include <cstddef>
#include <cstring>
#include <string_view>
#include <utility>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "domain/country_codes.hpp"
#include "domain/field_rules.hpp"

namespace c2p::networks {
namespace json = boost::json;
namespace {

std::string TwoDigits(int n) {
  std::string out(2, '0');
  out[0] = static_cast<char>('0' + (n / 10) % 10);
  out[1] = static_cast<char>('0' + n % 10);
  return out;
}

NormaliseError MakeError(std::string_view network, std::vector<std::string> fields) {
  std::string message = "missing or unusable for ";
  message += network;
  message += ':';
  for (std::size_t i = 0; i < fields.size(); ++i) {
    message += i == 0 ? " " : ", ";
    message += fields[i];
  }
  return NormaliseError{std::move(fields), std::move(message)};
}

bool Present(const std::optional<std::string>& s) { return s && !s->empty(); }

// The consumer fields both directories require, by wire name, in the order a refusal lists
// them. `locale` is the language already converted (nullopt when absent or unusable). The
// billing address's country is left to the caller: each directory wants its own format.
std::vector<std::string> MissingConsumerFields(
    const domain::ConsumerInfo& info, const std::optional<std::string>& locale,
    const std::optional<domain::BillingAddress>& billing) {
  std::vector<std::string> missing;
  if (!locale) missing.emplace_back("language");
  if (!Present(info.first_name)) missing.emplace_back("firstName");
  if (!Present(info.last_name)) missing.emplace_back("lastName");
  if (!Present(info.email)) missing.emplace_back("email");
  if (!info.mobile_phone_number) missing.emplace_back("mobilePhoneNumber");
  if (!billing) missing.emplace_back("billingAddress");
  return missing;
}

// {"k1":"v1",...,<the members of rest>}: secret values (digits, or a cardholder name whose
// rule admits no '"', '\\' or control character) copied as they are into one buffer sized
// once, so no unwiped copy of them is left behind. `rest` is a serialised, non-empty object.
core::SecretBytes Splice(
    std::initializer_list<std::pair<std::string_view, std::string_view>> secrets,
    std::string_view rest) {
  std::size_t size = 1 + (rest.size() - 1);
  for (const auto& [key, value] : secrets) size += key.size() + value.size() + 6;
  core::SecretBytes out(size);
  std::size_t at = 0;
  auto put = [&](std::string_view s) {
    if (!s.empty()) std::memcpy(out.data() + at, s.data(), s.size());
    at += s.size();
  };
  put("{");
  for (const auto& [key, value] : secrets) {
    put("\"");
    put(key);
    put("\":\"");
    put(value);
    put("\",");
  }
  put(rest.substr(1));
  return out;
}

}  // namespace

std::optional<std::string> ToLocale(std::string_view language) {
  if (!domain::IsLanguage(language)) return std::nullopt;
  std::string out(language);
  out[2] = '_';
  for (std::size_t i = 3; i < out.size(); ++i) {
    if (out[i] >= 'a' && out[i] <= 'z') out[i] = static_cast<char>(out[i] - 'a' + 'A');
  }
  return out;
}

std::optional<std::string> ToAlpha3(std::string_view alpha2) {
  const auto alpha3 = domain::CountryAlpha3(alpha2);
  if (!alpha3) return std::nullopt;
  return std::string(*alpha3);
}

std::string ToVisaPhone(const domain::MobilePhone& phone) {
  return phone.country_code + phone.phone_number;
}

std::string ToVisaExpiry(const domain::CardExpiry& exp) {
  return std::to_string(exp.year) + "-" + TwoDigits(exp.month);
}

std::string ToMastercardMonth(const domain::CardExpiry& exp) { return TwoDigits(exp.month); }
std::string ToMastercardYear(const domain::CardExpiry& exp) { return std::to_string(exp.year); }

Normalised<json::object> VisaBillingAddress(const domain::BillingAddress& address) {
  const auto country = ToAlpha3(address.country_code);
  if (!country) return tl::unexpected(MakeError("visa", {"billingAddress.countryCode"}));
  json::object out{{"addressLine1", address.address_line1}};
  if (address.address_line2) out["addressLine2"] = *address.address_line2;
  if (address.address_line3) out["addressLine3"] = *address.address_line3;
  out["city"] = address.city;
  if (address.state) out["state"] = *address.state;
  out["postalCode"] = address.postal_code;
  out["country"] = *country;
  return out;
}

Normalised<json::object> VisaConsumerInformation(
    const std::string& external_consumer_id, const domain::ConsumerInfo& info,
    const std::optional<domain::BillingAddress>& billing) {
  const auto locale = info.language ? ToLocale(*info.language) : std::nullopt;
  std::vector<std::string> bad = MissingConsumerFields(info, locale, billing);
  const auto country = billing ? ToAlpha3(billing->country_code) : std::nullopt;
  if (billing && !country) bad.emplace_back("billingAddress.countryCode");
  if (!bad.empty()) return tl::unexpected(MakeError("visa", std::move(bad)));
  json::object out{{"externalConsumerID", external_consumer_id}, {"firstName", *info.first_name}};
  if (Present(info.middle_name)) out["middleName"] = *info.middle_name;
  out["lastName"] = *info.last_name;
  out["emails"] = json::array{json::value(*info.email)};
  out["phones"] = json::array{json::value(ToVisaPhone(*info.mobile_phone_number))};
  out["locale"] = *locale;
  out["countryCode"] = *country;
  return out;
}

Normalised<core::SecretBytes> VisaCardPlaintext(const domain::CardData& card,
                                                const domain::BillingAddress& billing) {
  auto address = VisaBillingAddress(billing);
  if (!address) return tl::unexpected(std::move(address.error()));
  const std::string rest = json::serialize(json::object{{"expirationDate", ToVisaExpiry(card.exp)},
                                                        {"billingAddress", std::move(*address)}});
  if (card.name && !card.name->empty()) {
    return Splice({{"accountNumber", card.pan.as_text()}, {"nameOnCard", card.name->as_text()}},
                  rest);
  }
  return Splice({{"accountNumber", card.pan.as_text()}}, rest);
}

Normalised<json::object> MastercardBillingAddress(const domain::BillingAddress& address) {
  if (!domain::IsCountryCode(address.country_code)) {
    return tl::unexpected(MakeError("mastercard", {"billingAddress.countryCode"}));
  }
  json::object out{{"line1", address.address_line1}};
  if (address.address_line2) out["line2"] = *address.address_line2;
  if (address.address_line3) out["line3"] = *address.address_line3;
  out["city"] = address.city;
  if (address.state) out["state"] = *address.state;
  out["zip"] = address.postal_code;
  out["countryCode"] = address.country_code;
  return out;
}

Normalised<json::object> MastercardConsumer(const domain::ConsumerInfo& info,
                                            const std::optional<domain::BillingAddress>& billing) {
  const auto locale = info.language ? ToLocale(*info.language) : std::nullopt;
  std::vector<std::string> bad = MissingConsumerFields(info, locale, billing);
  if (billing && !domain::IsCountryCode(billing->country_code)) {
    bad.emplace_back("billingAddress.countryCode");
  }
  if (!bad.empty()) return tl::unexpected(MakeError("mastercard", std::move(bad)));
  return json::object{
      {"firstName", *info.first_name},
      {"lastName", *info.last_name},
      {"emailAddress", *info.email},
      {"mobileNumber", json::object{{"countryCode", info.mobile_phone_number->country_code},
                                    {"phoneNumber", info.mobile_phone_number->phone_number}}},
      {"locale", *locale},
      {"countryCode", billing->country_code}};
}

Normalised<core::SecretBytes> MastercardCardPlaintext(const domain::CardData& card,
                                                      const domain::BillingAddress& billing) {
  auto address = MastercardBillingAddress(billing);
  if (!address) return tl::unexpected(std::move(address.error()));
  const std::string rest =
      json::serialize(json::object{{"panExpirationMonth", ToMastercardMonth(card.exp)},
                                   {"panExpirationYear", ToMastercardYear(card.exp)},
                                   {"billingAddress", std::move(*address)}});
  return Splice({{"primaryAccountNumber", card.pan.as_text()}}, rest);
}

}  // namespace c2p::networks
