#include "tools/c2pctl/op_command.hpp"

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "tools/c2pctl/cli.hpp"
#include "tools/c2pctl/human_output.hpp"
#include "tools/c2pctl/issuer_api.hpp"
#include "tools/c2pctl/operation_watch.hpp"

namespace c2p::ctl {

namespace {

struct OpOptions {
  ApiOptions api;
  std::string operation_id;
  std::string card_id;
  std::string consumer_id;
  int offset = 0;
  int limit = 10;
  double timeout_s = 300;
};

// The operations of the card, of the consumer, or (neither given) of the issuer.
std::string Owner(const OpOptions& o) {
  if (!o.card_id.empty()) return "/cards/" + o.card_id;
  if (!o.consumer_id.empty()) return "/consumers/" + o.consumer_id;
  return {};
}

std::string Scope(const OpOptions& o) {
  if (!o.card_id.empty()) return " --card-id " + o.card_id;
  if (!o.consumer_id.empty()) return " --consumer-id " + o.consumer_id;
  return {};
}

int RunGet(const OpOptions& o, std::ostream& out, std::ostream& err) {
  constexpr std::string_view kCommand = "c2pctl op get";
  auto api = IssuerApi::Connect(o.api.token);
  if (!api) return ReportError(kCommand, api.error(), err);
  const auto answer =
      api->Call("GET", api->IssuerPath("v1") + Owner(o) + "/operations/" + o.operation_id);
  return ReportCall(kCommand, api->target().url, answer, o.api.json, DescribeOperation, out, err);
}

int RunList(const OpOptions& o, std::ostream& out, std::ostream& err) {
  constexpr std::string_view kCommand = "c2pctl op list";
  if (o.card_id.empty() == o.consumer_id.empty()) {
    err << kCommand << ": give --card-id or --consumer-id, one of them\n";
    return kExitUsage;
  }
  auto api = IssuerApi::Connect(o.api.token);
  if (!api) return ReportError(kCommand, api.error(), err);
  const auto answer = api->Call("GET", api->IssuerPath("v1") + Owner(o) +
                                           "/operations?offset=" + std::to_string(o.offset) +
                                           "&limit=" + std::to_string(o.limit));
  return ReportCall(kCommand, api->target().url, answer, o.api.json, DescribeOperations, out, err);
}

int RunWatch(const OpOptions& o, std::ostream& out, std::ostream& err) {
  constexpr std::string_view kCommand = "c2pctl op watch";
  auto api = IssuerApi::Connect(o.api.token);
  if (!api) return ReportError(kCommand, api.error(), err);
  WatchOptions watch;
  watch.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::duration<double>(o.timeout_s));
  watch.json = o.api.json;
  watch.again = "c2pctl op watch " + o.operation_id + Scope(o);
  const std::string getter = api->IssuerPath("v1") + Owner(o) + "/operations/" + o.operation_id;
  return WatchOperation(
      [&](std::chrono::seconds wait) {
        return api->Call("GET", getter + "?wait=" + std::to_string(wait.count()), {}, {},
                         wait + std::chrono::seconds(10));
      },
      [&] { return api->Renew(); }, watch, kCommand, api->target().url, out, err);
}

void AddScope(CLI::App& cmd, OpOptions& o) {
  auto* card = cmd.add_option("--card-id", o.card_id, "the card's operations")->check(PathId(48));
  cmd.add_option("--consumer-id", o.consumer_id, "the consumer's operations")
      ->check(PathId(64))
      ->excludes(card);
}

}  // namespace

void AddOpCommand(CLI::App& app, int& exit_code, std::ostream& out, std::ostream& err) {
  CLI::App* op = app.add_subcommand("op", "An issuer's operations: get, list, watch");
  op->require_subcommand(1);

  auto get = std::make_shared<OpOptions>();
  CLI::App* g = op->add_subcommand("get", "Print an operation");
  g->add_option("operation_id", get->operation_id, "operationId")->required()->check(PathId(64));
  AddScope(*g, *get);
  AddApiOptions(*g, get->api);
  g->callback([get, &exit_code, &out, &err] { exit_code = RunGet(*get, out, err); });

  auto list = std::make_shared<OpOptions>();
  CLI::App* l = op->add_subcommand("list", "A card's or a consumer's operations, newest first");
  AddScope(*l, *list);
  l->add_option("--offset", list->offset, "skip this many")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  l->add_option("--limit", list->limit, "at most this many (1..100)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  AddApiOptions(*l, list->api);
  l->callback([list, &exit_code, &out, &err] { exit_code = RunList(*list, out, err); });

  auto watch = std::make_shared<OpOptions>();
  CLI::App* w = op->add_subcommand("watch", "Follow an operation until it is terminal");
  w->add_option("operation_id", watch->operation_id, "operationId")->required()->check(PathId(64));
  AddScope(*w, *watch);
  w->add_option("--timeout", watch->timeout_s, "Seconds to follow it")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  AddApiOptions(*w, watch->api);
  w->callback([watch, &exit_code, &out, &err] { exit_code = RunWatch(*watch, out, err); });
}

}  // namespace c2p::ctl
