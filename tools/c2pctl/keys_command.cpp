#include "tools/c2pctl/keys_command.hpp"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <memory>
#include <system_error>
#include <vector>

#include "core/ids.hpp"
#include "jose/key_kinds.hpp"
#include "tools/c2pctl/cli.hpp"
#include "tools/c2pctl/rotate_command.hpp"

namespace c2p::ctl {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kCommand = "c2pctl keys generate";

int Usage(std::ostream& err, std::string_view message) {
  err << kCommand << ": " << message << "\n";
  return kExitUsage;
}

bool Exists(const fs::path& path) {
  std::error_code ec;
  return fs::symlink_status(path, ec).type() != fs::file_type::not_found;
}

}  // namespace

int RunKeysGenerate(const KeysGenerateOptions& options, std::ostream& out, std::ostream& err) {
  auto kind = jose::ParseKeyKind(options.kind);
  if (!kind) return Usage(err, kind.error().message);
  // The usage mistakes are caught here, before anything is written, so that they get the
  // usage exit code and a message in terms of the options.
  if (!options.public_out.empty() && !jose::KeyKindHasPublicKey(*kind)) {
    return Usage(err, "--public-out applies only to issuer-signing and jwe keys");
  }
  if (!options.kid.empty() && !jose::KeyKindHasKid(*kind)) {
    return Usage(err, "--kid does not apply to webhook secrets");
  }
  if (!options.kid.empty() && !core::IsIdToken(options.kid, 1, 64)) {
    return Usage(err, "--kid must be 1 to 64 characters of A-Z a-z 0-9 _ -");
  }
  if (!options.force) {
    for (const std::string* path : {&options.out, &options.public_out}) {
      if (!path->empty() && Exists(*path)) {
        err << kCommand << ": " << *path << " already exists (use --force to replace it)\n";
        return kExitFailure;
      }
    }
  }

  auto kid =
      jose::GenerateKeyFile(*kind, options.out, options.kid, options.public_out,
                            options.force ? jose::Overwrite::kReplace : jose::Overwrite::kRefuse);
  if (!kid) {
    err << kCommand << ": " << kid.error().message << "\n";
    return kid.error().code == core::ErrorCode::kConfigInvalid ? kExitUsage : kExitFailure;
  }

  const std::string_view name = jose::KeyKindName(*kind);
  if (*kind == jose::KeyKind::kWebhook) {
    out << "Wrote a new webhook signing secret to " << options.out << " (mode 0600).\n";
  } else if (jose::KeyKindHasPublicKey(*kind)) {
    out << "Wrote a new " << name << " private key, kid " << *kid << ", to " << options.out
        << " (mode 0600).\n";
    if (!options.public_out.empty()) {
      out << "Wrote its public key to " << options.public_out << " (mode 0644).\n";
    }
  } else {
    out << "Wrote a new " << name << " key, kid " << *kid << ", to " << options.out
        << " (mode 0600).\n";
  }
  return kExitOk;
}

void AddKeysCommand(CLI::App& app, int& exit_code, std::ostream& out, std::ostream& err) {
  CLI::App* keys = app.add_subcommand("keys", "Generate the keys c2p and issuers use");
  keys->require_subcommand(1);

  CLI::App* generate = keys->add_subcommand(
      "generate", "Write a new key file in the format c2p's configuration expects");
  // The options must outlive this function: CLI11 writes into them during parse().
  auto options = std::make_shared<KeysGenerateOptions>();
  const std::vector<std::string> kinds(jose::kKeyKindNames.begin(), jose::kKeyKindNames.end());
  generate->add_option("--kind", options->kind, "Kind of key")
      ->required()
      ->check(CLI::IsMember(kinds));
  generate->add_option("--out", options->out, "File to write the (private) key to")->required();
  generate->add_option("--kid", options->kid,
                       "Key id (default: RFC 7638 thumbprint for EC keys, random otherwise)");
  generate->add_option("--public-out", options->public_out,
                       "Also write the public JWK here (issuer-signing, jwe)");
  generate->add_flag("--force", options->force, "Replace existing files");
  generate->callback(
      [options, &exit_code, &out, &err] { exit_code = RunKeysGenerate(*options, out, err); });

  AddKeysRotateCommand(*keys, exit_code, out, err);
}

}  // namespace c2p::ctl
