#pragma once
// Standard Webhooks signatures (shared/spec/outbound.md §3): `webhook-signature` is
// "v1,<base64 HMAC-SHA256(secret, id + "." + timestamp + "." + body)>", one per secret,
// space-separated. An issuer rotating its secret configures both for a while; the receiver
// accepts either, so no notification fails verification during the change.

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "jose/hmac.hpp"

namespace c2p::notify {

class WebhookSigner {
 public:
  // `secrets`: "whsec_" + standard base64, the current one first. kConfigInvalid when one is
  // not a secret of that form (the message never holds the text).
  static core::Result<WebhookSigner> FromSecrets(const std::vector<std::string_view>& secrets);
  // The secrets of a file: one per line (blank lines ignored).
  static core::Result<WebhookSigner> FromSecretText(std::string_view text);

  std::string Sign(std::string_view webhook_id, std::string_view timestamp,
                   std::string_view body) const;

 private:
  std::vector<jose::HmacSha256> keys_;
};

}  // namespace c2p::notify
