#include "domain/request_bodies.hpp"

#include <array>
#include <string_view>

#include "domain/field_rules.hpp"
#include "domain/object_fields.hpp"

namespace c2p::domain {

namespace {

constexpr std::array<std::string_view, 2> kConsumerMembers = {"personalInformation", "state"};
constexpr std::array<std::string_view, 4> kCardMembers = {"consumerId", "cardProductId",
                                                          "encryptedData", "state"};
constexpr std::array<std::string_view, 2> kLifecycleMembers = {"reason", "reasonCode"};

constexpr std::array<std::string_view, 5> kEnrolMembers = {"name", "consumerInfo", "billingAddress",
                                                           "reason", "reasonCode"};
constexpr std::array<std::string_view, 3> kEnrolmentDataMembers = {"name", "consumerInfo",
                                                                   "billingAddress"};

constexpr std::array<std::string_view, 4> kConsumerUpdateMembers = {
    "consumerInfo", "billingAddress", "reason", "reasonCode"};
constexpr std::array<std::string_view, 4> kCardUpdateMembers = {"name", "billingAddress", "reason",
                                                                "reasonCode"};

constexpr std::string_view kRequestedStates = "ACTIVE or INACTIVE";

bool IsAnyText(std::string_view /*text*/) { return true; }
constexpr TextRule kAnyTextRule{IsAnyText, "a string"};

}  // namespace

core::Result<ConsumerPutBody> ReadConsumerPutBody(const boost::json::value& body) {
  auto fields = ObjectFields::Open(body, "", kConsumerMembers);
  if (!fields) return tl::unexpected(std::move(fields.error()));
  ConsumerPutBody out;
  fields->ReadObject("personalInformation", ReadPersonalInformation, out.personal_information);
  fields->ReadEnum("state", ParseRequestedConsumerState, kRequestedStates, out.state);
  if (auto ok = fields->Finish(); !ok) return tl::unexpected(std::move(ok.error()));
  return out;
}

core::Result<CardPutBody> ReadCardPutBody(const boost::json::value& body) {
  auto fields = ObjectFields::Open(body, "", kCardMembers);
  if (!fields) return tl::unexpected(std::move(fields.error()));
  CardPutBody out;
  fields->Read("consumerId", kConsumerIdRule, out.consumer_id);
  fields->Read("cardProductId", kCardProductIdRule, out.card_product_id);
  fields->Read("encryptedData", kAnyTextRule, out.encrypted_data);
  fields->ReadEnum("state", ParseRequestedCardState, kRequestedStates, out.state);
  if (auto ok = fields->Finish(); !ok) return tl::unexpected(std::move(ok.error()));
  return out;
}

core::Result<LifecycleBody> ReadLifecycleBody(const boost::json::value& body) {
  auto fields = ObjectFields::Open(body, "", kLifecycleMembers);
  if (!fields) return tl::unexpected(std::move(fields.error()));
  LifecycleBody out;
  std::optional<ReasonCode> code;
  fields->Read("reason", kReasonRule, out.reason);
  fields->ReadEnum("reasonCode", ParseReasonCode, "ISSUER_DECISION or USER_DECISION", code);
  if (auto ok = fields->Finish(); !ok) return tl::unexpected(std::move(ok.error()));
  if (code) out.reason_code = *code;
  return out;
}

core::Result<EnrolBody> ReadEnrolBody(const boost::json::value& body) {
  auto fields = ObjectFields::Open(body, "", kEnrolMembers);
  if (!fields) return tl::unexpected(std::move(fields.error()));
  EnrolBody out;
  std::optional<ReasonCode> code;
  fields->Read("name", kCardholderNameRule, out.data.name);
  fields->ReadObject("consumerInfo", ReadConsumerInfo, out.data.consumer_info);
  fields->ReadObject("billingAddress", ReadBillingAddress, out.data.billing_address);
  fields->Read("reason", kReasonRule, out.reason.reason);
  fields->ReadEnum("reasonCode", ParseReasonCode, "ISSUER_DECISION or USER_DECISION", code);
  if (auto ok = fields->Finish(); !ok) return tl::unexpected(std::move(ok.error()));
  if (code) out.reason.reason_code = *code;
  return out;
}

core::Result<ConsumerUpdateBody> ReadConsumerUpdateBody(const boost::json::value& body) {
  auto fields = ObjectFields::Open(body, "", kConsumerUpdateMembers);
  if (!fields) return tl::unexpected(std::move(fields.error()));
  std::optional<ConsumerInfo> info;
  std::optional<ReasonCode> code;
  ConsumerUpdateBody out;
  fields->ReadObject("consumerInfo", ReadConsumerInfo, info);
  if (!info && !fields->Find("consumerInfo")) {
    fields->Fail(FieldError(fields->PointerTo("consumerInfo"), "is required"));
  }
  fields->ReadObject("billingAddress", ReadBillingAddress, out.billing_address);
  fields->Read("reason", kReasonRule, out.reason.reason);
  fields->ReadEnum("reasonCode", ParseReasonCode, "ISSUER_DECISION or USER_DECISION", code);
  if (auto ok = fields->Finish(); !ok) return tl::unexpected(std::move(ok.error()));
  out.consumer_info = std::move(*info);
  if (code) out.reason.reason_code = *code;
  return out;
}

core::Result<EnrolmentData> ReadEnrolmentData(const boost::json::value& body) {
  auto fields = ObjectFields::Open(body, "", kEnrolmentDataMembers);
  if (!fields) return tl::unexpected(std::move(fields.error()));
  EnrolmentData out;
  fields->Read("name", kCardholderNameRule, out.name);
  fields->ReadObject("consumerInfo", ReadConsumerInfo, out.consumer_info);
  fields->ReadObject("billingAddress", ReadBillingAddress, out.billing_address);
  if (auto ok = fields->Finish(); !ok) return tl::unexpected(std::move(ok.error()));
  return out;
}

core::Result<CardUpdateBody> ReadCardUpdateBody(const boost::json::value& body) {
  auto fields = ObjectFields::Open(body, "", kCardUpdateMembers);
  if (!fields) return tl::unexpected(std::move(fields.error()));
  CardUpdateBody out;
  std::optional<ReasonCode> code;
  fields->Read("name", kCardholderNameRule, out.data.name);
  fields->ReadObject("billingAddress", ReadBillingAddress, out.data.billing_address);
  fields->Read("reason", kReasonRule, out.reason.reason);
  fields->ReadEnum("reasonCode", ParseReasonCode, "ISSUER_DECISION or USER_DECISION", code);
  // Nothing to change is a missing field: the address, the one every network takes.
  if (!out.data.name && !out.data.billing_address) {
    fields->Fail(FieldError("/billingAddress", "is required when name is absent"));
  }
  if (auto ok = fields->Finish(); !ok) return tl::unexpected(std::move(ok.error()));
  if (code) out.reason.reason_code = *code;
  return out;
}

boost::json::object ToJson(const ConsumerPutBody& body) {
  boost::json::object out;
  if (body.personal_information) {
    out["personalInformation"] = ToJson(*body.personal_information);
  }
  if (body.state) out["state"] = WireName(*body.state);
  return out;
}

boost::json::object ToJson(const CardPutBody& body) {
  boost::json::object out;
  out["consumerId"] = body.consumer_id;
  out["cardProductId"] = body.card_product_id;
  out["encryptedData"] = body.encrypted_data;
  if (body.state) out["state"] = WireName(*body.state);
  return out;
}

boost::json::object ToJson(const LifecycleBody& body) {
  boost::json::object out;
  PutOptional(out, "reason", body.reason);
  out["reasonCode"] = WireName(body.reason_code);
  return out;
}

boost::json::object ToJson(const EnrolmentData& data) {
  boost::json::object out;
  PutOptional(out, "name", data.name);
  if (data.consumer_info) out["consumerInfo"] = ToJson(*data.consumer_info);
  if (data.billing_address) out["billingAddress"] = ToJson(*data.billing_address);
  return out;
}

boost::json::object ToJson(const EnrolBody& body) {
  boost::json::object out = ToJson(body.data);
  for (const auto& [key, value] : ToJson(body.reason)) out[key] = value;
  return out;
}

boost::json::object ToJson(const ConsumerUpdateBody& body) {
  boost::json::object out{{"consumerInfo", ToJson(body.consumer_info)}};
  if (body.billing_address) out["billingAddress"] = ToJson(*body.billing_address);
  for (const auto& [key, value] : ToJson(body.reason)) out[key] = value;
  return out;
}

boost::json::object ToJson(const CardUpdateBody& body) {
  boost::json::object out = ToJson(body.data);
  for (const auto& [key, value] : ToJson(body.reason)) out[key] = value;
  return out;
}

}  // namespace c2p::domain
