#include "domain/consumer_info.hpp"

#include <algorithm>
#include <array>

#include "domain/field_rules.hpp"
#include "domain/object_fields.hpp"

namespace c2p::domain {

namespace {

constexpr std::array<std::string_view, 2> kPhoneMembers = {"countryCode", "phoneNumber"};

constexpr std::array<std::string_view, 8> kConsumerInfoMembers = {
    "language", "title",       "firstName", "middleName",
    "lastName", "dateOfBirth", "email",     "mobilePhoneNumber"};

// personalInformation (§4.1) is consumerInfo with a billingAddress beside its members.
constexpr auto kPersonalInformationMembers = [] {
  std::array<std::string_view, kConsumerInfoMembers.size() + 1> all{};
  std::copy(kConsumerInfoMembers.begin(), kConsumerInfoMembers.end(), all.begin());
  all.back() = "billingAddress";
  return all;
}();

void ReadConsumerMembers(ObjectFields& fields, ConsumerInfo& info) {
  fields.Read("language", kLanguageRule, info.language);
  fields.Read("title", kTitleRule, info.title);
  fields.Read("firstName", kPersonNameRule, info.first_name);
  fields.Read("middleName", kPersonNameRule, info.middle_name);
  fields.Read("lastName", kPersonNameRule, info.last_name);
  fields.Read("dateOfBirth", kDateRule, info.date_of_birth);
  fields.Read("email", kEmailRule, info.email);
  fields.ReadObject("mobilePhoneNumber", ReadMobilePhone, info.mobile_phone_number);
}

void PutConsumerMembers(boost::json::object& out, const ConsumerInfo& info) {
  PutOptional(out, "language", info.language);
  PutOptional(out, "title", info.title);
  PutOptional(out, "firstName", info.first_name);
  PutOptional(out, "middleName", info.middle_name);
  PutOptional(out, "lastName", info.last_name);
  PutOptional(out, "dateOfBirth", info.date_of_birth);
  PutOptional(out, "email", info.email);
  if (info.mobile_phone_number) out["mobilePhoneNumber"] = ToJson(*info.mobile_phone_number);
}

}  // namespace

core::Result<MobilePhone> ReadMobilePhone(const boost::json::value& value, std::string pointer) {
  auto fields = ObjectFields::Open(value, std::move(pointer), kPhoneMembers);
  if (!fields) return tl::unexpected(std::move(fields.error()));
  MobilePhone phone;
  fields->Read("countryCode", kPhoneCountryCodeRule, phone.country_code);
  fields->Read("phoneNumber", kPhoneNumberRule, phone.phone_number);
  if (auto ok = fields->Finish(); !ok) return tl::unexpected(std::move(ok.error()));
  if (!FitsE164(phone.country_code, phone.phone_number)) {
    return tl::unexpected(FieldError(fields->pointer(), "must hold at most 15 digits in all"));
  }
  return phone;
}

core::Result<ConsumerInfo> ReadConsumerInfo(const boost::json::value& value, std::string pointer) {
  auto fields = ObjectFields::Open(value, std::move(pointer), kConsumerInfoMembers);
  if (!fields) return tl::unexpected(std::move(fields.error()));
  ConsumerInfo info;
  ReadConsumerMembers(*fields, info);
  if (auto ok = fields->Finish(); !ok) return tl::unexpected(std::move(ok.error()));
  return info;
}

core::Result<PersonalInformation> ReadPersonalInformation(const boost::json::value& value,
                                                          std::string pointer) {
  auto fields = ObjectFields::Open(value, std::move(pointer), kPersonalInformationMembers);
  if (!fields) return tl::unexpected(std::move(fields.error()));
  PersonalInformation info;
  ReadConsumerMembers(*fields, info.consumer);
  fields->ReadObject("billingAddress", ReadBillingAddress, info.billing_address);
  if (auto ok = fields->Finish(); !ok) return tl::unexpected(std::move(ok.error()));
  return info;
}

boost::json::object ToJson(const MobilePhone& phone) {
  return {{"countryCode", phone.country_code}, {"phoneNumber", phone.phone_number}};
}

boost::json::object ToJson(const ConsumerInfo& info) {
  boost::json::object out;
  PutConsumerMembers(out, info);
  return out;
}

boost::json::object ToJson(const PersonalInformation& info) {
  boost::json::object out;
  PutConsumerMembers(out, info.consumer);
  if (info.billing_address) out["billingAddress"] = ToJson(*info.billing_address);
  return out;
}

std::vector<std::string_view> MissingForClickToPay(const ConsumerInfo& info,
                                                   const std::optional<BillingAddress>& billing) {
  std::vector<std::string_view> missing;
  if (!info.language) missing.emplace_back("language");
  if (!info.first_name) missing.emplace_back("firstName");
  if (!info.last_name) missing.emplace_back("lastName");
  if (!info.email) missing.emplace_back("email");
  if (!info.mobile_phone_number) missing.emplace_back("mobilePhoneNumber");
  if (!billing) missing.emplace_back("billingAddress");
  return missing;
}

}  // namespace c2p::domain
