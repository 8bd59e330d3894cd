#include "tools/c2pctl/card_command.hpp"

#include <CLI/CLI.hpp>

#include <optional>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "core/secret_bytes.hpp"
#include "jose/jwe.hpp"
#include "jose/jwk.hpp"
#include "jose/key_file.hpp"
#include "jose/rsa_key.hpp"
#include "tools/c2pctl/cli.hpp"
#include "tools/c2pctl/sandbox_material.hpp"

namespace c2p::ctl {

namespace {
constexpr std::string_view kCommand = "c2pctl encrypt-card";
}  // namespace

core::Result<std::string> EncryptCard(const EncryptCardOptions& options) {
  std::optional<jose::EcKey> sandbox_key;
  if (options.key.empty()) {
    auto material = ReadSandboxMaterial(options.sandbox, "");
    if (!material) {
      return core::Fail(material.error().code,
                        material.error().message +
                            ": give c2p's public encryption JWK with --encryption-key, or "
                            "--sandbox DIR of a sandbox");
    }
    sandbox_key = std::move(material->encryption_key);
  }
  // The plaintext is built in memory that is wiped afterwards. No check of the card data
  // here: c2p is the judge, and a tool that sends bad cards on purpose is useful.
  boost::json::object card{{"pan", options.pan}, {"exp", options.exp}};
  if (!options.name.empty()) card["name"] = options.name;
  std::string text = boost::json::serialize(card);
  core::SecretBytes plaintext(text);
  core::SecureWipe(text.data(), text.size());
  for (auto& member : card) {
    auto& value = member.value().as_string();
    core::SecureWipe(value.data(), value.size());
  }

  if (sandbox_key) return jose::EncryptEcdhEs(plaintext.view(), *sandbox_key);
  const std::filesystem::path key_path(options.key);
  auto jwk = jose::ReadJwkFile(key_path);
  if (!jwk) return tl::unexpected(jwk.error());
  const auto kty = jwk->if_contains("kty");
  if (kty != nullptr && kty->is_string() && kty->as_string() == "RSA") {
    auto key = jose::RsaKey::FromJwk(*jwk);
    if (!key) {
      return core::Fail(key.error().code, key_path.string() + ": " + key.error().message);
    }
    return jose::EncryptRsaOaep256(plaintext.view(), *key);
  }
  auto key = jose::EcKey::FromJwk(*jwk);
  if (!key) return core::Fail(key.error().code, key_path.string() + ": " + key.error().message);
  return jose::EncryptEcdhEs(plaintext.view(), *key);
}

int RunEncryptCard(const EncryptCardOptions& options, std::ostream& out, std::ostream& err) {
  auto jwe = EncryptCard(options);
  if (!jwe) {
    err << kCommand << ": " << jwe.error().message << "\n";
    return ExitFor(jwe.error());
  }
  out << *jwe << "\n";
  return kExitOk;
}

void AddEncryptCardCommand(CLI::App& app, int& exit_code, std::ostream& out, std::ostream& err) {
  auto options = std::make_shared<EncryptCardOptions>();
  CLI::App* cmd = app.add_subcommand(
      "encrypt-card", "Print the encryptedData JWE of a card for c2p's public encryption key");
  cmd->add_option("--pan", options->pan, "Card number (test cards only: argv is visible)")
      ->required();
  cmd->add_option("--exp", options->exp, "Expiry, MMYY")->required();
  cmd->add_option("--name", options->name, "Cardholder name (optional)");
  cmd->add_option("--encryption-key,--key", options->key,
                  "c2p's public encryption JWK, EC or RSA (default: sandbox.json's "
                  "encryptionKey)");
  cmd->add_option("--sandbox", options->sandbox, "Sandbox directory (sandbox.json)")
      ->capture_default_str();
  cmd->callback(
      [options, &exit_code, &out, &err] { exit_code = RunEncryptCard(*options, out, err); });
}

}  // namespace c2p::ctl
