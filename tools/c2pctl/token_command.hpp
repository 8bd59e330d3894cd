#pragma once
// `c2pctl token [--sandbox DIR] [--issuer ID] [--key FILE] [--url URL] [--assertion-only]`:
// signs an RFC 7523 assertion (ES256, iss = sub = issuerId, 5 minutes, a fresh jti) with
// the issuer's private key, exchanges it at c2p's token endpoint and prints the access
// token, as an issuer backend does. With --assertion-only it prints the assertion instead
// and calls nothing.
//
// Where every API command goes (the "target"): --url, --issuer and --key name any
// deployment; whatever is not given comes from the sandbox's sandbox.json (--sandbox DIR,
// default var/sandbox): baseUrl, issuerId (or --issuer among otherIssuers) and that
// issuer's issuerSigningKey.

#include <ostream>
#include <string>

#include "core/error.hpp"

namespace CLI {
class App;
}

namespace c2p::ctl {

struct TokenOptions {
  std::string sandbox = "var/sandbox";
  std::string issuer;  // empty: sandbox.json's issuerId
  std::string key;     // empty: the issuer's issuerSigningKey in sandbox.json
  std::string url;     // empty: sandbox.json's baseUrl
  bool assertion_only = false;
};

// The options with url and issuer filled in from sandbox.json where they were not given.
// kConfigInvalid, saying what to give instead, when they are needed and sandbox.json
// cannot be read.
core::Result<TokenOptions> ResolveTarget(const TokenOptions& options);

int RunToken(const TokenOptions& options, std::ostream& out, std::ostream& err);

// The signed assertion exchanged for an access token, as RunToken does (ignores
// assertion_only; resolves the target first). Errors carry a message for the command
// line; a refusal by the token endpoint is kUnauthorized (exit 3, cli.hpp).
core::Result<std::string> FetchAccessToken(const TokenOptions& options);

// --sandbox, --issuer, --key and --url, for every command that gets a token first.
void AddTokenOptions(CLI::App& cmd, TokenOptions& t);

void AddTokenCommand(CLI::App& app, int& exit_code, std::ostream& out, std::ostream& err);

}  // namespace c2p::ctl
