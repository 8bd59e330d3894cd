#include "domain/billing_address.hpp"

#include <array>
#include <string_view>

#include "domain/country_codes.hpp"
#include "domain/field_rules.hpp"
#include "domain/object_fields.hpp"

namespace c2p::domain {

namespace {

constexpr std::array<std::string_view, 7> kMembers = {
    "addressLine1", "addressLine2", "addressLine3", "city", "state", "postalCode", "countryCode"};

}  // namespace

core::Result<BillingAddress> ReadBillingAddress(const boost::json::value& value,
                                                std::string pointer) {
  auto fields = ObjectFields::Open(value, std::move(pointer), kMembers);
  if (!fields) return tl::unexpected(std::move(fields.error()));
  BillingAddress address;
  fields->Read("addressLine1", kAddressTextRule, address.address_line1);
  fields->Read("addressLine2", kAddressTextRule, address.address_line2);
  fields->Read("addressLine3", kAddressTextRule, address.address_line3);
  fields->Read("city", kAddressTextRule, address.city);
  fields->Read("state", kAddressTextRule, address.state);
  fields->Read("postalCode", kPostalCodeRule, address.postal_code);
  fields->Read("countryCode", kCountryCodeRule, address.country_code);
  if (auto ok = fields->Finish(); !ok) return tl::unexpected(std::move(ok.error()));
  return address;
}

boost::json::object ToJson(const BillingAddress& address) {
  boost::json::object out;
  out["addressLine1"] = address.address_line1;
  PutOptional(out, "addressLine2", address.address_line2);
  PutOptional(out, "addressLine3", address.address_line3);
  out["city"] = address.city;
  PutOptional(out, "state", address.state);
  out["postalCode"] = address.postal_code;
  out["countryCode"] = address.country_code;
  return out;
}

}  // namespace c2p::domain
