#include "app/toml_reader.hpp"

namespace c2p::app {

TomlReader::TomlReader(const toml::table& table, std::string prefix)
    : table_(table), prefix_(std::move(prefix)) {}

std::string TomlReader::Path(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

core::Error TomlReader::Invalid(std::string_view key, std::string_view what) const {
  return core::Error::Make(core::ErrorCode::kConfigInvalid, Path(key) + ": " + std::string(what));
}

core::Result<std::optional<std::string>> TomlReader::String(std::string_view key) {
  seen_.emplace(key);
  const toml::node* node = table_.get(key);
  if (node == nullptr) return std::optional<std::string>{};
  const auto* s = node->as_string();
  if (s == nullptr) return tl::unexpected(Invalid(key, "must be a string"));
  return std::optional<std::string>(s->get());
}

core::Result<std::optional<std::int64_t>> TomlReader::Integer(std::string_view key,
                                                              std::int64_t min, std::int64_t max) {
  seen_.emplace(key);
  const toml::node* node = table_.get(key);
  if (node == nullptr) return std::optional<std::int64_t>{};
  const auto* i = node->as_integer();
  if (i == nullptr) return tl::unexpected(Invalid(key, "must be an integer"));
  if (i->get() < min || i->get() > max) {
    return tl::unexpected(
        Invalid(key, "must be between " + std::to_string(min) + " and " + std::to_string(max)));
  }
  return std::optional<std::int64_t>(i->get());
}

core::Result<std::optional<bool>> TomlReader::Bool(std::string_view key) {
  seen_.emplace(key);
  const toml::node* node = table_.get(key);
  if (node == nullptr) return std::optional<bool>{};
  const auto* b = node->as_boolean();
  if (b == nullptr) return tl::unexpected(Invalid(key, "must be true or false"));
  return std::optional<bool>(b->get());
}

core::Result<std::vector<std::string>> TomlReader::StringList(std::string_view key) {
  seen_.emplace(key);
  std::vector<std::string> out;
  const toml::node* node = table_.get(key);
  if (node == nullptr) return out;
  const auto* arr = node->as_array();
  if (arr == nullptr) return tl::unexpected(Invalid(key, "must be an array of strings"));
  for (const auto& item : *arr) {
    const auto* s = item.as_string();
    if (s == nullptr) return tl::unexpected(Invalid(key, "must be an array of strings"));
    out.push_back(s->get());
  }
  return out;
}

core::Result<const toml::table*> TomlReader::Table(std::string_view key) {
  seen_.emplace(key);
  const toml::node* node = table_.get(key);
  if (node == nullptr) return static_cast<const toml::table*>(nullptr);
  const auto* t = node->as_table();
  if (t == nullptr) return tl::unexpected(Invalid(key, "must be a table"));
  return t;
}

core::Result<const toml::array*> TomlReader::Array(std::string_view key) {
  seen_.emplace(key);
  const toml::node* node = table_.get(key);
  if (node == nullptr) return static_cast<const toml::array*>(nullptr);
  const auto* a = node->as_array();
  if (a == nullptr) return tl::unexpected(Invalid(key, "must be an array"));
  return a;
}

core::Result<void> TomlReader::RejectUnknown() const {
  for (const auto& [key, node] : table_) {
    if (!seen_.contains(key.str())) return tl::unexpected(Invalid(key.str(), "unknown key"));
  }
  return {};
}

}  // namespace c2p::app
