#pragma once
// `c2pctl token [--sandbox DIR] [--issuer ID] [--key FILE] [--url URL] [--assertion-only]`:
// signs an RFC 7523 assertion (ES256, iss = sub = issuerId, 5 minutes, a fresh jti) with
// the issuer's private key, exchanges it at c2p's token endpoint and prints the access
// token, as an issuer backend does. With --assertion-only it prints the assertion instead
// and calls nothing.

#include <ostream>
#include <string>

#include "core/error.hpp"

namespace CLI {
class App;
}

namespace c2p::ctl {

struct TokenOptions {
  std::string sandbox = "var/sandbox";
  std::string issuer = "SANDBOX001";
  std::string key;  // empty: <sandbox>/issuers/<issuer>-signing.jwk
  std::string url = "http://127.0.0.1:8080";
  bool assertion_only = false;
};

int RunToken(const TokenOptions& options, std::ostream& out, std::ostream& err);

// The signed assertion exchanged for an access token, as RunToken does (ignores
// assertion_only). Errors carry a message for the command line.
core::Result<std::string> FetchAccessToken(const TokenOptions& options);

// --sandbox, --issuer, --key and --url, for every command that gets a token first.
void AddTokenOptions(CLI::App& cmd, TokenOptions& t);

void AddTokenCommand(CLI::App& app, int& exit_code, std::ostream& out, std::ostream& err);

}  // namespace c2p::ctl
