#include "webhook.hpp"

#include <openssl/evp.h>

#include "fields.hpp"
#include "jose/hmac.hpp"

namespace c2p::sim {

std::string SignWebhook(std::string_view id, std::string_view timestamp, std::string_view body,
                        std::span<const std::uint8_t> secret) {
  const jose::HmacSha256 hmac(secret);
  auto bytes = [](std::string_view s) {
    return std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
  };
  const jose::Mac256 mac =
      hmac.Sign({bytes(id), bytes("."), bytes(timestamp), bytes("."), bytes(body)});
  std::string out(4 * ((mac.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), mac.data(),
                                static_cast<int>(mac.size()));
  out.resize(static_cast<std::size_t>(n));
  return "v1," + out;
}

WebhookCheck VerifyWebhook(std::string_view id, std::string_view timestamp,
                           std::string_view signatures, std::string_view body,
                           std::span<const std::uint8_t> secret, std::int64_t now_unix,
                           std::chrono::seconds tolerance) {
  if (id.empty() || id.size() > 256 || timestamp.empty() || signatures.empty()) {
    return WebhookCheck::kMissingHeaders;
  }
  if (timestamp.size() > 12 || !AllDigits(timestamp)) return WebhookCheck::kStale;
  const std::int64_t ts = std::stoll(std::string(timestamp));
  const std::int64_t skew = ts > now_unix ? ts - now_unix : now_unix - ts;
  if (skew > tolerance.count()) return WebhookCheck::kStale;
  const std::string expected = SignWebhook(id, timestamp, body, secret);
  std::size_t pos = 0;
  while (pos < signatures.size()) {
    std::size_t end = signatures.find(' ', pos);
    if (end == std::string_view::npos) end = signatures.size();
    const std::string_view one = signatures.substr(pos, end - pos);
    if (one.size() == expected.size() &&
        jose::MacEquals(
            {reinterpret_cast<const std::uint8_t*>(one.data()), one.size()},
            {reinterpret_cast<const std::uint8_t*>(expected.data()), expected.size()})) {
      return WebhookCheck::kValid;
    }
    pos = end + 1;
  }
  return WebhookCheck::kBadSignature;
}

}  // namespace c2p::sim
