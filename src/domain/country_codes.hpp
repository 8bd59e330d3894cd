#pragma once
// ISO 3166-1 country codes: billingAddress.countryCode is alpha-2 (spec/api.md §1), and the
// Visa-like directory wants alpha-3 (spec/networks.md), so the table carries both.
// Codes are upper case only: "fr" is not a country code.

#include <cstddef>
#include <optional>
#include <string_view>

#include "domain/field_rules.hpp"

namespace c2p::domain {

bool IsCountryCode(std::string_view alpha2);
// The alpha-3 code of an assigned alpha-2 code ("FR" -> "FRA"); nullopt otherwise.
std::optional<std::string_view> CountryAlpha3(std::string_view alpha2);
// True for an assigned alpha-3 code ("FRA"), as the Visa-like directory requires.
bool IsCountryAlpha3(std::string_view alpha3);
// The alpha-2 code of an assigned alpha-3 code ("FRA" -> "FR"), for what a Visa-like
// directory gives back; nullopt otherwise.
std::optional<std::string_view> CountryAlpha2(std::string_view alpha3);

inline constexpr TextRule kCountryCodeRule{IsCountryCode, "an ISO 3166-1 alpha-2 country code"};

// The number of codes in the table (249 in iso-codes 4.15), for tests.
std::size_t CountryCount();

}  // namespace c2p::domain
