#include "tools/c2pctl/cli.hpp"

#include <CLI/CLI.hpp>

#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "c2p/build_version.hpp"
#include "tools/c2pctl/batch_command.hpp"
#include "tools/c2pctl/card_command.hpp"
#include "tools/c2pctl/click_to_pay_commands.hpp"
#include "tools/c2pctl/keys_command.hpp"
#include "tools/c2pctl/migrate_command.hpp"
#include "tools/c2pctl/notifications_command.hpp"
#include "tools/c2pctl/op_command.hpp"
#include "tools/c2pctl/register_command.hpp"
#include "tools/c2pctl/token_command.hpp"

namespace c2p::ctl {

int ExitForStatus(unsigned status) {
  if (status >= 200 && status < 300) return kExitOk;
  if (status >= 400 && status < 500) return kExitRefused;
  return kExitFailure;
}

int ExitFor(const core::Error& error) {
  using core::ErrorCode;
  switch (error.code) {
    case ErrorCode::kInternal:
    case ErrorCode::kUnavailable:
    case ErrorCode::kConfigInvalid:
    case ErrorCode::kIo:
      return kExitFailure;
    default:
      // Every other code is one of the API's 4xx refusals (core/error.hpp).
      return kExitRefused;
  }
}

namespace {

// The target options given before the command (`c2pctl --sandbox DIR token`, as
// spec/sandbox.md writes it) are moved after it, where the command's own options are:
// one set of options, in either place. The first argument that is not one of them is the
// command.
std::vector<std::string> TargetOptionsLast(int argc, const char* const* argv) {
  static constexpr std::string_view kWithValue[] = {"--sandbox", "--url", "--issuer", "--key"};
  std::vector<std::string> leading;
  int i = 1;
  for (; i < argc; ++i) {
    const std::string_view arg = argv[i];
    bool moved = false;
    for (const std::string_view name : kWithValue) {
      if (arg == name && i + 1 < argc) {
        leading.emplace_back(arg);
        leading.emplace_back(argv[++i]);
        moved = true;
      } else if (arg.starts_with(std::string(name) + "=")) {
        leading.emplace_back(arg);
        moved = true;
      }
      if (moved) break;
    }
    if (!moved && arg == "--json") {
      leading.emplace_back(arg);
      moved = true;
    }
    if (!moved) break;
  }
  std::vector<std::string> args(argv, argv + argc);
  if (leading.empty()) return args;
  args.erase(args.begin() + 1, args.begin() + i);
  args.insert(args.end(), leading.begin(), leading.end());
  return args;
}

}  // namespace

int RunC2pctl(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  const std::vector<std::string> args = TargetOptionsLast(argc, argv);
  std::vector<const char*> reordered;
  reordered.reserve(args.size());
  for (const std::string& arg : args) reordered.push_back(arg.c_str());
  CLI::App app{"c2pctl: command-line client for c2p (issuer and operator side)", "c2pctl"};
  app.set_version_flag("--version", std::string("c2pctl ") + build::kVersionLine);
  app.require_subcommand(1);
  int exit_code = kExitOk;
  AddKeysCommand(app, exit_code, out, err);
  AddEncryptCardCommand(app, exit_code, out, err);
  AddTokenCommand(app, exit_code, out, err);
  AddRegisterCommands(app, exit_code, out, err);
  AddClickToPayCommands(app, exit_code, out, err);
  AddOpCommand(app, exit_code, out, err);
  AddNotificationsCommand(app, exit_code, out, err);
  AddBatchCommand(app, exit_code, out, err);
  AddMigrateCommand(app, exit_code, out, err);
  try {
    app.parse(static_cast<int>(reordered.size()), reordered.data());
  } catch (const CLI::ParseError& e) {
    // CLI11 uses its own exit codes (e.g. 106 for a missing option); c2pctl promises 2 for
    // every usage error. --help, --version and friends are "errors" with exit code 0.
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
