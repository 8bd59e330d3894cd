#include "app/auth_setup.hpp"

#include "auth/assertion_keys.hpp"
#include "jose/key_file.hpp"

namespace c2p::app {

namespace {

core::Result<jose::OctKey> LoadMacKey(const std::filesystem::path& path) {
  auto jwk = jose::ReadJwkFile(path);
  if (!jwk) return tl::unexpected(jwk.error());
  auto key = jose::OctKey::FromJwk(*jwk);
  jose::WipeJwkSecrets(*jwk);
  if (!key || key->kid().empty() || key->bytes().size() < 32) {
    return core::Fail(core::ErrorCode::kConfigInvalid,
                      "token MAC key " + path.string() + ": needs a kid and at least 32 bytes");
  }
  return key;
}

}  // namespace

core::Result<std::unique_ptr<api::AuthContext>> BuildAuthContext(const Config& config) {
  std::vector<jose::OctKey> mac_keys;
  auto current = LoadMacKey(config.keys.token_mac);
  if (!current) return tl::unexpected(current.error());
  mac_keys.push_back(std::move(*current));
  for (const auto& path : config.keys.token_mac_retired) {
    auto old = LoadMacKey(path);
    if (!old) return tl::unexpected(old.error());
    mac_keys.push_back(std::move(*old));
  }

  std::vector<auth::IssuerAssertionKeys> issuers;
  for (const auto& issuer : config.issuers) {
    auth::IssuerAssertionKeys keys{issuer.id, {}};
    for (const auto& path : issuer.assertion_keys) {
      auto key = auth::LoadAssertionKey(path);
      if (!key) return tl::unexpected(key.error());
      keys.keys.push_back(std::move(*key));
    }
    issuers.push_back(std::move(keys));
  }

  // The constructors refuse inconsistent keys (duplicate kids, short MAC keys) by throwing:
  // turned into a configuration error here, at start-up.
  try {
    auto context = std::make_unique<api::AuthContext>(
        auth::AccessTokens(mac_keys),
        auth::AssertionVerifier(std::move(issuers),
                                auth::AssertionPolicy{.audience = config.auth.audience}));
    // With mTLS every caller has a verified certificate, whose subject must be its issuer.
    context->require_client_identity = config.server.tls.has_value();
    for (const auto& issuer : config.issuers) {
      context->issuers.insert(issuer.id);
      context->api_limits.SetLimit(issuer.id, issuer.rate_limit_per_second);
      context->token_limits.SetLimit(issuer.id, issuer.token_rate_limit_per_second);
    }
    return context;
  } catch (const std::invalid_argument& e) {
    return core::Fail(core::ErrorCode::kConfigInvalid, e.what());
  }
}

}  // namespace c2p::app
