#pragma once
// From c2p's domain data to each directory's field formats (shared/spec/networks.md §3).
// Pure functions: no I/O. Personal data goes into ordinary JSON (it is sent, never
// logged); card data (PAN, cardholder name) only into wiped memory (core::SecretBytes),
// which the connector encrypts to the network's key.
//
// A refusal is a NormaliseError naming the c2p fields (by wire name) that are missing or
// unusable, never their values. The engine maps it to CONSUMER_DATA_INCOMPLETE.

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <tl/expected.hpp>

#include "core/secret_bytes.hpp"
#include "domain/billing_address.hpp"
#include "domain/card_data.hpp"
#include "domain/consumer_info.hpp"

namespace c2p::networks {

struct NormaliseError {
  // Wire names of c2p's fields, e.g. "firstName", "billingAddress.countryCode".
  std::vector<std::string> fields;
  // "missing or unusable for <network>: firstName, email" — names only.
  std::string message;
};

template <typename T>
using Normalised = tl::expected<T, NormaliseError>;

// language "en-US" (or "en-us") -> locale "en_US"; nullopt when not of that shape.
std::optional<std::string> ToLocale(std::string_view language);
// "FR" -> "FRA" from domain's ISO 3166-1 table; nullopt for an unassigned code.
std::optional<std::string> ToAlpha3(std::string_view alpha2);
// {"33", "612345678"} -> "33612345678".
std::string ToVisaPhone(const domain::MobilePhone& phone);
// {year 2028, month 7} -> "2028-07".
std::string ToVisaExpiry(const domain::CardExpiry& exp);
// -> "07" and "2028".
std::string ToMastercardMonth(const domain::CardExpiry& exp);
std::string ToMastercardYear(const domain::CardExpiry& exp);

// Visa-like `consumerInformation` in full: externalConsumerID, firstName, middleName?,
// lastName, emails[1], phones[1], locale, countryCode (alpha-3 of the billing country).
// Needs language, firstName, lastName, email, mobilePhoneNumber, billingAddress.
Normalised<boost::json::object> VisaConsumerInformation(
    const std::string& external_consumer_id, const domain::ConsumerInfo& info,
    const std::optional<domain::BillingAddress>& billing);
// {addressLine1..3, city, state, postalCode, country (alpha-3)}.
Normalised<boost::json::object> VisaBillingAddress(const domain::BillingAddress& address);
// The plaintext of a paymentInstrument's encryptedData: {accountNumber, expirationDate,
// nameOnCard? (the card's name, at most 26 characters), billingAddress}.
Normalised<core::SecretBytes> VisaCardPlaintext(const domain::CardData& card,
                                                const domain::BillingAddress& billing);

// Mastercard-like `consumer`: firstName, lastName, emailAddress, mobileNumber
// {countryCode, phoneNumber}, locale, countryCode (alpha-2 of the billing country).
Normalised<boost::json::object> MastercardConsumer(
    const domain::ConsumerInfo& info, const std::optional<domain::BillingAddress>& billing);
// {line1..3, city, state, zip, countryCode (alpha-2)}.
Normalised<boost::json::object> MastercardBillingAddress(const domain::BillingAddress& address);
// The plaintext of encryptedCard: {primaryAccountNumber, panExpirationMonth,
// panExpirationYear, billingAddress}. The cardholder name is not sent (§3).
Normalised<core::SecretBytes> MastercardCardPlaintext(const domain::CardData& card,
                                                      const domain::BillingAddress& billing);

}  // namespace c2p::networks
