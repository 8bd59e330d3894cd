#include "tools/c2pctl/issuer_api.hpp"

#include <CLI/CLI.hpp>

#include <fstream>
#include <sstream>

#include <boost/json/parse.hpp>

#include "core/strict_json.hpp"
#include "tools/c2pctl/batch_protocol.hpp"
#include "tools/c2pctl/cli.hpp"
#include "tools/c2pctl/http_call.hpp"

namespace c2p::ctl {

namespace json = boost::json;

void AddApiOptions(CLI::App& cmd, ApiOptions& options) {
  AddTokenOptions(cmd, options.token);
  cmd.add_flag("--json", options.json, "Print c2p's answer as received (for scripts)");
}

CLI::Validator PathId(std::size_t max_size) {
  return CLI::Validator(
      [max_size](const std::string& id) {
        return IsPathSafeId(id, max_size) ? std::string()
                                          : "must be 1 to " + std::to_string(max_size) +
                                                " of A-Z a-z 0-9 _ -";
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
  if (code == "AUTHORIZER_UNAUTHORIZED") {
    return "get a fresh token: check --issuer and --key (the issuer's onboarded signing key)";
  }
  if (code == "ISSUER_MISMATCH") return "the token is another issuer's: check --issuer";
  if (code == "CARD_NOT_FOUND") return "register the card first: c2pctl register-card";
  if (code == "CONSUMER_NOT_FOUND") {
    return "register the consumer first: c2pctl register-consumer";
  }
  if (code == "OPERATION_NOT_FOUND") {
    return "list the operations: c2pctl op list --card-id ID (or --consumer-id ID)";
  }
  if (code == "ALREADY_ENROLLED") {
    return "the card is enrolled or being enrolled: c2pctl op list --card-id ID";
  }
  if (code == "NOT_ENROLLED") return "enrol it first: c2pctl enrol --card-id ID";
  if (code == "OPERATION_IN_PROGRESS") {
    return "wait for the pending operation: c2pctl op list, then c2pctl op watch OPERATION_ID";
  }
  if (code == "INVALID_STATE") {
    return "the card or consumer is not ACTIVE: see c2p's message, change its state first";
  }
  if (code == "IDEMPOTENCY_KEY_REUSED") {
    return "the Idempotency-Key was used for another request: use a new key";
  }
  if (code == "IDEMPOTENCY_KEY_IN_USE") {
    return "the first request with this key is still running: retry in a moment";
  }
  if (code == "RATE_LIMITED") return "slow down: retry after the Retry-After delay";
  if (code == "FIELD_INVALID_FORMAT" || code == "INVALID_JSON") {
    return "fix the field c2p names (spec/api.md §1 has the formats)";
  }
  if (code == "INVALID_CARD_DATA") return "check the PAN (Luhn) and the expiry (MMYY, not past)";
  if (code == "INVALID_CARD_PRODUCT") {
    return "check --product: it must exist and its BIN ranges cover the PAN";
  }
  if (code == "INVALID_ENCRYPTED_DATA") {
    return "encrypt to c2p's current public key (--encryption-key or the sandbox's)";
  }
  if (code == "PAN_ALREADY_REGISTERED") {
    return "the PAN is registered under another cardId: use that card";
  }
  if (code == "CARD_ID_IN_USE") return "the cardId holds another PAN: choose another cardId";
  return {};
}

std::string Printable(std::string_view text) {
  std::string line;
  line.reserve(text.size());
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    line.push_back(u >= 0x20 && u < 0x7f ? c : '?');
  }
  return line;
}

namespace {

// c2p's error body (spec/api.md §2): errorCode, error, field; or the token endpoint's
// {"error": "invalid_grant"}. Neither carries card or personal data.
std::string DescribeRefusal(const http::ClientResponse& response, std::string& code) {
  boost::system::error_code ec;
  const json::value body = json::parse(response.body, ec);
  std::string text = std::to_string(response.status);
  if (ec || !body.is_object()) return text;
  const json::object& o = body.as_object();
  auto str = [&](std::string_view key) {
    const json::value* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? Printable(v->as_string()) : std::string();
  };
  code = str("errorCode");
  if (!code.empty()) text += " " + code;
  if (const std::string message = str("error"); !message.empty()) text += ": " + message;
  if (const std::string field = str("field"); !field.empty()) text += " (field " + field + ")";
  return text;
}

}  // namespace

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
  const std::string described = DescribeRefusal(*result, code);
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
