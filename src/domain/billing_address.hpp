#pragma once
// billingAddress of spec/api.md §1 [c2p shape]: read from a request body, written back.

#include <optional>
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/error.hpp"

namespace c2p::domain {

struct BillingAddress {
  std::string address_line1;
  std::optional<std::string> address_line2;
  std::optional<std::string> address_line3;
  std::string city;
  std::optional<std::string> state;
  std::string postal_code;
  std::string country_code;  // ISO 3166-1 alpha-2

  bool operator==(const BillingAddress&) const = default;
};

// Required: addressLine1, city, postalCode, countryCode. Errors name the member under
// `pointer` (e.g. "/personalInformation/billingAddress/city").
core::Result<BillingAddress> ReadBillingAddress(const boost::json::value& value,
                                                std::string pointer);

// The wire form, absent optionals left out; ReadBillingAddress reads it back unchanged.
boost::json::object ToJson(const BillingAddress& address);

}  // namespace c2p::domain
