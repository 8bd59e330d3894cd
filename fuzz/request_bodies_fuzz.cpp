// libFuzzer target for the request-body readers of src/domain: strict JSON, then each of
// ReadConsumerPutBody, ReadCardPutBody, ReadLifecycleBody, ReadEnrolBody,
// ReadEnrolmentData, ReadConsumerUpdateBody, ReadCardUpdateBody, ReadConsumerInfo and
// ReadBillingAddress on the same value.
//
// Findings (abort, so libFuzzer keeps the input):
//  - a crash or sanitizer report;
//  - a refusal other than kFieldInvalidFormat, a field that is not a JSON pointer ("" or
//    starting with "/") of reasonable length, or a message quoting the input;
//  - an accepted body that does not survive ToJson + serialise + strict parse + read
//    (the DTO read back must be equal): what c2p stores or answers is what it validated.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <boost/json/serialize.hpp>

#include "core/strict_json.hpp"
#include "domain/billing_address.hpp"
#include "domain/consumer_info.hpp"
#include "domain/request_bodies.hpp"
#include "fuzz/finding_rules.hpp"

namespace {

namespace domain = c2p::domain;
namespace core = c2p::core;
namespace json = boost::json;

constexpr std::size_t kMaxFieldPointer = 200;  // the deepest pointer is ~60 characters

constexpr std::string_view kMessageAlphabet =
    " ,.'_#;:/-+()0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr c2p::fuzz::FindingRules kRules{"request_bodies_fuzz", kMessageAlphabet, 8};

void CheckRefusal(const core::Error& error, std::string_view input) {
  if (error.code != core::ErrorCode::kFieldInvalidFormat) kRules.Die("refusal with another code");
  if (!error.field.empty() && error.field.front() != '/') kRules.Die("field is not a JSON pointer");
  if (error.field.size() > kMaxFieldPointer) kRules.Die("field pointer is unreasonably long");
  if (kRules.Quotes(error.message, input)) kRules.Die("a message quotes the input");
}

// Reads `value` with `read`; on success the DTO must survive a trip through the wire.
template <typename Read>
void Check(const json::value& value, std::string_view input, Read read) {
  auto dto = read(value);
  if (!dto) {
    CheckRefusal(dto.error(), input);
    return;
  }
  const std::string text = json::serialize(ToJson(*dto));
  auto reparsed = core::ParseStrictJson(text);
  if (!reparsed) kRules.Die("a serialised DTO is not strict JSON");
  auto again = read(*reparsed);
  if (!again) kRules.Die("a serialised DTO does not validate again");
  if (!(*again == *dto)) kRules.Die("a serialised DTO reads back different");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto value = core::ParseStrictJson(input);
  if (!value) return 0;  // strict_json_fuzz covers the reader itself
  Check(*value, input, domain::ReadConsumerPutBody);
  Check(*value, input, domain::ReadCardPutBody);
  Check(*value, input, domain::ReadLifecycleBody);
  Check(*value, input, domain::ReadEnrolBody);
  Check(*value, input, domain::ReadEnrolmentData);
  Check(*value, input, domain::ReadConsumerUpdateBody);
  Check(*value, input, domain::ReadCardUpdateBody);
  Check(*value, input, [](const json::value& v) { return domain::ReadConsumerInfo(v, ""); });
  Check(*value, input, [](const json::value& v) { return domain::ReadBillingAddress(v, ""); });
  Check(*value, input,
        [](const json::value& v) { return domain::ReadPersonalInformation(v, "/p"); });
  return 0;
}
