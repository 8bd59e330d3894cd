#pragma once
// `c2pctl keys generate --kind KIND --out FILE [--kid KID] [--public-out FILE] [--force]`:
// writes a fresh key of any kind c2p uses (see jose/key_kinds.hpp) in the format c2p's
// configuration expects. Never prints key material.

#include <ostream>
#include <string>

namespace CLI {
class App;
}

namespace c2p::ctl {

struct KeysGenerateOptions {
  std::string kind;
  std::string out;
  std::string kid;         // empty: the default kid of the kind
  std::string public_out;  // empty: no public key file
  bool force = false;      // replace existing files
};

// Runs `keys generate`; returns the exit code (cli.hpp).
int RunKeysGenerate(const KeysGenerateOptions& options, std::ostream& out, std::ostream& err);

// Adds the `keys` command and its subcommands to `app`. When one runs (during
// app.parse()), its exit code is stored in `exit_code`, which must outlive the parse.
void AddKeysCommand(CLI::App& app, int& exit_code, std::ostream& out, std::ostream& err);

}  // namespace c2p::ctl
