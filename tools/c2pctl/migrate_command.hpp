#pragma once
// `c2pctl migrate --store URL [--json]`: applies the store's migrations, as c2pd does at
// start-up, through store::OpenStore (so `sqlite:PATH` now, and PostgreSQL through the
// same call when it comes), and prints the schema version. A missing SQLite file is
// created. The pending migrations are applied in one transaction and the applied ones
// skipped, so running it twice is harmless; a store newer than this binary is refused.
// The URL is never printed (a PostgreSQL URL may carry a password).

#include <ostream>
#include <string>

namespace CLI {
class App;
}

namespace c2p::ctl {

struct MigrateOptions {
  std::string store;
  bool json = false;
};

int RunMigrate(const MigrateOptions& options, std::ostream& out, std::ostream& err);

void AddMigrateCommand(CLI::App& app, int& exit_code, std::ostream& out, std::ostream& err);

}  // namespace c2p::ctl
