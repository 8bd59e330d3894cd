#pragma once
// `c2pctl keys rotate --config FILE [--batch N]`: re-encrypts every sealed field of the
// store (card PAN, expiry and name; consumers' personal information) that is not under
// the current PAN key version, while c2pd keeps running on the same store.
//
// Rotation, step by step (docs/configuration.md, "Rotating the PAN encryption key"):
//  1. `c2pctl keys generate --kind pan --kid pan-v2 --out keys/pan-v2.jwk`;
//  2. list it LAST in [keys] pan (the last key encrypts) and restart c2pd: new data is
//     sealed under v2, old rows still open under v1;
//  3. `c2pctl keys rotate --config c2pd.toml` reseals the old rows in small transactions
//     (each a compare-and-swap, so a row c2pd changed meanwhile keeps c2pd's value) and
//     repeats until a pass finds nothing left under another version;
//  4. remove v1 from [keys] pan and restart c2pd.
// It reads c2pd's own configuration (store URL, key files) so both agree on the ring.

#include <ostream>
#include <string>

#include "core/error.hpp"

namespace CLI {
class App;
}

namespace c2p::ctl {

struct KeysRotateOptions {
  std::string config;
  int batch = 200;  // rows per transaction: short enough never to hold c2pd's writer long
};

struct RotationReport {
  std::size_t fields_resealed = 0;
  std::size_t rows_seen = 0;
  int passes = 0;
  std::string version;  // the current version everything is under now
};

core::Result<RotationReport> RotateKeys(const KeysRotateOptions& options);
int RunKeysRotate(const KeysRotateOptions& options, std::ostream& out, std::ostream& err);

// Adds `rotate` under the `keys` command.
void AddKeysRotateCommand(CLI::App& keys, int& exit_code, std::ostream& out, std::ostream& err);

}  // namespace c2p::ctl
