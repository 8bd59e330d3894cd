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
  const std::filesystem::path key_path =
      options.key.empty()
          ? std::filesystem::path(options.sandbox) / "issuers" / (options.issuer + "-signing.jwk")
          : std::filesystem::path(options.key);
  auto jwk = jose::ReadJwkFile(key_path);
  if (!jwk) return tl::unexpected(jwk.error());
  auto key = jose::EcKey::FromJwk(*jwk);
  jose::WipeJwkSecrets(*jwk);
  if (!key || !key->has_private()) {
    return core::Fail(core::ErrorCode::kConfigInvalid,
                      key_path.string() + " is not a P-256 private key");
  }
  return SignAssertion(*key, options.issuer);
}

}  // namespace

core::Result<std::string> FetchAccessToken(const TokenOptions& options) {
  auto assertion = SignedAssertion(options);
  if (!assertion) return assertion;
  http::ClientRequest request;
  request.method = "POST";
  request.url = options.url + "/authz/v1/oauth2/token";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  request.body = std::string(kGrantForm) + *assertion;
  auto response = CallOnce(std::move(request));
  if (!response) {
    return core::Fail(core::ErrorCode::kIo, options.url + ": " + response.error().message);
  }
  boost::system::error_code ec;
  const auto body = boost::json::parse(response->body, ec);
  if (response->status != 200 || ec || !body.is_object() ||
      !body.as_object().contains("access_token") || !body.at("access_token").is_string()) {
    return core::Fail(
        core::ErrorCode::kIo,
        "token endpoint answered " + std::to_string(response->status) + ": " + response->body);
  }
  return std::string(body.at("access_token").as_string());
}

int RunToken(const TokenOptions& options, std::ostream& out, std::ostream& err) {
  if (options.assertion_only) {
    auto assertion = SignedAssertion(options);
    if (!assertion) {
      err << kCommand << ": " << assertion.error().message << "\n";
      return kExitFailure;
    }
    out << *assertion << "\n";
    return kExitOk;
  }
  auto token = FetchAccessToken(options);
  if (!token) {
    err << kCommand << ": " << token.error().message << "\n";
    return kExitFailure;
  }
  out << *token << "\n";
  return kExitOk;
}

void AddTokenOptions(CLI::App& cmd, TokenOptions& t) {
  cmd.add_option("--sandbox", t.sandbox, "Sandbox directory (keys)")->capture_default_str();
  cmd.add_option("--issuer", t.issuer, "issuerId")->capture_default_str();
  cmd.add_option("--key", t.key,
                 "Issuer's private signing JWK (default: <sandbox>/issuers/<issuer>-signing.jwk)");
  cmd.add_option("--url", t.url, "c2p base URL")->capture_default_str();
}

void AddTokenCommand(CLI::App& app, int& exit_code, std::ostream& out, std::ostream& err) {
  auto options = std::make_shared<TokenOptions>();
  CLI::App* cmd =
      app.add_subcommand("token", "Get an access token with a signed JWT assertion (RFC 7523)");
  cmd->add_option("--sandbox", options->sandbox, "Sandbox directory (issuer keys)")
      ->capture_default_str();
  cmd->add_option("--issuer", options->issuer, "issuerId (iss and sub)")->capture_default_str();
  cmd->add_option("--key", options->key,
                  "Issuer's private signing JWK (default: <sandbox>/issuers/<issuer>-signing.jwk)");
  cmd->add_option("--url", options->url, "c2p base URL")->capture_default_str();
  cmd->add_flag("--assertion-only", options->assertion_only,
                "Print the signed assertion; call nothing");
  cmd->callback([options, &exit_code, &out, &err] { exit_code = RunToken(*options, out, err); });
}

}  // namespace c2p::ctl
