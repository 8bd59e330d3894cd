#pragma once
// consumerInfo of spec/api.md §1 [c2p shape], and the consumer's personalInformation of
// §4.1 (consumerInfo plus an optional billingAddress). Every member is optional here;
// Click to Pay needs some of them at enrolment time (MissingForClickToPay).
//
// These hold personal data in ordinary strings: they never reach a log line, an error
// message or a metric, and are sealed (src/vault) before they are stored.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/error.hpp"
#include "domain/billing_address.hpp"

namespace c2p::domain {

struct MobilePhone {
  std::string country_code;  // 1..3 digits
  std::string phone_number;  // 4..14 digits; with the country code at most 15 (E.164)

  bool operator==(const MobilePhone&) const = default;
};

struct ConsumerInfo {
  std::optional<std::string> language;
  std::optional<std::string> title;
  std::optional<std::string> first_name;
  std::optional<std::string> middle_name;
  std::optional<std::string> last_name;
  std::optional<std::string> date_of_birth;  // YYYY-MM-DD
  std::optional<std::string> email;
  std::optional<MobilePhone> mobile_phone_number;

  bool operator==(const ConsumerInfo&) const = default;
};

struct PersonalInformation {
  ConsumerInfo consumer;
  std::optional<BillingAddress> billing_address;

  bool operator==(const PersonalInformation&) const = default;
};

// Readers: errors name the member under `pointer`. The E.164 total is a rule of the
// phone object as a whole, so it names the object ("…/mobilePhoneNumber").
core::Result<MobilePhone> ReadMobilePhone(const boost::json::value& value, std::string pointer);
core::Result<ConsumerInfo> ReadConsumerInfo(const boost::json::value& value, std::string pointer);
// consumerInfo's members and "billingAddress" side by side in one object.
core::Result<PersonalInformation> ReadPersonalInformation(const boost::json::value& value,
                                                          std::string pointer);

// Wire forms, absent members left out; each reader reads its writer's output back unchanged.
boost::json::object ToJson(const MobilePhone& phone);
boost::json::object ToJson(const ConsumerInfo& info);
boost::json::object ToJson(const PersonalInformation& info);

// The members Click to Pay requires (spec/api.md §1) that are absent, by wire name, in the
// order language, firstName, lastName, email, mobilePhoneNumber, billingAddress. For the
// CONSUMER_DATA_INCOMPLETE message, which names fields, never values.
std::vector<std::string_view> MissingForClickToPay(const ConsumerInfo& info,
                                                   const std::optional<BillingAddress>& billing);

}  // namespace c2p::domain
