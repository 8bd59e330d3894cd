#include "tools/c2pctl/token_command.hpp"

#include <CLI/CLI.hpp>

#include <chrono>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/ids.hpp"
#include "jose/jwk.hpp"
#include "jose/jws.hpp"
#include "jose/key_file.hpp"
#include "tools/c2pctl/cli.hpp"
#include "tools/c2pctl/http_call.hpp"
#include "tools/c2pctl/issuer_api.hpp"
#include "tools/c2pctl/sandbox_material.hpp"

namespace c2p::ctl {

namespace {

constexpr std::string_view kCommand = "c2pctl token";
constexpr std::int64_t kAssertionLifetimeS = 300;

std::string SignAssertion(const jose::EcKey& key, const std::string& issuer) {
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  const boost::json::object claims{{"iss", issuer},
                                   {"sub", issuer},
                                   {"iat", now},
                                   {"exp", now + kAssertionLifetimeS},
                                   {"jti", core::NewRandomId()}};
  jose::JwsSignOptions options;
  // The kid c2p looks the key up by: the JWK's own, else its thumbprint (what c2p uses
  // for a key onboarded without one).
  options.kid = key.kid().empty() ? key.Thumbprint() : key.kid();
  options.extra_header = {{"typ", "JWT"}};
  return jose::SignEs256(boost::json::serialize(claims), key, options);
}

// application/x-www-form-urlencoded value: the assertion is base64url and dots, which
// need no escaping; only the grant type's colons do.
constexpr std::string_view kGrantForm =
    "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=";

}  // namespace

namespace {

core::Result<std::string> SignedAssertion(const TokenOptions& options) {
  if (options.key.empty()) {
    // The sandbox's own copy of the issuer's key.
    auto material = ReadSandboxMaterial(options.sandbox, options.issuer);
    if (!material) return tl::unexpected(material.error());
    return SignAssertion(material->signing_key, material->issuer_id);
  }
  const std::filesystem::path key_path(options.key);
  auto jwk = jose::ReadJwkFile(key_path);
  if (!jwk) return tl::unexpected(jwk.error());
  auto key = jose::EcKey::FromJwk(*jwk);
  jose::WipeJwkSecrets(*jwk);
  if (!key || !key->has_private()) {
    return core::Fail(core::ErrorCode::kConfigInvalid,
                      key_path.string() +
                          " is not a P-256 private key (give the issuer's "
                          "ES256 signing JWK with --key)");
  }
  return SignAssertion(*key, options.issuer);
}

}  // namespace

core::Result<TokenOptions> ResolveTarget(const TokenOptions& options) {
  TokenOptions resolved = options;
  if (!resolved.url.empty() && !resolved.issuer.empty()) return resolved;
  auto material = ReadSandboxMaterial(options.sandbox, options.issuer);
  if (!material) {
    return core::Fail(core::ErrorCode::kConfigInvalid,
                      "no --url or --issuer, and the sandbox cannot be read (" +
                          material.error().message +
                          "): give --url URL --issuer ID --key FILE for a deployment, or "
                          "--sandbox DIR of a sandbox started with `c2pd sandbox`");
  }
  if (resolved.issuer.empty()) resolved.issuer = material->issuer_id;
  if (resolved.url.empty()) resolved.url = material->base_url;
  if (resolved.url.empty()) {
    return core::Fail(core::ErrorCode::kConfigInvalid,
                      options.sandbox + "/sandbox.json has no baseUrl: give --url");
  }
  return resolved;
}

core::Result<std::string> FetchAccessToken(const TokenOptions& options) {
  auto target = ResolveTarget(options);
  if (!target) return tl::unexpected(target.error());
  auto assertion = SignedAssertion(*target);
  if (!assertion) return assertion;
  http::ClientRequest request;
  request.method = "POST";
  request.url = target->url + "/authz/v1/oauth2/token";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  request.body = std::string(kGrantForm) + *assertion;
  auto response = CallOnce(std::move(request));
  if (!response) {
    return core::Fail(core::ErrorCode::kIo, target->url + ": " + response.error().message +
                                                ": is c2pd running there? (`make run` starts "
                                                "the sandbox)");
  }
  boost::system::error_code ec;
  const auto body = boost::json::parse(response->body, ec);
  if (response->status >= 400 && response->status < 500) {
    // RFC 6749 §5.2: {"error": "invalid_grant"}; the body names no secret.
    return core::Fail(core::ErrorCode::kUnauthorized,
                      "the token endpoint refused the assertion (" +
                          std::to_string(response->status) + " " + response->body +
                          "): check that --issuer is the issuer's id and --key its onboarded "
                          "ES256 signing key");
  }
  if (response->status != 200 || ec || !body.is_object() ||
      !body.as_object().contains("access_token") || !body.at("access_token").is_string()) {
    return core::Fail(core::ErrorCode::kIo, "the token endpoint answered " +
                                                std::to_string(response->status) +
                                                " without an access token: see c2pd's log");
  }
  return std::string(body.at("access_token").as_string());
}

int RunToken(const TokenOptions& options, std::ostream& out, std::ostream& err) {
  if (options.assertion_only) {
    auto target = ResolveTarget(options);
    auto assertion = target ? SignedAssertion(*target)
                            : core::Result<std::string>(tl::unexpected(target.error()));
    if (!assertion) {
      err << kCommand << ": " << assertion.error().message << "\n";
      return ExitFor(assertion.error());
    }
    out << *assertion << "\n";
    return kExitOk;
  }
  auto token = FetchAccessToken(options);
  if (!token) {
    err << kCommand << ": " << token.error().message << "\n";
    return ExitFor(token.error());
  }
  out << *token << "\n";
  return kExitOk;
}

void AddTokenOptions(CLI::App& cmd, TokenOptions& t) {
  cmd.add_option("--sandbox", t.sandbox,
                 "Sandbox directory: what --url, --issuer and --key leave out comes from its "
                 "sandbox.json")
      ->capture_default_str();
  cmd.add_option("--issuer", t.issuer, "issuerId (default: sandbox.json's issuerId)")
      ->check(PathId(64));
  cmd.add_option("--key", t.key,
                 "Issuer's private ES256 signing JWK (default: the issuer's key in "
                 "sandbox.json)");
  cmd.add_option("--url", t.url, "c2p base URL (default: sandbox.json's baseUrl)");
}

void AddTokenCommand(CLI::App& app, int& exit_code, std::ostream& out, std::ostream& err) {
  auto options = std::make_shared<TokenOptions>();
  CLI::App* cmd =
      app.add_subcommand("token", "Get an access token with a signed JWT assertion (RFC 7523)");
  AddTokenOptions(*cmd, *options);
  cmd->add_flag("--assertion-only", options->assertion_only,
                "Print the signed assertion; call nothing");
  cmd->callback([options, &exit_code, &out, &err] { exit_code = RunToken(*options, out, err); });
}

}  // namespace c2p::ctl
