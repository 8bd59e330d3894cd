#pragma once
// The one way c2pctl's API commands talk to c2p as an issuer: the target resolved from the
// command line and sandbox.json (token_command.hpp), an access token got once, and calls
// under /banking/…/issuers/{issuerId}. Plus the one way to tell the user what c2p
// answered: the exit code (cli.hpp), c2p's errorCode and a next step for a refusal, a
// hint for an unreachable c2p.

#include <chrono>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "core/error.hpp"
#include "http/client.hpp"
#include "tools/c2pctl/token_command.hpp"

namespace CLI {
class App;
class Validator;
}  // namespace CLI

namespace c2p::ctl {

// The options of every command that calls c2p's API as an issuer.
struct ApiOptions {
  TokenOptions token;
  bool json = false;  // print c2p's body as received
};

// --sandbox, --issuer, --key, --url and --json.
void AddApiOptions(CLI::App& cmd, ApiOptions& options);

// An id that goes into a URL path as is: 1 to `max_size` of [A-Za-z0-9_-] (spec/api.md §1).
CLI::Validator PathId(std::size_t max_size);

// A JSON object from a file the user named (consumer information, a billing address).
// kConfigInvalid naming the file, never quoting it: it holds personal data.
core::Result<boost::json::object> ReadJsonObjectFile(const std::string& path);

class IssuerApi {
 public:
  // Resolves the target and gets an access token.
  static core::Result<IssuerApi> Connect(const TokenOptions& options);

  const TokenOptions& target() const { return target_; }
  // "/banking/v1/issuers/{issuerId}" for version "v1".
  std::string IssuerPath(std::string_view version) const;

  // One call; `path` starts with '/'. A JSON body is sent as application/json.
  http::ClientResult Call(const std::string& method, const std::string& path,
                          const std::string& body = {}, const std::string& idempotency_key = {},
                          std::chrono::milliseconds timeout = std::chrono::milliseconds{0});

  // A new access token (they expire long before a long wait ends).
  core::Result<void> Renew();

 private:
  IssuerApi(TokenOptions target, std::string token)
      : target_(std::move(target)), token_(std::move(token)) {}
  TokenOptions target_;
  std::string token_;
};

// What to do next after c2p refused a request with `error_code` (spec/api.md §2); empty
// when there is nothing useful to add.
std::string_view NextStep(std::string_view error_code);

// Prints what went wrong with a call and returns its exit code: for a transport error a
// hint (is c2pd running?), exit 1; for a 4xx, "refused (STATUS ERROR_CODE): message" and
// the next step, exit 3; anything else, exit 1. With `json`, c2p's body also goes to
// `out` as received (a script reads errorCode from it).
int ReportFailedCall(std::string_view command, const std::string& url,
                     const http::ClientResult& result, bool json, std::ostream& out,
                     std::ostream& err);

// Prints a 2xx answer: the body as received with `json`, else `describe(body)` (a human
// description; empty: the body is not what c2p sends, exit 1). Anything else goes to
// ReportFailedCall.
using Describe = std::function<std::string(std::string_view body)>;
int ReportCall(std::string_view command, const std::string& url, const http::ClientResult& result,
               bool json, const Describe& describe, std::ostream& out, std::ostream& err);

// Prints a local or token error ("command: message") and returns ExitFor(error).
int ReportError(std::string_view command, const core::Error& error, std::ostream& err);

}  // namespace c2p::ctl
