// libFuzzer target for the issuer backend's answers as c2p reads them (src/notify: the
// outbound OAuth token answer and Get Consumer Information): the first input byte picks the
// reader and the HTTP status, the second the Retry-After header, the rest is the body.
//
// Findings (abort, so libFuzzer keeps the input):
//  - a crash or sanitizer report (an exception escaping counts);
//  - a success from a status other than 200, or a token that could not go into a header;
//  - a failure whose retryable flag disagrees with its status, or a consumer failure whose
//    code is not CONSUMER_INFO_UNAVAILABLE;
//  - a failure message holding a run of 5+ digits or a control character: messages name
//    statuses and fields, never values from the answer.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "notify/consumer_info_client.hpp"
#include "notify/outbound_oauth.hpp"

namespace {

namespace notify = c2p::notify;

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "issuer_answers_fuzz: FINDING: %s\n", what);
  std::abort();
}

constexpr unsigned kStatuses[] = {200, 200, 200, 200, 201, 204, 302, 400,
                                  401, 403, 404, 408, 429, 500, 503, 504};
constexpr std::string_view kRetryAfters[] = {"",      "7",  "0",   "86400",
                                             "86401", "-1", "1.5", "Wed, 21 Oct 2015 07:28:00 GMT"};

void CheckMessage(const std::string& message) {
  int digits = 0;
  for (const char c : message) {
    digits = c >= '0' && c <= '9' ? digits + 1 : 0;
    if (digits >= 5) Die("a message holds a run of digits");
    if (static_cast<unsigned char>(c) < 0x20) Die("a message holds a control character");
  }
}

bool RetryableStatus(unsigned status) { return status == 408 || status == 429 || status >= 500; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const bool token_reader = (data[0] & 0x80) != 0;
  const unsigned status = kStatuses[data[0] & 0x0f];
  const std::string_view retry_after = kRetryAfters[data[1] & 0x07];
  const std::string_view body(reinterpret_cast<const char*>(data + 2), size - 2);

  if (token_reader) {
    auto token = notify::ReadTokenAnswer(status, body);
    if (token) {
      if (status != 200) Die("a token from a status other than 200");
      if (token->access_token.empty()) Die("an empty token");
      for (const char c : token->access_token) {
        if (c < 0x21 || c > 0x7e) Die("a token that cannot go into a header");
      }
      if (token->expires_in.count() < 0) Die("a negative lifetime");
      if (notify::RefreshMargin(token->expires_in) > token->expires_in) Die("margin > lifetime");
    } else {
      const bool expect = status != 200 && RetryableStatus(status);
      if (token.error().retryable != expect) Die("token retryable flag disagrees with status");
      CheckMessage(token.error().message);
    }
    return 0;
  }

  auto consumer = notify::ReadConsumerInfoAnswer(status, body, retry_after);
  if (consumer) {
    if (status != 200) Die("consumer data from a status other than 200");
    return 0;
  }
  const notify::FetchFailure& f = consumer.error();
  if (f.failure_code != notify::kConsumerInfoUnavailable) Die("unexpected failure code");
  if (f.retryable != (status != 200 && RetryableStatus(status))) {
    Die("consumer retryable flag disagrees with status");
  }
  if (f.retry_after && !f.retryable) Die("retry_after on a final failure");
  if (f.retry_after && (f.retry_after->count() < 0 || f.retry_after->count() > 86'400)) {
    Die("retry_after out of range");
  }
  CheckMessage(f.message);
  return 0;
}
