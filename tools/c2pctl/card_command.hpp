#pragma once
// `c2pctl encrypt-card --pan PAN --exp MMYY [--name NAME] [--encryption-key FILE | --sandbox DIR]`:
// prints the `encryptedData` JWE of a card registration (spec/api.md §4.4) for c2p's
// public encryption key: ECDH-ES + A256GCM for an EC key, RSA-OAEP-256 + A256GCM for an
// RSA key. A tool for test cards and integration checks: a real PAN passed on a command
// line is visible to other users of the machine (ps), so issuers encrypt in their own
// systems.

#include <ostream>
#include <string>

#include "core/error.hpp"

namespace CLI {
class App;
}

namespace c2p::ctl {

struct EncryptCardOptions {
  std::string pan;
  std::string exp;
  std::string name;  // optional cardholder name
  std::string key;   // c2p's public JWE key; empty: sandbox.json's encryptionKey
  std::string sandbox = "var/sandbox";
};

int RunEncryptCard(const EncryptCardOptions& options, std::ostream& out, std::ostream& err);

// The compact JWE RunEncryptCard prints. Errors carry a message for the command line.
core::Result<std::string> EncryptCard(const EncryptCardOptions& options);

void AddEncryptCardCommand(CLI::App& app, int& exit_code, std::ostream& out, std::ostream& err);

}  // namespace c2p::ctl
