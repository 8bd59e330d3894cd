// libFuzzer target for the directories' answers as c2p reads them (src/networks/answers.hpp):
// the first input byte picks the reader and the HTTP status, the second the Retry-After
// header, the rest is the body.
//
// Findings (abort, so libFuzzer keeps the input):
//  - a crash or sanitizer report (an exception escaping counts);
//  - a failure whose retryable flag or §5.8 code disagrees with its reason, or whose code
//    is not one of the §5.8 codes;
//  - a failure message holding a run of 5+ digits or a quote: messages name fields and
//    codes, never values from the answer;
//  - a success from a status the reader does not accept as success;
//  - a profile whose converted fields (exp, countries, language, phone) break c2p's formats.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "networks/answers.hpp"

namespace {

namespace networks = c2p::networks;

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "network_answers_fuzz: FINDING: %s\n", what);
  std::abort();
}

constexpr unsigned kStatuses[] = {200, 202, 204, 400, 401, 404, 409, 422, 429, 500, 503, 302};

void CheckFailure(const networks::Failure& f) {
  if (f.retryable != networks::IsRetryable(f.reason)) Die("retryable flag disagrees");
  if (f.failure_code != networks::FailureCodeOf(f.reason)) Die("failure code disagrees");
  static constexpr std::string_view kCodes[] = {"CONSUMER_DATA_INCOMPLETE", "CARD_NOT_ELIGIBLE",
                                                "TOKENIZATION_DECLINED",    "NETWORK_REJECTED",
                                                "NETWORK_UNAVAILABLE",      "CARD_EXPIRED"};
  bool known = false;
  for (auto code : kCodes) known = known || code == f.failure_code;
  if (!known) Die("not a §5.8 code");
  int digits = 0;
  for (const char c : f.message) {
    digits = (c >= '0' && c <= '9') ? digits + 1 : 0;
    if (digits >= 5) Die("message holds a run of digits");
    if (c == '"') Die("message holds a quote");
  }
}

template <typename R>
void Check(const R& r, bool ok_allowed) {
  if (r) {
    if (!ok_allowed) Die("success from a non-success status");
  } else {
    CheckFailure(r.error());
  }
}

// The profile readers convert what the directory holds back to c2p's shapes
// (profile_fields.hpp): whatever they keep must have c2p's format.
void CheckProfile(const networks::Result<networks::Profile>& r) {
  if (!r) return;
  for (const auto& card : r->cards) {
    const std::string& e = card.exp;
    if (!e.empty() &&
        (e.size() != 5 || e[2] != '/' || e.substr(0, 2) < "01" || e.substr(0, 2) > "12")) {
      Die("card exp not MM/YY");
    }
    if (const auto* c = card.billing_address.if_contains("countryCode");
        c != nullptr && (!c->is_string() || c->get_string().size() != 2)) {
      Die("billing countryCode not alpha-2");
    }
  }
  if (const auto* l = r->consumer_info.if_contains("language");
      l != nullptr &&
      (!l->is_string() || l->get_string().size() != 5 || l->get_string()[2] != '-')) {
    Die("language not like en-US");
  }
  if (const auto* m = r->consumer_info.if_contains("mobilePhoneNumber"); m != nullptr) {
    if (!m->is_object() || !m->get_object().contains("countryCode") ||
        !m->get_object().contains("phoneNumber")) {
      Die("mobilePhoneNumber without its members");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const unsigned pick = data[0];
  const unsigned status = kStatuses[(pick >> 3) % std::size(kStatuses)];
  const std::string retry_after = std::to_string(static_cast<int>(data[1]) - 16);
  const std::string_view body(reinterpret_cast<const char*>(data + 2), size - 2);
  const networks::Answer answer{status, body, data[1] % 4 == 0 ? std::string_view() : retry_after};
  switch (pick % 8) {
    case 0:
      Check(networks::ReadVisaWriteAnswer(answer), status == 202);
      break;
    case 1:
      Check(networks::ReadVisaStatusAnswer(answer, "card-1"), status == 200);
      break;
    case 2:
      Check(networks::ReadVisaStatusAnswer(answer, ""), status == 200);
      break;
    case 3:
      Check(networks::ReadVisaProfile(answer), status == 200);
      CheckProfile(networks::ReadVisaProfile(answer));
      break;
    case 4:
      Check(networks::ReadMastercardEnrolAnswer(answer), status == 200);
      break;
    case 5:
      Check(networks::ReadMastercardWriteAnswer(answer), status == 200 || status == 204);
      break;
    case 6:
      Check(networks::ReadMastercardProfile(answer), status == 200);
      CheckProfile(networks::ReadMastercardProfile(answer));
      break;
    default:
      CheckFailure(networks::ReadVisaError(answer));
      CheckFailure(networks::ReadMastercardError(answer));
      break;
  }
  return 0;
}
