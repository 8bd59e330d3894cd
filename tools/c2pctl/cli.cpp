#include "tools/c2pctl/cli.hpp"

#include <CLI/CLI.hpp>

#include <exception>

#include "tools/c2pctl/batch_command.hpp"
#include "tools/c2pctl/card_command.hpp"
#include "tools/c2pctl/keys_command.hpp"
#include "tools/c2pctl/notifications_command.hpp"
#include "tools/c2pctl/register_command.hpp"
#include "tools/c2pctl/token_command.hpp"

namespace c2p::ctl {

int RunC2pctl(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"c2pctl: command-line client for c2p (issuer and operator side)", "c2pctl"};
  app.require_subcommand(1);
  int exit_code = kExitOk;
  AddKeysCommand(app, exit_code, out, err);
  AddEncryptCardCommand(app, exit_code, out, err);
  AddTokenCommand(app, exit_code, out, err);
  AddRegisterCommands(app, exit_code, out, err);
  AddNotificationsCommand(app, exit_code, out, err);
  AddBatchCommand(app, exit_code, out, err);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 uses its own exit codes (e.g. 106 for a missing option); c2pctl promises 2 for
    // every usage error. --help and friends are "errors" with exit code 0.
    const int cli11_code = app.exit(e, out, err);
    return cli11_code == 0 ? kExitOk : kExitUsage;
  } catch (const std::exception& e) {
    // Only bugs and a broken environment (no entropy, no memory) end up here.
    err << "c2pctl: internal error: " << e.what() << "\n";
    return kExitFailure;
  }
  return exit_code;
}

}  // namespace c2p::ctl
