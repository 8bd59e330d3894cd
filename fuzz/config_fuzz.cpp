// libFuzzer target for the configuration loader: app::ParseConfig on arbitrary text, with
// relative paths resolved against an empty directory made once per process (so a referenced
// key or secret file is missing, as when an operator mistypes a path).
//
// Findings (abort, so libFuzzer keeps the input):
//  - a crash, a sanitizer report or an escaping exception (a TOML or range error must be a
//    refusal naming the key, not the end of c2pd);
//  - a refusal without a message;
//  - an accepted configuration that breaks a rule the loader states (the notification
//    lease above its timeout, the engine's lease of a second or more, the bulk lane within
//    the engine's slots).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string_view>

#include "app/config.hpp"
#include "fuzz/finding_rules.hpp"

namespace {

constexpr c2p::fuzz::FindingRules kRules{"config_fuzz", "", 0};

const std::filesystem::path& EmptyDir() {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() / "c2p-config-fuzz";
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto config = c2p::app::ParseConfig(text, EmptyDir());
    if (!config) {
      if (config.error().message.empty()) kRules.Die("a refusal without a message");
      return 0;
    }
    if (config->notifications.lease <= config->notifications.timeout) {
      kRules.Die("accepted a notification lease not above its timeout");
    }
    if (config->engine.lease < std::chrono::milliseconds(1000)) {
      kRules.Die("accepted an engine lease under a second");
    }
    if (config->engine.bulk_max_in_flight > config->engine.max_in_flight) {
      kRules.Die("accepted a bulk lane larger than the engine");
    }
  } catch (...) {
    kRules.Die("an exception escaped ParseConfig");
  }
  return 0;
}
