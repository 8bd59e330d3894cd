#include "jose/base64url.hpp"

#include <array>
#include <optional>

namespace c2p::jose {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::int8_t kInvalid = -1;

constexpr std::array<std::int8_t, 256> MakeDecodeTable() {
  std::array<std::int8_t, 256> table{};
  for (auto& entry : table) entry = kInvalid;
  for (int i = 0; i < 64; ++i)
    table[static_cast<std::uint8_t>(kAlphabet[i])] = static_cast<std::int8_t>(i);
  return table;
}
constexpr std::array<std::int8_t, 256> kDecode = MakeDecodeTable();

std::size_t EncodedSize(std::size_t n) { return n / 3 * 4 + (n % 3 == 0 ? 0 : n % 3 + 1); }

void EncodeTo(std::span<const std::uint8_t> in, char* out) {
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const std::uint32_t v =
        (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8) | in[i + 2];
    *out++ = kAlphabet[(v >> 18) & 0x3F];
    *out++ = kAlphabet[(v >> 12) & 0x3F];
    *out++ = kAlphabet[(v >> 6) & 0x3F];
    *out++ = kAlphabet[v & 0x3F];
  }
  const std::size_t rest = in.size() - i;
  if (rest == 1) {
    const std::uint32_t v = std::uint32_t{in[i]} << 16;
    *out++ = kAlphabet[(v >> 18) & 0x3F];
    *out++ = kAlphabet[(v >> 12) & 0x3F];
  } else if (rest == 2) {
    const std::uint32_t v = (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8);
    *out++ = kAlphabet[(v >> 18) & 0x3F];
    *out++ = kAlphabet[(v >> 12) & 0x3F];
    *out++ = kAlphabet[(v >> 6) & 0x3F];
  }
}

// The decoded size, checking everything that can be known before decoding.
core::Result<std::size_t> DecodedSize(std::string_view text) {
  if (text.find('=') != std::string_view::npos) {
    return core::Fail(core::ErrorCode::kFieldInvalidFormat, "base64url must not be padded");
  }
  const std::size_t rest = text.size() % 4;
  if (rest == 1) {
    return core::Fail(core::ErrorCode::kFieldInvalidFormat, "base64url has an impossible length");
  }
  return text.size() / 4 * 3 + (rest == 0 ? 0 : rest - 1);
}

std::optional<std::uint32_t> Sextet(char c) {
  const std::int8_t v = kDecode[static_cast<std::uint8_t>(c)];
  if (v == kInvalid) return std::nullopt;
  return static_cast<std::uint32_t>(v);
}

// Decodes into out, which holds exactly DecodedSize(text) bytes.
core::Result<void> DecodeTo(std::string_view text, std::uint8_t* out) {
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const auto v = Sextet(c);
    if (!v) {
      return core::Fail(core::ErrorCode::kFieldInvalidFormat,
                        "base64url contains a character outside its alphabet");
    }
    acc = (acc << 6) | *v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      *out++ = static_cast<std::uint8_t>((acc >> bits) & 0xFF);
    }
  }
  // The bits left over (2 or 4) pad the last character; a canonical encoder leaves them
  // zero, and accepting others would give one value several spellings.
  if ((acc & ((1u << bits) - 1)) != 0) {
    return core::Fail(core::ErrorCode::kFieldInvalidFormat, "base64url has non-zero trailing bits");
  }
  return {};
}

}  // namespace

std::string Base64UrlEncode(std::span<const std::uint8_t> data) {
  std::string out(EncodedSize(data.size()), '\0');
  EncodeTo(data, out.data());
  return out;
}

core::SecretBytes Base64UrlEncodeSecret(std::span<const std::uint8_t> data) {
  core::SecretBytes out(EncodedSize(data.size()));
  EncodeTo(data, reinterpret_cast<char*>(out.data()));
  return out;
}

core::Result<std::vector<std::uint8_t>> Base64UrlDecode(std::string_view text) {
  auto size = DecodedSize(text);
  if (!size) return tl::unexpected(std::move(size.error()));
  std::vector<std::uint8_t> out(*size);
  if (auto ok = DecodeTo(text, out.data()); !ok) return tl::unexpected(std::move(ok.error()));
  return out;
}

core::Result<core::SecretBytes> Base64UrlDecodeSecret(std::string_view text) {
  auto size = DecodedSize(text);
  if (!size) return tl::unexpected(std::move(size.error()));
  core::SecretBytes out(*size);
  if (auto ok = DecodeTo(text, out.data()); !ok) return tl::unexpected(std::move(ok.error()));
  return out;
}

}  // namespace c2p::jose
