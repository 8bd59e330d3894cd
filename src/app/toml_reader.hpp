#pragma once
// Typed access to a TOML table that remembers which keys were read, so that whatever was
// not read can be reported as unknown. Every failure names the full key path.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "core/error.hpp"

namespace c2p::app {

class TomlReader {
 public:
  TomlReader(const toml::table& table, std::string prefix);

  core::Result<std::optional<std::string>> String(std::string_view key);
  core::Result<std::optional<std::int64_t>> Integer(std::string_view key, std::int64_t min,
                                                    std::int64_t max);
  core::Result<std::optional<bool>> Bool(std::string_view key);
  core::Result<std::vector<std::string>> StringList(std::string_view key);
  // A sub-table (nullptr when absent) and its key path.
  core::Result<const toml::table*> Table(std::string_view key);
  core::Result<const toml::array*> Array(std::string_view key);

  // Fails with the first key of the table that no accessor asked for.
  core::Result<void> RejectUnknown() const;

  std::string Path(std::string_view key) const;
  core::Error Invalid(std::string_view key, std::string_view what) const;

 private:
  const toml::table& table_;
  std::string prefix_;
  std::set<std::string, std::less<>> seen_;
};

}  // namespace c2p::app
