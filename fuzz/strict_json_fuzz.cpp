// libFuzzer target for core::ParseStrictJson, the one JSON reader for untrusted input.
//
// Beyond "never crashes", it checks the properties the rest of c2p relies on:
//  - a refusal is always ErrorCode::kInvalidJson (the API maps it to 400 INVALID_JSON);
//  - what it accepts survives serialise + re-parse exactly, so a value c2p stores or
//    forwards means what the client sent (doubles included: the reader rounds correctly);
//  - it accepts nothing that Boost.JSON's own parser refuses, and agrees with it on the
//    value (the strict reader only adds refusals: duplicates, non-finite numbers; doubles
//    agree within the 15 significant digits Boost.JSON's parser guarantees, see SameValue);
//  - a tighter depth limit never accepts more than the default one.
// A violated property aborts, which libFuzzer reports as a crash with the input saved.

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/error.hpp"
#include "core/strict_json.hpp"

namespace {

namespace json = boost::json;

// Shallow enough that ordinary seeds cross it.
constexpr std::size_t kTightDepth = 4;

// Boost.JSON 1.81's own parser reads decimals "with a precision not less than 15 decimal
// places", not correctly rounded, so it can land an ulp or so away from the strict reader
// (which re-reads numbers with from_chars). That is a documented library limit; anything
// beyond it is a finding.
bool SameDouble(double a, double b) {
  // Boost.JSON 1.81 alone reads "0e400" as NaN (0 times an overflowed power of ten); the
  // strict reader reads 0 and never yields a non-finite value (it refuses them).
  if (std::isnan(a) || std::isnan(b)) return true;
  // Below DBL_MIN (subnormals) Boost.JSON's parser keeps even fewer digits; the strict
  // reader's exactness there is covered by the exact round-trip property instead.
  if (std::fabs(a) < DBL_MIN || std::fabs(b) < DBL_MIN) return true;
  return a == b || std::fabs(a - b) <= 1e-15 * std::max(std::fabs(a), std::fabs(b));
}

// json::value equality, with SameDouble for doubles.
bool SameValue(const json::value& a, const json::value& b) {
  if (a.is_double() && b.is_double()) return SameDouble(a.get_double(), b.get_double());
  if (a.is_array() && b.is_array()) {
    const auto& x = a.get_array();
    const auto& y = b.get_array();
    return x.size() == y.size() && std::equal(x.begin(), x.end(), y.begin(), SameValue);
  }
  if (a.is_object() && b.is_object()) {
    const auto& x = a.get_object();
    const auto& y = b.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& member : x) {
      const auto* other = y.if_contains(member.key());
      if (other == nullptr || !SameValue(member.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

[[noreturn]] void Die(const char* what, std::string_view a = {}, std::string_view b = {}) {
  std::fprintf(stderr, "strict_json_fuzz: FINDING: %s\n", what);
  if (!a.empty()) std::fprintf(stderr, "  first:  %.*s\n", static_cast<int>(a.size()), a.data());
  if (!b.empty()) std::fprintf(stderr, "  second: %.*s\n", static_cast<int>(b.size()), b.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  auto parsed = c2p::core::ParseStrictJson(text);
  auto tight = c2p::core::ParseStrictJson(text, kTightDepth);
  if (!parsed) {
    if (parsed.error().code != c2p::core::ErrorCode::kInvalidJson) {
      Die("a refusal with an error code other than kInvalidJson");
    }
    if (tight) Die("accepted under a tighter depth limit but refused under the default");
    return 0;
  }
  if (tight && *tight != *parsed) Die("the depth limit changed the parsed value");

  const std::string once = json::serialize(*parsed);
  auto again = c2p::core::ParseStrictJson(once);
  if (!again) Die("refuses its own serialisation", once);
  // Exact: the strict reader rounds decimals correctly and Boost.JSON prints the shortest
  // text that reads back to the same double.
  if (*again != *parsed) {
    Die("serialise + re-parse changed the value", once, json::serialize(*again));
  }

  // Same limits as the strict reader; Boost.JSON's parser keeps the last duplicate key and
  // may produce infinities, but neither can occur in an input the strict reader accepted.
  json::parse_options options;
  options.max_depth = c2p::core::kMaxJsonDepth;
  json::error_code ec;
  const json::value reference = json::parse(text, ec, {}, options);
  if (ec) Die("accepted an input Boost.JSON refuses");
  // Within Boost.JSON's own 15-digit precision: the strict reader is the exact one.
  if (!SameValue(reference, *parsed)) {
    Die("disagrees with Boost.JSON on the value", once, json::serialize(reference));
  }
  return 0;
}
