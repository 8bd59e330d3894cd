#pragma once
// Typed access to a TOML table that remembers which keys were read, so that whatever was
// not read can be reported as unknown. Every failure names the full key path.

#include <chrono>
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

// Small adapters so each key of a config reads as one line (c2pd's config and c2psim's):
// absent keys leave `out` as it was; a present key must be valid.
namespace toml_keys {

// A string; `required` fails when absent; an empty string always fails.
core::Result<void> Str(TomlReader& r, std::string_view key, std::string& out, bool required);

template <typename T>
core::Result<void> Int(TomlReader& r, std::string_view key, T& out, std::int64_t min,
                       std::int64_t max) {
  auto v = r.Integer(key, min, max);
  if (!v) return tl::unexpected(v.error());
  if (*v) out = static_cast<T>(**v);
  return {};
}

core::Result<void> Bool(TomlReader& r, std::string_view key, bool& out);
// Whole milliseconds in [1, 3 600 000].
core::Result<void> Millis(TomlReader& r, std::string_view key, std::chrono::milliseconds& out);
// A path that must name an existing regular file; relative paths are resolved against
// `base` (the config file's directory).
core::Result<void> FilePath(TomlReader& r, std::string_view key, const std::filesystem::path& base,
                            std::filesystem::path& out, bool required);
core::Result<void> FileList(TomlReader& r, std::string_view key, const std::filesystem::path& base,
                            std::vector<std::filesystem::path>& out, bool required);

}  // namespace toml_keys

}  // namespace c2p::app
