#include "tools/c2pctl/sandbox_material.hpp"

#include "core/strict_json.hpp"
#include "jose/key_file.hpp"

namespace c2p::ctl {

namespace json = boost::json;

namespace {

core::Result<jose::EcKey> KeyMember(const json::object& holder, std::string_view name,
                                    bool want_private, const std::string& where) {
  const json::value* jwk = holder.if_contains(name);
  if (jwk == nullptr || !jwk->is_object()) {
    return core::Fail(core::ErrorCode::kConfigInvalid, where + ": no " + std::string(name));
  }
  auto key = jose::EcKey::FromJwk(jwk->as_object());
  if (!key || (want_private && !key->has_private())) {
    return core::Fail(core::ErrorCode::kConfigInvalid, where + ": " + std::string(name) +
                                                           " is not a P-256 " +
                                                           (want_private ? "private key" : "key"));
  }
  // c2p looks an onboarded key up by its kid, which for the sandbox's keys is the
  // thumbprint; a JWK without one gets it here so the signature names the key.
  if (key->kid().empty()) key->set_kid(key->Thumbprint());
  return key;
}

// The signing JWK of `issuer` in sandbox.json: the main issuer's or one of otherIssuers'.
const json::object* IssuerHolder(const json::object& root, const std::string& issuer) {
  const json::value* main_id = root.if_contains("issuerId");
  if (main_id != nullptr && main_id->is_string() && main_id->as_string() == issuer) return &root;
  const json::value* others = root.if_contains("otherIssuers");
  if (others == nullptr || !others->is_array()) return nullptr;
  for (const json::value& other : others->as_array()) {
    if (!other.is_object()) continue;
    const json::value* id = other.as_object().if_contains("issuerId");
    if (id != nullptr && id->is_string() && id->as_string() == issuer) return &other.as_object();
  }
  return nullptr;
}

void WipeSigningKeys(json::value& root) {
  if (!root.is_object()) return;
  auto wipe = [](json::object& holder) {
    json::value* jwk = holder.if_contains("issuerSigningKey");
    if (jwk != nullptr && jwk->is_object()) jose::WipeJwkSecrets(jwk->as_object());
  };
  wipe(root.as_object());
  json::value* others = root.as_object().if_contains("otherIssuers");
  if (others == nullptr || !others->is_array()) return;
  for (json::value& other : others->as_array()) {
    if (other.is_object()) wipe(other.as_object());
  }
}

}  // namespace

std::vector<domain::CardProduct> SandboxProducts(const json::object& card_products,
                                                 const std::string& issuer) {
  std::vector<domain::CardProduct> products;
  const json::value* visa = card_products.if_contains("VISA");
  if (visa != nullptr && visa->is_string()) {
    products.push_back(
        {std::string(visa->as_string()), issuer, domain::Network::kVisa, {{"400000", "499999"}}});
  }
  const json::value* mastercard = card_products.if_contains("MASTERCARD");
  if (mastercard != nullptr && mastercard->is_string()) {
    products.push_back({std::string(mastercard->as_string()),
                        issuer,
                        domain::Network::kMastercard,
                        {{"510000", "559999"}, {"222100", "272099"}}});
  }
  return products;
}

core::Result<SandboxMaterial> ReadSandboxMaterial(const std::filesystem::path& sandbox_dir,
                                                  const std::string& issuer) {
  const std::filesystem::path path = sandbox_dir / "sandbox.json";
  const std::string where = path.string();
  // sandbox.json holds the issuers' private keys: read into wiped memory, as key files are.
  auto text = jose::ReadSecretTextFile(path);
  if (!text) return core::Fail(core::ErrorCode::kConfigInvalid, text.error().message);
  auto parsed = core::ParseStrictJson(text->as_text());
  if (!parsed || !parsed->is_object()) {
    return core::Fail(core::ErrorCode::kConfigInvalid, where + ": not a JSON object");
  }
  struct Wiper {
    json::value& root;
    ~Wiper() { WipeSigningKeys(root); }
  } wiper{*parsed};
  const json::object& root = parsed->as_object();

  std::string issuer_id = issuer;
  if (issuer_id.empty()) {
    const json::value* id = root.if_contains("issuerId");
    if (id == nullptr || !id->is_string()) {
      return core::Fail(core::ErrorCode::kConfigInvalid, where + ": no issuerId");
    }
    issuer_id = std::string(id->as_string());
  }
  const json::object* holder = IssuerHolder(root, issuer_id);
  if (holder == nullptr) {
    return core::Fail(core::ErrorCode::kConfigInvalid,
                      where + ": issuer " + issuer_id + " is not in the sandbox");
  }
  auto signing = KeyMember(*holder, "issuerSigningKey", true, where);
  if (!signing) return tl::unexpected(signing.error());
  auto encryption = KeyMember(root, "encryptionKey", false, where);
  if (!encryption) return tl::unexpected(encryption.error());
  const json::value* products = root.if_contains("cardProducts");
  std::vector<domain::CardProduct> known = products != nullptr && products->is_object()
                                               ? SandboxProducts(products->as_object(), issuer_id)
                                               : std::vector<domain::CardProduct>{};
  if (known.empty()) {
    return core::Fail(core::ErrorCode::kConfigInvalid,
                      where + ": cardProducts names neither VISA nor MASTERCARD");
  }
  const json::value* base_url = root.if_contains("baseUrl");
  return SandboxMaterial{std::move(issuer_id),
                         base_url != nullptr && base_url->is_string()
                             ? std::string(base_url->as_string())
                             : std::string(),
                         std::move(*signing), std::move(*encryption), std::move(known)};
}

}  // namespace c2p::ctl
