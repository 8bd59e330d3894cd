#pragma once
// Standard Webhooks signature check (spec/outbound.md §3), as the stand-in issuer does it:
// `webhook-signature` holds one or more space-separated "v1,<base64 HMAC-SHA256>" over
// id + "." + timestamp + "." + body; the timestamp must be within `tolerance` of now.

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace c2p::sim {

enum class WebhookCheck { kValid, kMissingHeaders, kStale, kBadSignature };

WebhookCheck VerifyWebhook(std::string_view id, std::string_view timestamp,
                           std::string_view signatures, std::string_view body,
                           std::span<const std::uint8_t> secret, std::int64_t now_unix,
                           std::chrono::seconds tolerance);

// "v1,<base64>" for one secret (tests and the e2e suite sign with it).
std::string SignWebhook(std::string_view id, std::string_view timestamp, std::string_view body,
                        std::span<const std::uint8_t> secret);

}  // namespace c2p::sim
