#pragma once
// From the directories' profile fields back to c2p's shapes (the reverse of normalise.hpp,
// shared/spec/networks.md §3), for the Click to Pay profiles getter (spec/api.md §5.7).
// Pure functions over what a directory answered: lenient, because a profile is shown as
// the network holds it. A member that is absent, not a string, or cannot be converted is
// left out; nothing here fails. Personal data is only copied, never logged.

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "domain/consumer_info.hpp"

namespace c2p::networks {

// locale "en_US" -> language "en-US"; nullopt when not of that shape.
std::optional<std::string> FromLocale(std::string_view locale);
// A Visa-like phone, one digit string with the country calling code ("33612345678"), split
// into {countryCode, phoneNumber} by the E.164 code's length (codes are prefix-free: "1"
// and "7" are one digit, a fixed set two, all others three). nullopt unless 5..15 digits.
std::optional<domain::MobilePhone> SplitE164(std::string_view digits);
// Visa-like "2028-07" -> "07/28"; Mastercard-like "07" + "2028" -> "07/28". Empty when
// unreadable.
std::string DisplayExpiryFromVisa(std::string_view year_month);
std::string DisplayExpiryFromMastercard(std::string_view month, std::string_view year);

// consumerInformation {firstName, middleName?, lastName, emails[], phones[], locale} ->
// {firstName, middleName?, lastName, email, mobilePhoneNumber, language}.
boost::json::object ConsumerFromVisa(const boost::json::object& info);
// consumer {firstName, lastName, emailAddress, mobileNumber {countryCode, phoneNumber},
// locale} -> the same c2p shape.
boost::json::object ConsumerFromMastercard(const boost::json::object& consumer);
// {addressLine1..3, city, state, postalCode, country (alpha-3)} -> c2p's billingAddress.
boost::json::object BillingFromVisa(const boost::json::object& address);
// {line1..3, city, state, zip, countryCode (alpha-2)} -> c2p's billingAddress.
boost::json::object BillingFromMastercard(const boost::json::object& address);

}  // namespace c2p::networks
