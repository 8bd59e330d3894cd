#include "app/registry_setup.hpp"

#include "jose/key_file.hpp"

namespace c2p::app {

namespace {

core::Result<jose::OctKey> LoadOctKey(const std::filesystem::path& path) {
  auto jwk = jose::ReadJwkFile(path);
  if (!jwk) return tl::unexpected(jwk.error());
  auto key = jose::OctKey::FromJwk(*jwk);
  jose::WipeJwkSecrets(*jwk);
  if (!key) {
    return core::Fail(core::ErrorCode::kConfigInvalid, path.string() + ": not an oct JWK");
  }
  return key;
}

core::Result<void> AddJweKey(jose::JweDecryptionKeys& keys, const std::filesystem::path& path) {
  auto jwk = jose::ReadJwkFile(path);
  if (!jwk) return tl::unexpected(jwk.error());
  core::Result<void> added;
  const auto* kty = jwk->if_contains("kty");
  if (kty != nullptr && kty->is_string() && kty->get_string() == "RSA") {
    auto key = jose::RsaKey::FromJwk(*jwk);
    added = key ? keys.AddRsaOaep256(*key) : tl::unexpected(key.error());
  } else {
    auto key = jose::EcKey::FromJwk(*jwk);
    added = key ? keys.AddEcdhEs(*key) : tl::unexpected(key.error());
  }
  jose::WipeJwkSecrets(*jwk);
  if (!added) {
    return core::Fail(core::ErrorCode::kConfigInvalid,
                      "keys.jwe " + path.string() + ": " + added.error().message);
  }
  return {};
}

domain::Network ToDomain(Network n) {
  return n == Network::kVisa ? domain::Network::kVisa : domain::Network::kMastercard;
}

}  // namespace

core::Result<vault::KeyRing> LoadPanKeyRing(const KeysConfig& keys) {
  std::vector<vault::VaultKey> ring;
  for (auto it = keys.pan.rbegin(); it != keys.pan.rend(); ++it) {
    auto key = LoadOctKey(*it);
    if (!key) return tl::unexpected(key.error());
    if (key->kid().empty()) {
      return core::Fail(core::ErrorCode::kConfigInvalid,
                        "keys.pan " + it->string() + ": needs a kid (the key version)");
    }
    ring.push_back(vault::VaultKey{key->kid(), key->bytes().Clone()});
  }
  auto index = LoadOctKey(keys.pan_hmac);
  if (!index) return tl::unexpected(index.error());
  auto built = vault::KeyRing::Create(std::move(ring), index->bytes().Clone());
  if (!built) {
    return core::Fail(core::ErrorCode::kConfigInvalid, "keys.pan: " + built.error().message);
  }
  return built;
}

core::Result<std::unique_ptr<registry::RegistryContext>> BuildRegistryContext(const Config& config,
                                                                              store::Store& store) {
  auto ring = LoadPanKeyRing(config.keys);
  if (!ring) return tl::unexpected(ring.error());
  auto ctx = std::make_unique<registry::RegistryContext>(store, std::move(*ring));
  for (const auto& path : config.keys.jwe) {
    if (auto added = AddJweKey(ctx->jwe, path); !added) return tl::unexpected(added.error());
  }
  for (const auto& p : config.card_products) {
    domain::CardProduct product{p.id, p.issuer, ToDomain(p.network), {}, p.step_up};
    for (const auto& r : p.bin_ranges) product.bin_ranges.push_back({r.low, r.high});
    ctx->products.push_back(std::move(product));
  }
  for (const auto& issuer : config.issuers) {
    ctx->issuers[issuer.id] = registry::IssuerRegistryPolicy{
        .store_personal_data = issuer.personal_data == PersonalData::kStored,
        .auto_enrolment = issuer.auto_enrolment};
  }
  return ctx;
}

}  // namespace c2p::app
