#include "api/tsp_bodies.hpp"

#include <array>

#include "domain/object_fields.hpp"

namespace c2p::api {

namespace {

constexpr std::array<std::string_view, 4> kRequestMembers = {"requestId", "tokenRequestorId",
                                                             "tokenType", "encryptedCard"};
constexpr std::array<std::string_view, 5> kEventMembers = {
    "eventId", "digitalCardId", "tokenRequestorId", "encryptedCard", "event"};
constexpr std::array<std::string_view, 4> kEvents = {"ACTIVATED", "SUSPENDED", "RESUMED",
                                                     "DELETED"};

bool IsAnyText(std::string_view /*text*/) { return true; }
bool IsClickToPay(std::string_view text) { return text == "CLICK_TO_PAY"; }

constexpr domain::TextRule kIdRule{IsTokenServiceId,
                                   "1 to 128 characters among A-Z, a-z, 0-9, ., _, : and -"};
constexpr domain::TextRule kTokenTypeRule{IsClickToPay, "CLICK_TO_PAY"};
constexpr domain::TextRule kJweRule{IsAnyText, "a string"};

}  // namespace

std::string_view WireName(TokenEvent event) { return kEvents[static_cast<std::size_t>(event)]; }

std::optional<TokenEvent> ParseTokenEvent(std::string_view name) {
  for (std::size_t i = 0; i < kEvents.size(); ++i) {
    if (kEvents[i] == name) return static_cast<TokenEvent>(i);
  }
  return std::nullopt;
}

bool IsTokenServiceId(std::string_view text) {
  if (text.empty() || text.size() > 128) return false;
  for (const char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

core::Result<TokenRequestBody> ReadTokenRequestBody(const boost::json::value& body) {
  auto fields = domain::ObjectFields::Open(body, "", kRequestMembers);
  if (!fields) return tl::unexpected(std::move(fields.error()));
  TokenRequestBody out;
  fields->Read("requestId", kIdRule, out.request_id);
  fields->Read("tokenRequestorId", kIdRule, out.token_requestor_id);
  fields->Read("tokenType", kTokenTypeRule, out.token_type);
  fields->Read("encryptedCard", kJweRule, out.encrypted_card);
  if (auto ok = fields->Finish(); !ok) return tl::unexpected(std::move(ok.error()));
  return out;
}

core::Result<TokenEventBody> ReadTokenEventBody(const boost::json::value& body) {
  auto fields = domain::ObjectFields::Open(body, "", kEventMembers);
  if (!fields) return tl::unexpected(std::move(fields.error()));
  TokenEventBody out;
  std::optional<TokenEvent> event;
  fields->Read("eventId", kIdRule, out.event_id);
  fields->Read("digitalCardId", kIdRule, out.digital_card_id);
  fields->Read("tokenRequestorId", kIdRule, out.token_requestor_id);
  fields->Read("encryptedCard", kJweRule, out.encrypted_card);
  fields->ReadEnum("event", ParseTokenEvent, "ACTIVATED, SUSPENDED, RESUMED or DELETED", event);
  if (!event) fields->Fail(domain::FieldError("/event", "is required"));
  if (auto ok = fields->Finish(); !ok) return tl::unexpected(std::move(ok.error()));
  out.event = *event;
  return out;
}

}  // namespace c2p::api
