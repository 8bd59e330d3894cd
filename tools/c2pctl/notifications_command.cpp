#include "tools/c2pctl/notifications_command.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/config.hpp"
#include "core/block_on.hpp"
#include "core/time_format.hpp"
#include "store/store.hpp"
#include "tools/c2pctl/cli.hpp"
#include "tools/c2pctl/store_access.hpp"

namespace c2p::ctl {

namespace {

struct Options {
  std::string config;
  std::string issuer;
  std::string card;
  std::string state;
  int limit = 100;
  std::vector<std::int64_t> ids;
};

core::Result<std::unique_ptr<store::Store>> OpenConfiguredStore(const std::string& path,
                                                                core::metrics::Registry& metrics) {
  auto config = app::LoadConfig(path);
  if (!config) return tl::unexpected(config.error());
  return OpenStoreAt(config->store.url, metrics);
}

void PrintMessage(const store::NotificationMessage& m, std::ostream& out) {
  out << m.message_id << " " << m.webhook_id << " " << m.issuer_id << " " << m.kind << " "
      << m.state << " operations=" << m.operations << " attempts=" << m.attempts
      << " last_error=" << (m.last_error ? *m.last_error : std::string("-")) << " " << m.path
      << "\n";
}

int List(const Options& o, std::ostream& out, std::ostream& err) {
  if (!o.state.empty() && o.state != "PENDING" && o.state != "DELIVERED" && o.state != "DEAD") {
    err << "c2pctl notifications: --state must be PENDING, DELIVERED or DEAD\n";
    return kExitUsage;
  }
  if (o.limit < 1 || o.limit > 10'000) {
    err << "c2pctl notifications: --limit must be 1..10000\n";
    return kExitUsage;
  }
  core::metrics::Registry metrics;
  auto store = OpenConfiguredStore(o.config, metrics);
  if (!store) {
    err << "c2pctl notifications: " << store.error().message << "\n";
    return kExitFailure;
  }
  auto messages =
      core::BlockOn((*store)->ListNotificationMessages(o.issuer, o.state, o.card, o.limit));
  auto suspended = core::BlockOn((*store)->SuspendedNotificationIssuers());
  (*store)->Close();
  if (!messages || !suspended) {
    err << "c2pctl notifications: "
        << (!messages ? messages.error().message : suspended.error().message) << "\n";
    return kExitFailure;
  }
  for (const auto& issuer : *suspended) {
    if (o.issuer.empty() || o.issuer == issuer) out << "suspended issuer " << issuer << "\n";
  }
  for (const auto& m : *messages) PrintMessage(m, out);
  return kExitOk;
}

int Redeliver(const Options& o, std::ostream& out, std::ostream& err) {
  if (o.ids.empty() == o.issuer.empty()) {
    err << "c2pctl notifications redeliver: give --id (one or more) or --issuer\n";
    return kExitUsage;
  }
  core::metrics::Registry metrics;
  auto store = OpenConfiguredStore(o.config, metrics);
  if (!store) {
    err << "c2pctl notifications redeliver: " << store.error().message << "\n";
    return kExitFailure;
  }
  std::vector<std::int64_t> ids = o.ids;
  if (!o.issuer.empty()) {
    auto dead = core::BlockOn((*store)->ListNotificationMessages(o.issuer, "DEAD", "", 100'000));
    if (!dead) {
      (*store)->Close();
      err << "c2pctl notifications redeliver: " << dead.error().message << "\n";
      return kExitFailure;
    }
    for (const auto& m : *dead) ids.push_back(m.message_id);
  }
  std::size_t redelivered = 0;
  std::vector<std::int64_t> not_dead;
  auto written = WriteNow(**store, [&](store::WriteTx& tx) -> core::Result<void> {
    redelivered = 0;
    not_dead.clear();
    const std::int64_t now = core::UnixMillisNow();
    for (const std::int64_t id : ids) {
      auto r = tx.RedeliverNotificationMessage(id, now);
      if (!r) return tl::unexpected(r.error());
      if (*r) {
        ++redelivered;
      } else {
        not_dead.push_back(id);
      }
    }
    return {};
  });
  (*store)->Close();
  if (!written) {
    err << "c2pctl notifications redeliver: " << written.error().message << "\n";
    return kExitFailure;
  }
  for (const std::int64_t id : not_dead) {
    err << "c2pctl notifications redeliver: message " << id
        << " is not DEAD (left alone): `c2pctl notifications dead` lists the ones that are\n";
  }
  out << "redelivering " << redelivered << " message" << (redelivered == 1 ? "" : "s") << "\n";
  // A message that is not DEAD is the store refusing that part of the request.
  return not_dead.empty() ? kExitOk : kExitRefused;
}

int Resume(const Options& o, std::ostream& out, std::ostream& err) {
  core::metrics::Registry metrics;
  auto store = OpenConfiguredStore(o.config, metrics);
  if (!store) {
    err << "c2pctl notifications resume: " << store.error().message << "\n";
    return kExitFailure;
  }
  auto written = WriteNow(**store, [&](store::WriteTx& tx) {
    return tx.ResumeNotifications(o.issuer, core::UnixMillisNow());
  });
  (*store)->Close();
  if (!written) {
    err << "c2pctl notifications resume: " << written.error().message << "\n";
    return kExitFailure;
  }
  out << "notifications of " << o.issuer << " resumed\n";
  return kExitOk;
}

}  // namespace

void AddNotificationsCommand(CLI::App& app, int& exit_code, std::ostream& out, std::ostream& err) {
  CLI::App* cmd = app.add_subcommand("notifications", "Notification delivery to the issuers");
  cmd->require_subcommand(1);
  auto add_common = [](CLI::App* sub, Options& o) {
    sub->add_option("--config", o.config, "c2pd's configuration file")->required();
  };
  auto list_options = std::make_shared<Options>();
  CLI::App* list = cmd->add_subcommand("list", "Recent notification requests, newest first");
  add_common(list, *list_options);
  list->add_option("--issuer", list_options->issuer, "only this issuer");
  list->add_option("--card", list_options->card, "only requests carrying this card's operations");
  list->add_option("--state", list_options->state, "PENDING, DELIVERED or DEAD");
  list->add_option("--limit", list_options->limit, "at most this many")->capture_default_str();
  list->callback(
      [&exit_code, &out, &err, list_options] { exit_code = List(*list_options, out, err); });

  auto dead_options = std::make_shared<Options>();
  CLI::App* dead = cmd->add_subcommand("dead", "Requests given up after the retry horizon");
  add_common(dead, *dead_options);
  dead->add_option("--issuer", dead_options->issuer, "only this issuer");
  dead->add_option("--card", dead_options->card, "only requests carrying this card's operations");
  dead->add_option("--limit", dead_options->limit, "at most this many")->capture_default_str();
  dead->callback([&exit_code, &out, &err, dead_options] {
    dead_options->state = "DEAD";
    exit_code = List(*dead_options, out, err);
  });

  auto redeliver_options = std::make_shared<Options>();
  CLI::App* redeliver =
      cmd->add_subcommand("redeliver", "Send dead requests again (same webhook-id)");
  add_common(redeliver, *redeliver_options);
  redeliver->add_option("--id", redeliver_options->ids, "message ids (from list or dead)");
  redeliver->add_option("--issuer", redeliver_options->issuer, "every dead request of the issuer");
  redeliver->callback([&exit_code, &out, &err, redeliver_options] {
    exit_code = Redeliver(*redeliver_options, out, err);
  });

  auto resume_options = std::make_shared<Options>();
  CLI::App* resume = cmd->add_subcommand("resume", "Resume an issuer suspended by a 410");
  add_common(resume, *resume_options);
  resume->add_option("--issuer", resume_options->issuer, "the issuer")->required();
  resume->callback(
      [&exit_code, &out, &err, resume_options] { exit_code = Resume(*resume_options, out, err); });
}

}  // namespace c2p::ctl
