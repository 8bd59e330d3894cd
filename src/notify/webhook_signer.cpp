#include "notify/webhook_signer.hpp"

#include <openssl/evp.h>

#include "core/secret_bytes.hpp"

namespace c2p::notify {

namespace {

constexpr std::string_view kPrefix = "whsec_";

core::Result<core::SecretBytes> DecodeSecret(std::string_view text) {
  auto bad = [] { return core::Fail(core::ErrorCode::kConfigInvalid, "not a whsec_ secret"); };
  if (text.substr(0, kPrefix.size()) != kPrefix) return bad();
  const std::string_view b64 = text.substr(kPrefix.size());
  if (b64.empty() || b64.size() % 4 != 0 || b64.size() > 1024) return bad();
  for (const char c : b64) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '/' || c == '=';
    if (!ok) return bad();
  }
  core::SecretBytes raw(b64.size() / 4 * 3);
  const int n = EVP_DecodeBlock(raw.data(), reinterpret_cast<const unsigned char*>(b64.data()),
                                static_cast<int>(b64.size()));
  if (n < 0) return bad();
  // EVP_DecodeBlock counts padding as zero bytes: drop them.
  std::size_t size = static_cast<std::size_t>(n);
  if (b64.ends_with("==")) {
    size -= 2;
  } else if (b64.ends_with("=")) {
    size -= 1;
  }
  if (size < 16) return bad();  // Standard Webhooks secrets are 24 to 64 bytes
  return core::SecretBytes(raw.data(), size);
}

std::string Base64(const jose::Mac256& mac) {
  std::string out(((mac.size() + 2) / 3) * 4 + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), mac.data(),
                                static_cast<int>(mac.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

}  // namespace

core::Result<WebhookSigner> WebhookSigner::FromSecrets(
    const std::vector<std::string_view>& secrets) {
  if (secrets.empty()) return core::Fail(core::ErrorCode::kConfigInvalid, "no whsec_ secret");
  WebhookSigner signer;
  for (const auto text : secrets) {
    auto raw = DecodeSecret(text);
    if (!raw) return tl::unexpected(raw.error());
    signer.keys_.emplace_back(std::span<const std::uint8_t>(raw->data(), raw->size()));
  }
  return signer;
}

core::Result<WebhookSigner> WebhookSigner::FromSecretText(std::string_view text) {
  std::vector<std::string_view> secrets;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (!line.empty()) secrets.push_back(line);
  }
  return FromSecrets(secrets);
}

std::string WebhookSigner::Sign(std::string_view webhook_id, std::string_view timestamp,
                                std::string_view body) const {
  auto bytes = [](std::string_view s) {
    return std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
  };
  const std::string_view dot = ".";
  std::string out;
  for (const auto& key : keys_) {
    if (!out.empty()) out += ' ';
    out += "v1,";
    out += Base64(
        key.Sign({bytes(webhook_id), bytes(dot), bytes(timestamp), bytes(dot), bytes(body)}));
  }
  return out;
}

}  // namespace c2p::notify
