#include "tools/c2pctl/click_to_pay_commands.hpp"

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "tools/c2pctl/batch_protocol.hpp"
#include "tools/c2pctl/cli.hpp"
#include "tools/c2pctl/human_output.hpp"
#include "tools/c2pctl/issuer_api.hpp"
#include "tools/c2pctl/operation_watch.hpp"

namespace c2p::ctl {

namespace json = boost::json;

namespace {

enum class Kind { kEnrol, kUpdateCard, kUpdateConsumer, kOptOut };

struct WriteOptions {
  ApiOptions api;
  std::string card_id;
  std::string consumer_id;
  std::string name;
  std::string consumer_info;    // file
  std::string billing_address;  // file
  std::string reason;
  std::string reason_code;
  std::string idempotency_key;
  bool watch = false;
  double timeout_s = 300;
};

struct ProfilesOptions {
  ApiOptions api;
  std::string consumer_id;
};

std::string_view CommandName(Kind kind) {
  switch (kind) {
    case Kind::kEnrol:
      return "c2pctl enrol";
    case Kind::kUpdateCard:
      return "c2pctl update-card";
    case Kind::kUpdateConsumer:
      return "c2pctl update-consumer";
    case Kind::kOptOut:
      return "c2pctl opt-out";
  }
  return "c2pctl";
}

// The operation's path below the issuer: cards/{id}/operations:NAME or consumers/….
std::string OperationPath(Kind kind, const WriteOptions& o) {
  const bool card = !o.card_id.empty();
  std::string owner = card ? "/cards/" + o.card_id : "/consumers/" + o.consumer_id;
  switch (kind) {
    case Kind::kEnrol:
      return owner + "/operations:clickToPayEnrolment";
    case Kind::kUpdateCard:
    case Kind::kUpdateConsumer:
      return owner + "/operations:clickToPayUpdate";
    case Kind::kOptOut:
      return owner + "/operations:clickToPayOptOut";
  }
  return owner;
}

// The request body; kConfigInvalid for a file that cannot be used.
core::Result<json::object> Body(const WriteOptions& o) {
  json::object body;
  if (!o.name.empty()) body["name"] = o.name;
  if (!o.consumer_info.empty()) {
    auto info = ReadJsonObjectFile(o.consumer_info);
    if (!info) return tl::unexpected(info.error());
    body["consumerInfo"] = std::move(*info);
  }
  if (!o.billing_address.empty()) {
    auto address = ReadJsonObjectFile(o.billing_address);
    if (!address) return tl::unexpected(address.error());
    body["billingAddress"] = std::move(*address);
  }
  if (!o.reason.empty()) body["reason"] = o.reason;
  if (!o.reason_code.empty()) body["reasonCode"] = o.reason_code;
  return body;
}

// The operation id of a §5.1 answer, empty when there is none.
std::string OperationIdOf(const std::string& body) {
  boost::system::error_code ec;
  const json::value value = json::parse(body, ec);
  if (ec || !value.is_object()) return {};
  const json::value* id = value.as_object().if_contains("operationId");
  return id != nullptr && id->is_string() ? std::string(id->as_string()) : std::string();
}

std::string Scope(const WriteOptions& o) {
  return !o.card_id.empty() ? " --card-id " + o.card_id : " --consumer-id " + o.consumer_id;
}

int RunWrite(Kind kind, const WriteOptions& o, std::ostream& out, std::ostream& err) {
  const std::string_view command = CommandName(kind);
  if (kind == Kind::kUpdateCard && o.name.empty() && o.billing_address.empty()) {
    err << command << ": give --name or --billing-address (or both): what is to change\n";
    return kExitUsage;
  }
  if (kind == Kind::kOptOut && o.card_id.empty() == o.consumer_id.empty()) {
    err << command
        << ": give --card-id (opts the card out) or --consumer-id (the whole "
           "profile), one of them\n";
    return kExitUsage;
  }
  auto body = Body(o);
  if (!body) return ReportError(command, body.error(), err);
  auto api = IssuerApi::Connect(o.api.token);
  if (!api) return ReportError(command, api.error(), err);
  const std::string base = api->IssuerPath("v1");
  const auto answer =
      api->Call("POST", base + OperationPath(kind, o), json::serialize(*body), o.idempotency_key);
  if (!answer || ExitForStatus(answer->status) != kExitOk || !o.watch) {
    const int code =
        ReportCall(command, api->target().url, answer, o.api.json, DescribeOperation, out, err);
    if (code == kExitOk && !o.api.json) {
      if (const std::string id = OperationIdOf(answer->body); !id.empty()) {
        err << "follow it: c2pctl op watch " << id << Scope(o) << "\n";
      }
    }
    return code;
  }
  const std::string id = OperationIdOf(answer->body);
  if (id.empty() || !IsPathSafeId(id, 64)) {
    err << command << ": c2p answered " << answer->status
        << " without an operationId; --json prints the answer as received\n";
    return kExitFailure;
  }
  WatchOptions watch;
  watch.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::duration<double>(o.timeout_s));
  watch.json = o.api.json;
  watch.again = "c2pctl op watch " + id + Scope(o);
  const std::string getter =
      base + (!o.card_id.empty() ? "/cards/" + o.card_id : "/consumers/" + o.consumer_id) +
      "/operations/" + id;
  return WatchOperation(
      [&](std::chrono::seconds wait) {
        return api->Call("GET", getter + "?wait=" + std::to_string(wait.count()), {}, {},
                         wait + std::chrono::seconds(10));
      },
      [&] { return api->Renew(); }, watch, command, api->target().url, out, err);
}

int RunProfiles(const ProfilesOptions& o, std::ostream& out, std::ostream& err) {
  constexpr std::string_view kCommand = "c2pctl profiles";
  auto api = IssuerApi::Connect(o.api.token);
  if (!api) return ReportError(kCommand, api.error(), err);
  // c2p asks every directory in parallel, each with its own timeout.
  const auto answer = api->Call(
      "GET", api->IssuerPath("v1") + "/consumers/" + o.consumer_id + "/clickToPayProfiles", {}, {},
      std::chrono::seconds(60));
  return ReportCall(kCommand, api->target().url, answer, o.api.json, DescribeProfiles, out, err);
}

void AddWriteOptions(CLI::App& cmd, WriteOptions& o) {
  AddApiOptions(cmd, o.api);
  cmd.add_option("--reason", o.reason, "reason, stored and echoed on the operation");
  cmd.add_option("--reason-code", o.reason_code, "reasonCode")
      ->check(CLI::IsMember({"ISSUER_DECISION", "USER_DECISION"}));
  cmd.add_option("--idempotency-key", o.idempotency_key, "Idempotency-Key header");
  cmd.add_flag("--watch", o.watch, "Follow the operation until it is terminal");
  cmd.add_option("--timeout", o.timeout_s, "Seconds --watch follows it")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
}

void AddWrite(CLI::App& app, Kind kind, const std::string& name, const std::string& description,
              int& exit_code, std::ostream& out, std::ostream& err) {
  auto o = std::make_shared<WriteOptions>();
  CLI::App* cmd = app.add_subcommand(name, description);
  AddWriteOptions(*cmd, *o);
  switch (kind) {
    case Kind::kEnrol:
      cmd->add_option("--card-id", o->card_id, "cardId")->required()->check(PathId(48));
      cmd->add_option("--name", o->name, "Cardholder name for Click to Pay (Visa uses it)");
      cmd->add_option("--consumer-info", o->consumer_info,
                      "JSON file: consumerInfo (default: the stored or fetched one)");
      cmd->add_option("--billing-address", o->billing_address,
                      "JSON file: billingAddress (default: the stored or fetched one)");
      break;
    case Kind::kUpdateCard:
      cmd->add_option("--card-id", o->card_id, "cardId")->required()->check(PathId(48));
      cmd->add_option("--name", o->name, "New cardholder name (Visa only)");
      cmd->add_option("--billing-address", o->billing_address, "JSON file: billingAddress");
      break;
    case Kind::kUpdateConsumer:
      cmd->add_option("--consumer-id", o->consumer_id, "consumerId")->required()->check(PathId(64));
      cmd->add_option("--consumer-info", o->consumer_info,
                      "JSON file: consumerInfo (replaces it in every network)")
          ->required();
      cmd->add_option("--billing-address", o->billing_address,
                      "JSON file: billingAddress for all the consumer's enrolled cards");
      break;
    case Kind::kOptOut:
      cmd->add_option("--card-id", o->card_id, "cardId: opt this card out")->check(PathId(48));
      cmd->add_option("--consumer-id", o->consumer_id,
                      "consumerId: delete the consumer's whole profile")
          ->check(PathId(64));
      break;
  }
  cmd->callback([kind, o, &exit_code, &out, &err] { exit_code = RunWrite(kind, *o, out, err); });
}

}  // namespace

void AddClickToPayCommands(CLI::App& app, int& exit_code, std::ostream& out, std::ostream& err) {
  AddWrite(app, Kind::kEnrol, "enrol", "Enrol a card in Click to Pay (one card per call)",
           exit_code, out, err);
  AddWrite(app, Kind::kUpdateCard, "update-card",
           "Update a card's Click to Pay data (name, billing address)", exit_code, out, err);
  AddWrite(app, Kind::kUpdateConsumer, "update-consumer",
           "Replace a consumer's Click to Pay data in every network", exit_code, out, err);
  AddWrite(app, Kind::kOptOut, "opt-out", "Opt a card, or a consumer's whole profile, out",
           exit_code, out, err);

  auto profiles = std::make_shared<ProfilesOptions>();
  CLI::App* p =
      app.add_subcommand("profiles", "A consumer's Click to Pay profiles, read from the networks");
  AddApiOptions(*p, profiles->api);
  p->add_option("--consumer-id", profiles->consumer_id, "consumerId")
      ->required()
      ->check(PathId(64));
  p->callback([profiles, &exit_code, &out, &err] { exit_code = RunProfiles(*profiles, out, err); });
}

}  // namespace c2p::ctl
