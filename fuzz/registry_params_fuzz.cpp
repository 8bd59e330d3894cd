// libFuzzer target for the registry's request inputs parsed outside JSON bodies: the path
// ids (api::CheckPathId), the Idempotency-Key header rule (api::IsIdempotencyKey) and the
// request fingerprint (api::RequestFingerprint).
//
// Findings (abort, so libFuzzer keeps the input):
//  - a crash or sanitizer report;
//  - CheckPathId disagreeing with the §1 pattern (checked here by a plain loop), a refusal
//    other than kFieldInvalidFormat on "/consumerId" / "/cardId", or a message that
//    depends on the input (so it can never quote it);
//  - IsIdempotencyKey accepting a key outside 1..255 printable ASCII or refusing one inside;
//  - a fingerprint that is not 64 lowercase hex digits, or that changes with nothing else.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/idempotency.hpp"
#include "api/registry_params.hpp"

namespace {

namespace api = c2p::api;

bool MatchesIdPattern(std::string_view s, std::size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (const char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

void CheckId(api::PathId kind, std::string_view input, std::size_t max) {
  auto r = api::CheckPathId(kind, input);
  if (r.has_value() != MatchesIdPattern(input, max)) std::abort();
  if (r) return;
  if (r.error().code != c2p::core::ErrorCode::kFieldInvalidFormat) std::abort();
  if (r.error().field != "/" + std::string(api::PathIdName(kind))) std::abort();
  // The message never depends on the input: it is the one the empty id gets.
  if (r.error().message != api::CheckPathId(kind, "").error().message) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckId(api::PathId::kConsumerId, input, 64);
  CheckId(api::PathId::kCardId, input, 48);

  bool printable = !input.empty() && input.size() <= 255;
  for (const char c : input) printable = printable && c >= 0x20 && c <= 0x7e;
  if (api::IsIdempotencyKey(input) != printable) std::abort();

  const auto cut = input.find('\n');
  const std::string_view path = input.substr(0, cut);
  const std::string_view body = cut == std::string_view::npos ? "" : input.substr(cut + 1);
  const std::string a = api::RequestFingerprint("PUT", path, body);
  if (a.size() != 64) std::abort();
  for (const char c : a) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) std::abort();
  }
  if (api::RequestFingerprint("PUT", path, body) != a) std::abort();
  return 0;
}
