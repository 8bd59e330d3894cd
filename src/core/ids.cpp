#include "core/ids.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <stdexcept>

#include <openssl/rand.h>

namespace c2p::core {

bool IsIdToken(std::string_view text, std::size_t min_len, std::size_t max_len) {
  if (text.size() < min_len || text.size() > max_len) return false;
  for (char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

namespace {

void FillRandom(std::uint8_t* data, std::size_t size) {
  // RAND_bytes only fails when the OS has no entropy to give: nothing safe can go on.
  if (RAND_bytes(data, static_cast<int>(size)) != 1) {
    throw std::runtime_error("CSPRNG unavailable");
  }
}

// 16 bytes as 22 base64url characters, no padding.
std::string Encode(std::string_view prefix, const std::array<std::uint8_t, 16>& raw) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out(prefix);
  out.reserve(prefix.size() + 22);
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::uint8_t b : raw) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> bits) & 0x3F]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 0x3F]);
  return out;
}

}  // namespace

std::string NewRandomId(std::string_view prefix) {
  std::array<std::uint8_t, 16> raw{};
  FillRandom(raw.data(), raw.size());
  return Encode(prefix, raw);
}

std::string SortableMillis(std::uint64_t ms) {
  // base64url's 64 characters in ASCII order: '-' < digits < capitals < '_' < small letters.
  static constexpr char kSorted[] =
      "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
  std::string out(8, '-');
  // 48 bits of milliseconds (until the year 10889), six bits per character, high first.
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = kSorted[(ms >> (6 * (7 - i))) & 0x3F];
  }
  return out;
}

std::string NewTimeOrderedId(std::string_view prefix) {
  const auto ms =
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
  std::string head(prefix);
  head += SortableMillis(ms);
  return NewRandomId(head);
}

std::string NewCorrelationId() {
  struct State {
    std::array<std::uint8_t, 16> bytes{};
    State() { FillRandom(bytes.data(), 8); }
  };
  thread_local State state;
  // Big-endian counter in the last 8 bytes.
  for (int i = 15; i >= 8; --i) {
    if (++state.bytes[static_cast<std::size_t>(i)] != 0) break;
  }
  return Encode({}, state.bytes);
}

}  // namespace c2p::core
