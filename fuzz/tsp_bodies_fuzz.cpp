// libFuzzer target for the bodies a network's token service posts to c2p
// (spec/outbound.md §4): strict JSON, then api::ReadTokenRequestBody and
// api::ReadTokenEventBody on the same value.
//
// Findings (abort, so libFuzzer keeps the input):
//  - a crash or sanitizer report;
//  - a refusal other than kFieldInvalidFormat, a field that is not a JSON pointer ("" or
//    starting with "/") naming a member the body has, or a message quoting the input;
//  - an accepted body breaking its rules: an id outside 1..128 of [A-Za-z0-9._:-], a
//    tokenType other than CLICK_TO_PAY, an event whose wire name does not read back.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "api/tsp_bodies.hpp"
#include "core/strict_json.hpp"
#include "fuzz/finding_rules.hpp"

namespace {

namespace api = c2p::api;
namespace core = c2p::core;

constexpr std::array<std::string_view, 7> kFields = {
    "",         "/requestId",    "/tokenRequestorId", "/tokenType", "/encryptedCard",
    "/eventId", "/digitalCardId"};

constexpr std::string_view kMessageAlphabet =
    " ,.'_#;:/-+()0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr c2p::fuzz::FindingRules kRules{"tsp_bodies_fuzz", kMessageAlphabet, 8};

void CheckRefusal(const core::Error& error, std::string_view input) {
  if (error.code != core::ErrorCode::kFieldInvalidFormat) kRules.Die("refusal with another code");
  if (!error.field.empty() && error.field.front() != '/') kRules.Die("field is not a JSON pointer");
  // Known members are named as themselves; an unknown one by a short plain pointer.
  bool known = error.field == "/event";
  for (const auto f : kFields) known = known || error.field == f;
  if (!known && error.field.size() > 65) kRules.Die("an unknown member named by a long pointer");
  if (kRules.Quotes(error.message, input)) kRules.Die("a message quotes the input");
}

void CheckId(std::string_view id) {
  if (!api::IsTokenServiceId(id)) kRules.Die("an accepted id breaks the id rule");
  if (id.empty() || id.size() > 128) kRules.Die("an accepted id has a bad length");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto value = core::ParseStrictJson(input);
  if (!value) return 0;  // strict_json_fuzz covers the reader itself

  if (auto request = api::ReadTokenRequestBody(*value); !request) {
    CheckRefusal(request.error(), input);
  } else {
    CheckId(request->request_id);
    CheckId(request->token_requestor_id);
    if (request->token_type != "CLICK_TO_PAY")
      kRules.Die("an accepted tokenType is not CLICK_TO_PAY");
  }

  if (auto event = api::ReadTokenEventBody(*value); !event) {
    CheckRefusal(event.error(), input);
  } else {
    CheckId(event->event_id);
    CheckId(event->digital_card_id);
    CheckId(event->token_requestor_id);
    const auto again = api::ParseTokenEvent(api::WireName(event->event));
    if (!again || *again != event->event) kRules.Die("an event's wire name does not read back");
  }
  return 0;
}
