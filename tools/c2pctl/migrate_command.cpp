#include "tools/c2pctl/migrate_command.hpp"

#include <CLI/CLI.hpp>

#include <memory>

#include "core/metrics.hpp"
#include "tools/c2pctl/cli.hpp"
#include "tools/c2pctl/store_access.hpp"

namespace c2p::ctl {

int RunMigrate(const MigrateOptions& options, std::ostream& out, std::ostream& err) {
  constexpr std::string_view kCommand = "c2pctl migrate";
  core::metrics::Registry metrics;
  auto store = OpenStoreAt(options.store, metrics);
  if (!store) {
    err << kCommand << ": " << store.error().message
        << ": check --store (sqlite:PATH) and that the store is reachable\n";
    return kExitFailure;
  }
  const int version = (*store)->SchemaVersion();
  (*store)->Close();
  if (options.json) {
    out << "{\"schemaVersion\":" << version << "}\n";
  } else {
    out << "store migrated: schema version " << version << "\n";
  }
  return kExitOk;
}

void AddMigrateCommand(CLI::App& app, int& exit_code, std::ostream& out, std::ostream& err) {
  auto options = std::make_shared<MigrateOptions>();
  CLI::App* cmd =
      app.add_subcommand("migrate", "Apply the store's migrations and print its schema version");
  cmd->add_option("--store", options->store, "Store URL, as c2pd's [store] url (sqlite:PATH)")
      ->required();
  cmd->add_flag("--json", options->json, "Print {\"schemaVersion\": N}");
  cmd->callback([options, &exit_code, &out, &err] { exit_code = RunMigrate(*options, out, err); });
}

}  // namespace c2p::ctl
