#include "app/issuer_backend_setup.hpp"

#include <string>

#include "jose/key_file.hpp"

namespace c2p::app {

core::Result<std::vector<notify::IssuerEndpoint>> LoadIssuerEndpoints(const Config& config) {
  std::vector<notify::IssuerEndpoint> out;
  for (std::size_t i = 0; i < config.issuers.size(); ++i) {
    const IssuerConfig& issuer = config.issuers[i];
    notify::IssuerEndpoint e;
    e.issuer_id = issuer.id;
    e.base_url = issuer.base_url;
    e.consumer_info_by_card = issuer.consumer_info_by_card;
    e.timeout = issuer.consumer_info_timeout;
    if (!issuer.oauth_client_id.empty()) {
      const std::string what = "issuers[" + std::to_string(i) + "].oauth_client_secret_file";
      auto secret = jose::ReadSecretTextFile(issuer.oauth_client_secret_file);
      if (!secret) return core::Fail(core::ErrorCode::kConfigInvalid, what + ": cannot be read");
      if (secret->empty()) return core::Fail(core::ErrorCode::kConfigInvalid, what + ": is empty");
      for (const char c : secret->as_text()) {
        if (c < 0x20 || c > 0x7e) {
          return core::Fail(core::ErrorCode::kConfigInvalid,
                            what + ": must hold printable ASCII on one line");
        }
      }
      notify::OAuthConfig oauth;
      oauth.token_url = issuer.oauth_token_url;
      oauth.client_id = issuer.oauth_client_id;
      oauth.client_secret = std::move(*secret);
      oauth.scope = issuer.oauth_scope;
      oauth.timeout = issuer.consumer_info_timeout;
      e.oauth = std::move(oauth);
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace c2p::app
