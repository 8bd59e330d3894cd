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

}  // namespace c2p::domain
