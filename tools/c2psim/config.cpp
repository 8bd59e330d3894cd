#include "config.hpp"

#include <toml++/toml.h>

#include "app/toml_reader.hpp"
#include "fields.hpp"
#include "jose/key_file.hpp"

namespace c2p::sim {
namespace fs = std::filesystem;
using app::TomlReader;
using app::toml_keys::Bool;
using app::toml_keys::FilePath;
using app::toml_keys::Int;
using app::toml_keys::Millis;
using app::toml_keys::Str;
using VoidResult = core::Result<void>;

namespace {

VoidResult ReadNetwork(const toml::table* t, const char* name, const fs::path& base,
                       NetworkConfig& n, bool with_rate_limit) {
  if (t == nullptr) return {};
  TomlReader r(*t, name);
  if (auto ok = Str(r, "api_key", n.api_key, false); !ok) return ok;
  if (auto ok = FilePath(r, "decryption_key", base, n.decryption_key, false); !ok) return ok;
  if (auto ok = Str(r, "tsp_secret", n.tsp_secret, false); !ok) return ok;
  if (auto ok = Str(r, "token_requestor_id", n.token_requestor_id, false); !ok) return ok;
  std::int64_t latency = 0;
  std::int64_t token_latency = 0;
  if (auto ok = Int(r, "latency_ms", latency, 0, 60'000); !ok) return ok;
  if (auto ok = Int(r, "token_latency_ms", token_latency, 0, 60'000); !ok) return ok;
  n.latency = std::chrono::milliseconds(latency);
  n.token_latency = std::chrono::milliseconds(token_latency);
  if (with_rate_limit) {
    if (auto ok = Int(r, "rate_limit", n.rate_limit, 0, 1'000'000); !ok) return ok;
  }
  return r.RejectUnknown();
}

VoidResult ReadIssuer(const toml::table* t, const fs::path& base, IssuerConfig& i) {
  if (t == nullptr) return {};
  TomlReader r(*t, "issuer");
  if (auto ok = FilePath(r, "consumers_file", base, i.consumers_file, false); !ok) return ok;
  if (auto ok = Str(r, "oauth_client_id", i.oauth_client_id, false); !ok) return ok;
  if (auto ok = Str(r, "oauth_client_secret", i.oauth_client_secret, false); !ok) return ok;
  if (auto ok = Bool(r, "require_bearer", i.require_bearer); !ok) return ok;
  std::int64_t tolerance = i.tolerance.count();
  if (auto ok = Int(r, "webhook_tolerance_s", tolerance, 1, 86'400); !ok) return ok;
  i.tolerance = std::chrono::seconds(tolerance);
  auto secrets = r.Array("webhook_secrets");
  if (!secrets) return tl::unexpected(secrets.error());
  if (*secrets != nullptr) {
    for (std::size_t k = 0; k < (*secrets)->size(); ++k) {
      const toml::table* entry = (*secrets)->get(k)->as_table();
      const std::string path = "issuer.webhook_secrets[" + std::to_string(k) + "]";
      if (entry == nullptr)
        return core::Fail(core::ErrorCode::kConfigInvalid, path + ": must be a table");
      TomlReader e(*entry, path);
      IssuerSecret s;
      if (auto ok = Str(e, "issuer", s.issuer_id, true); !ok) return ok;
      if (auto ok = FilePath(e, "file", base, s.file, true); !ok) return ok;
      if (auto ok = e.RejectUnknown(); !ok) return ok;
      i.webhook_secrets.push_back(std::move(s));
    }
  }
  if (i.oauth_client_id.empty() != i.oauth_client_secret.empty()) {
    return tl::unexpected(r.Invalid("oauth_client_secret", "goes with oauth_client_id"));
  }
  return r.RejectUnknown();
}

}  // namespace

SimConfig DefaultSimConfig() {
  SimConfig c;
  c.visa.token_requestor_id = "40010030273";
  c.mastercard.token_requestor_id = "50110030273";
  return c;
}

core::Result<SimConfig> LoadSimConfig(const fs::path& path) {
  toml::table root;
  try {
    root = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    return core::Fail(core::ErrorCode::kConfigInvalid,
                      path.string() + ": " + std::string(e.description()));
  }
  const fs::path base = path.parent_path();
  SimConfig c = DefaultSimConfig();
  TomlReader r(root, "");
  auto server = r.Table("server");
  if (!server) return tl::unexpected(server.error());
  if (*server != nullptr) {
    TomlReader s(**server, "server");
    if (auto ok = Str(s, "listen", c.listen, false); !ok) return tl::unexpected(ok.error());
    if (auto ok = Int(s, "port", c.port, 0, 65535); !ok) return tl::unexpected(ok.error());
    if (auto ok = s.RejectUnknown(); !ok) return tl::unexpected(ok.error());
  }
  auto c2p = r.Table("c2p");
  if (!c2p) return tl::unexpected(c2p.error());
  if (*c2p != nullptr) {
    TomlReader s(**c2p, "c2p");
    if (auto ok = Str(s, "url", c.c2p_url, false); !ok) return tl::unexpected(ok.error());
    if (auto ok = FilePath(s, "encryption_key", base, c.c2p_encryption_key, !c.c2p_url.empty());
        !ok) {
      return tl::unexpected(ok.error());
    }
    if (auto ok = Millis(s, "timeout_ms", c.tsp_timeout); !ok) return tl::unexpected(ok.error());
    if (!c.c2p_url.empty() && !c.c2p_url.starts_with("http://") &&
        !c.c2p_url.starts_with("https://")) {
      return tl::unexpected(s.Invalid("url", "must be an http:// or https:// URL"));
    }
    if (auto ok = s.RejectUnknown(); !ok) return tl::unexpected(ok.error());
  }
  for (auto [name, net, rate] :
       {std::tuple{"visa", &c.visa, false}, std::tuple{"mastercard", &c.mastercard, true}}) {
    auto t = r.Table(name);
    if (!t) return tl::unexpected(t.error());
    if (auto ok = ReadNetwork(*t, name, base, *net, rate); !ok) return tl::unexpected(ok.error());
  }
  auto issuer = r.Table("issuer");
  if (!issuer) return tl::unexpected(issuer.error());
  if (auto ok = ReadIssuer(*issuer, base, c.issuer); !ok) return tl::unexpected(ok.error());
  auto timing = r.Table("timing");
  if (!timing) return tl::unexpected(timing.error());
  if (*timing != nullptr) {
    TomlReader s(**timing, "timing");
    if (auto ok = Millis(s, "slow_card_ms", c.slow_card); !ok) return tl::unexpected(ok.error());
    if (auto ok = Millis(s, "timeout_fault_ms", c.timeout); !ok) return tl::unexpected(ok.error());
    if (auto ok = s.RejectUnknown(); !ok) return tl::unexpected(ok.error());
  }
  if (auto ok = r.RejectUnknown(); !ok) return tl::unexpected(ok.error());
  return c;
}

core::Result<std::vector<std::uint8_t>> DecodeWebhookSecret(std::string_view text) {
  constexpr std::string_view kPrefix = "whsec_";
  auto bytes = text.starts_with(kPrefix) ? DecodeBase64(text.substr(kPrefix.size())) : std::nullopt;
  if (!bytes || bytes->empty()) {
    return core::Fail(core::ErrorCode::kConfigInvalid, "not a whsec_ secret");
  }
  return std::move(*bytes);
}

namespace {

core::Result<void> AddNetworkKey(const NetworkConfig& n, const char* name,
                                 jose::JweDecryptionKeys& keys) {
  if (n.decryption_key.empty()) {
    jose::RsaKey key = jose::RsaKey::Generate();
    key.set_kid(std::string("sim-") + name);
    return keys.AddRsaOaep256(key);
  }
  auto jwk = jose::ReadJwkFile(n.decryption_key);
  if (!jwk) return tl::unexpected(jwk.error());
  auto key = jose::RsaKey::FromJwk(*jwk);
  jose::WipeJwkSecrets(*jwk);
  if (!key) {
    return core::Fail(core::ErrorCode::kConfigInvalid,
                      std::string(name) + ".decryption_key: " + key.error().message);
  }
  if (auto ok = keys.AddRsaOaep256(*key); !ok) {
    return core::Fail(core::ErrorCode::kConfigInvalid,
                      std::string(name) + ".decryption_key: " + ok.error().message);
  }
  return {};
}

}  // namespace

core::Result<SimKeys> LoadSimKeys(const SimConfig& config) {
  SimKeys keys;
  if (auto ok = AddNetworkKey(config.visa, "visa", keys.visa); !ok)
    return tl::unexpected(ok.error());
  if (auto ok = AddNetworkKey(config.mastercard, "mastercard", keys.mastercard); !ok) {
    return tl::unexpected(ok.error());
  }
  if (!config.c2p_encryption_key.empty()) {
    auto jwk = jose::ReadJwkFile(config.c2p_encryption_key);
    if (!jwk) return tl::unexpected(jwk.error());
    const auto* kty = jwk->if_contains("kty");
    if (kty != nullptr && kty->is_string() && kty->get_string() == "RSA") {
      auto key = jose::RsaKey::FromJwk(*jwk);
      if (!key)
        return core::Fail(core::ErrorCode::kConfigInvalid,
                          "c2p.encryption_key: " + key.error().message);
      *keys.c2p = std::move(*key);
    } else {
      auto key = jose::EcKey::FromJwk(*jwk);
      if (!key)
        return core::Fail(core::ErrorCode::kConfigInvalid,
                          "c2p.encryption_key: " + key.error().message);
      *keys.c2p = std::move(*key);
    }
  }
  for (const IssuerSecret& s : config.issuer.webhook_secrets) {
    auto text = jose::ReadSecretTextFile(s.file);
    if (!text) return tl::unexpected(text.error());
    auto bytes = DecodeWebhookSecret(text->as_text());
    if (!bytes) {
      return core::Fail(core::ErrorCode::kConfigInvalid,
                        "issuer.webhook_secrets: " + s.file.string() + " is not a whsec_ secret");
    }
    keys.webhook_secrets.emplace_back(s.issuer_id, std::move(*bytes));
  }
  return keys;
}

}  // namespace c2p::sim
