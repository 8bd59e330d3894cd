#include "jose/jcs.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string_view>
#include <utility>
#include <vector>

namespace c2p::jose {
namespace json = boost::json;

namespace {

// 2^53: every integer of at most this magnitude is a double, exactly.
constexpr std::uint64_t kMaxSafeMagnitude = std::uint64_t{1} << 53;

tl::unexpected<core::Error> Invalid(std::string message) {
  return core::Fail(core::ErrorCode::kFieldInvalidFormat, std::move(message));
}

// Decodes one UTF-8 sequence at `text[i]` (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF), advancing `i`; -1 when invalid.
std::int32_t NextCodePoint(std::string_view text, std::size_t& i) {
  const auto byte = [&](std::size_t at) { return static_cast<std::uint8_t>(text[at]); };
  const std::uint8_t lead = byte(i);
  std::size_t extra = 0;
  std::uint32_t cp = 0;
  std::uint32_t min = 0;
  if (lead < 0x80) {
    ++i;
    return lead;
  } else if ((lead & 0xE0) == 0xC0) {
    extra = 1, cp = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2, cp = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3, cp = lead & 0x07, min = 0x10000;
  } else {
    return -1;
  }
  if (extra >= text.size() - i) return -1;  // truncated sequence
  for (std::size_t k = 1; k <= extra; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
  i += extra + 1;
  return static_cast<std::int32_t>(cp);
}

// The UTF-16 code units of a member name: RFC 8785 §3.2.3 sorts by them, which differs
// from sorting UTF-8 bytes for names mixing U+E000..U+FFFF with supplementary characters.
core::Result<std::u16string> ToUtf16(std::string_view text) {
  std::u16string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::int32_t cp = NextCodePoint(text, i);
    if (cp < 0) return Invalid("JSON text is not valid UTF-8");
    if (cp >= 0x10000) {
      const auto v = static_cast<std::uint32_t>(cp) - 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (v >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (v & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

core::Result<void> AppendString(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    // A run of printable ASCII other than '"' and '\\' is written as it is: copied at once
    // rather than decoded (most text, e.g. a batch file's JWEs).
    std::size_t run = i;
    while (run < text.size()) {
      const auto c = static_cast<unsigned char>(text[run]);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') break;
      ++run;
    }
    if (run > i) {
      out.append(text.data() + i, run - i);
      i = run;
      continue;
    }
    const std::size_t start = i;
    const std::int32_t cp = NextCodePoint(text, i);
    if (cp < 0) return Invalid("JSON text is not valid UTF-8");
    switch (cp) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (cp < 0x20) {
          out += "\\u00";
          out += kHex[cp >> 4];
          out += kHex[cp & 0xF];
        } else {
          out.append(text.substr(start, i - start));
        }
    }
  }
  out += '"';
  return {};
}

// ECMAScript Number::toString (ECMA-262 §6.1.6.1.20) from the shortest round-trip digits,
// which std::to_chars gives in scientific form "d[.ddd]e±x".
std::string FormatFinite(double value) {
  if (value == 0) return "0";  // both +0 and -0
  std::string out;
  if (value < 0) {
    out += '-';
    value = -value;
  }
  char buffer[64];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  const std::string_view text(buffer, static_cast<std::size_t>(result.ptr - buffer));
  const std::size_t e = text.find('e');
  std::string digits;
  for (char c : text.substr(0, e)) {
    if (c != '.') digits += c;
  }
  int exponent = 0;
  const std::string_view exponent_text = text.substr(e + 1);
  std::from_chars(exponent_text.data() + (exponent_text.front() == '+' ? 1 : 0),
                  exponent_text.data() + exponent_text.size(), exponent);
  // In ECMA-262's terms: value = digits × 10^(n−k), k = number of digits.
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1;
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, 0, static_cast<std::size_t>(n));
    out += '.';
    out.append(digits, static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out.append(digits, 1);
    }
    out += 'e';
    out += n - 1 >= 0 ? '+' : '-';
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

// An integer of magnitude `m` is a double exactly when its significant bits fit in 53.
bool IsExactDouble(std::uint64_t magnitude) {
  if (magnitude <= kMaxSafeMagnitude) return true;
  while ((magnitude & 1) == 0) magnitude >>= 1;
  return magnitude < kMaxSafeMagnitude;
}

core::Result<void> AppendInteger(bool negative, std::uint64_t magnitude, std::string& out) {
  if (magnitude <= kMaxSafeMagnitude) {
    if (negative && magnitude != 0) out += '-';
    out += std::to_string(magnitude);
    return {};
  }
  if (!IsExactDouble(magnitude)) return Invalid("JSON integer has no exact IEEE 754 double value");
  const double d = static_cast<double>(magnitude);
  out += FormatFinite(negative ? -d : d);
  return {};
}

core::Result<void> Append(const json::value& value, std::string& out, std::size_t depth) {
  if (depth > kMaxJcsDepth) return Invalid("JSON value is nested too deeply to canonicalise");
  switch (value.kind()) {
    case json::kind::null:
      out += "null";
      return {};
    case json::kind::bool_:
      out += value.get_bool() ? "true" : "false";
      return {};
    case json::kind::int64: {
      const std::int64_t i = value.get_int64();
      // Magnitude without overflow for INT64_MIN.
      const std::uint64_t m =
          i < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(i) : static_cast<std::uint64_t>(i);
      return AppendInteger(i < 0, m, out);
    }
    case json::kind::uint64:
      return AppendInteger(false, value.get_uint64(), out);
    case json::kind::double_: {
      auto number = CanonicalNumber(value.get_double());
      if (!number) return tl::unexpected(std::move(number.error()));
      out += *number;
      return {};
    }
    case json::kind::string:
      return AppendString(value.get_string(), out);
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const json::value& element : value.get_array()) {
        if (!first) out += ',';
        first = false;
        if (auto ok = Append(element, out, depth + 1); !ok) return ok;
      }
      out += ']';
      return {};
    }
    case json::kind::object: {
      const json::object& object = value.get_object();
      std::vector<std::pair<std::u16string, const json::key_value_pair*>> members;
      members.reserve(object.size());
      for (const json::key_value_pair& member : object) {
        auto name = ToUtf16(member.key());
        if (!name) return tl::unexpected(std::move(name.error()));
        members.emplace_back(std::move(*name), &member);
      }
      std::sort(members.begin(), members.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      out += '{';
      bool first = true;
      for (const auto& [name, member] : members) {
        if (!first) out += ',';
        first = false;
        if (auto ok = AppendString(member->key(), out); !ok) return ok;
        out += ':';
        if (auto ok = Append(member->value(), out, depth + 1); !ok) return ok;
      }
      out += '}';
      return {};
    }
  }
  return Invalid("unknown JSON value kind");
}

}  // namespace

core::Result<std::string> CanonicalNumber(double value) {
  if (!std::isfinite(value)) return Invalid("JSON number is not finite");
  return FormatFinite(value);
}

core::Result<void> CanonicalizeTo(const json::value& value, std::string& out) {
  return Append(value, out, 0);
}

core::Result<std::string> Canonicalize(const json::value& value) {
  std::string out;
  if (auto ok = CanonicalizeTo(value, out); !ok) return tl::unexpected(std::move(ok.error()));
  return out;
}

}  // namespace c2p::jose
