#include "tools/c2pctl/issuer_api.hpp"

#include <CLI/CLI.hpp>

#include <fstream>
#include <sstream>
#include <utility>

#include <boost/json/parse.hpp>

#include "core/strict_json.hpp"
#include "tools/c2pctl/batch_protocol.hpp"
#include "tools/c2pctl/cli.hpp"
#include "tools/c2pctl/http_call.hpp"
#include "tools/c2pctl/human_output.hpp"

namespace c2p::ctl {

namespace json = boost::json;

void AddApiOptions(CLI::App& cmd, ApiOptions& options) {
  AddTokenOptions(cmd, options.token);
  cmd.add_flag("--json", options.json, "Print c2p's answer as received (for scripts)");
}

CLI::Validator PathId(std::size_t max_size) {
  return CLI::Validator(
      [max_size](const std::string& id) {
        return IsPathSafeId(id, max_size)
                   ? std::string()
                   : "must be 1 to " + std::to_string(max_size) + " of A-Z a-z 0-9 _ -";
      },
      "ID");
}

core::Result<json::object> ReadJsonObjectFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return core::Fail(core::ErrorCode::kConfigInvalid, path + ": cannot read the file");
  auto value = core::ParseStrictJson(text.str());
  if (!value || !value->is_object()) {
    return core::Fail(core::ErrorCode::kConfigInvalid,
                      path + ": not a JSON object" +
                          (value ? std::string() : " (" + value.error().message + ")"));
  }
  return std::move(value->as_object());
}

core::Result<IssuerApi> IssuerApi::Connect(const TokenOptions& options) {
  auto target = ResolveTarget(options);
  if (!target) return tl::unexpected(target.error());
  auto token = FetchAccessToken(*target);
  if (!token) return tl::unexpected(token.error());
  return IssuerApi(std::move(*target), std::move(*token));
}

std::string IssuerApi::IssuerPath(std::string_view version) const {
  return "/banking/" + std::string(version) + "/issuers/" + target_.issuer;
}

http::ClientResult IssuerApi::Call(const std::string& method, const std::string& path,
                                   const std::string& body, const std::string& idempotency_key,
                                   std::chrono::milliseconds timeout) {
  http::ClientRequest request;
  request.method = method;
  request.url = target_.url + path;
  request.headers = {{"Authorization", "Bearer " + token_}};
  if (method != "GET") request.headers.emplace_back("Content-Type", "application/json");
  if (!idempotency_key.empty()) request.headers.emplace_back("Idempotency-Key", idempotency_key);
  request.body = body;
  request.timeout = timeout;
  return CallOnce(std::move(request));
}

core::Result<void> IssuerApi::Renew() {
  auto token = FetchAccessToken(target_);
  if (!token) return tl::unexpected(token.error());
  token_ = std::move(*token);
  return {};
}

std::string_view NextStep(std::string_view code) {
  // What to run or check next; c2p's own message already says what is wrong.
  static constexpr std::pair<std::string_view, std::string_view> kNext[] = {
      {"AUTHORIZER_UNAUTHORIZED", "check --issuer and --key (the issuer's onboarded key)"},
      {"ISSUER_MISMATCH", "check --issuer: the token is another issuer's"},
      {"CARD_NOT_FOUND", "register it first: c2pctl register-card"},
      {"CONSUMER_NOT_FOUND", "register it first: c2pctl register-consumer"},
      {"OPERATION_NOT_FOUND", "find it: c2pctl op list --card-id ID (or --consumer-id ID)"},
      {"ALREADY_ENROLLED", "see its state: c2pctl op list --card-id ID"},
      {"NOT_ENROLLED", "enrol it first: c2pctl enrol --card-id ID"},
      {"OPERATION_IN_PROGRESS", "wait for it: c2pctl op list, then c2pctl op watch OPERATION_ID"},
      {"INVALID_STATE", "make the card or consumer ACTIVE first"},
      {"IDEMPOTENCY_KEY_REUSED", "use a new --idempotency-key for a different request"},
      {"IDEMPOTENCY_KEY_IN_USE", "retry in a moment: the first request is still running"},
      {"RATE_LIMITED", "retry after the Retry-After delay"},
      {"FIELD_INVALID_FORMAT", "fix the field named (formats: spec/api.md §1)"},
      {"INVALID_JSON", "fix the JSON file given"},
      {"INVALID_CARD_DATA", "check the PAN (Luhn) and the expiry (MMYY, not past)"},
      {"INVALID_CARD_PRODUCT", "check --product and that its BIN ranges cover the PAN"},
      {"INVALID_ENCRYPTED_DATA", "encrypt to c2p's current key (--encryption-key)"},
      {"PAN_ALREADY_REGISTERED", "use the card that holds this PAN"},
      {"CARD_ID_IN_USE", "choose another cardId"},
  };
  for (const auto& [known, next] : kNext) {
    if (known == code) return next;
  }
  return {};
}

int ReportFailedCall(std::string_view command, const std::string& url,
                     const http::ClientResult& result, bool json, std::ostream& out,
                     std::ostream& err) {
  if (!result) {
    err << command << ": " << url << ": " << result.error().message
        << ": is c2pd running there? (`make run` starts the sandbox; --url names another c2p)\n";
    return kExitFailure;
  }
  if (json) out << result->body << "\n";
  std::string code;
  const std::string described = DescribeErrorAnswer(result->status, result->body, code);
  const int exit_code = ExitForStatus(result->status);
  if (exit_code == kExitRefused) {
    err << command << ": refused (" << described << ")";
    if (const std::string_view next = NextStep(code); !next.empty()) err << "; " << next;
    if (code == "RATE_LIMITED" && !result->header("retry-after").empty()) {
      err << " (" << Printable(result->header("retry-after")) << " s)";
    }
    err << "\n";
    return kExitRefused;
  }
  err << command << ": c2p failed (" << described
      << "): retry later (a write with the same --idempotency-key is not done twice); if it "
         "persists, see c2pd's log\n";
  return kExitFailure;
}

int ReportCall(std::string_view command, const std::string& url, const http::ClientResult& result,
               bool json, const Describe& describe, std::ostream& out, std::ostream& err) {
  if (!result || ExitForStatus(result->status) != kExitOk) {
    return ReportFailedCall(command, url, result, json, out, err);
  }
  if (json) {
    out << result->body << "\n";
    return kExitOk;
  }
  const std::string text = describe(result->body);
  if (text.empty()) {
    err << command << ": c2p answered " << result->status
        << " with a body c2pctl does not understand; --json prints it as received\n";
    return kExitFailure;
  }
  out << text;
  return kExitOk;
}

int ReportError(std::string_view command, const core::Error& error, std::ostream& err) {
  err << command << ": " << error.message << "\n";
  return ExitFor(error);
}

}  // namespace c2p::ctl
