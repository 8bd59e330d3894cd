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

namespace toml_keys {

namespace fs = std::filesystem;
using VoidResult = core::Result<void>;

VoidResult Str(TomlReader& r, std::string_view key, std::string& out, bool required) {
  auto v = r.String(key);
  if (!v) return tl::unexpected(v.error());
  if (!*v) return required ? tl::unexpected(r.Invalid(key, "is required")) : VoidResult{};
  if ((*v)->empty()) return tl::unexpected(r.Invalid(key, "must not be empty"));
  out = **v;
  return {};
}

VoidResult Bool(TomlReader& r, std::string_view key, bool& out) {
  auto v = r.Bool(key);
  if (!v) return tl::unexpected(v.error());
  if (*v) out = **v;
  return {};
}

VoidResult Millis(TomlReader& r, std::string_view key, std::chrono::milliseconds& out) {
  std::int64_t ms = out.count();
  if (auto ok = Int(r, key, ms, 1, 3'600'000); !ok) return ok;
  out = std::chrono::milliseconds(ms);
  return {};
}

VoidResult FilePath(TomlReader& r, std::string_view key, const fs::path& base, fs::path& out,
                    bool required) {
  std::string text;
  if (auto ok = Str(r, key, text, required); !ok) return ok;
  if (text.empty()) return {};
  fs::path p = fs::path(text).is_relative() ? base / text : fs::path(text);
  std::error_code ec;
  if (!fs::is_regular_file(p, ec))
    return tl::unexpected(r.Invalid(key, "no such file: " + p.string()));
  out = std::move(p);
  return {};
}

VoidResult FileList(TomlReader& r, std::string_view key, const fs::path& base,
                    std::vector<fs::path>& out, bool required) {
  auto list = r.StringList(key);
  if (!list) return tl::unexpected(list.error());
  if (list->empty() && required) return tl::unexpected(r.Invalid(key, "needs at least one file"));
  for (const auto& text : *list) {
    fs::path p = fs::path(text).is_relative() ? base / text : fs::path(text);
    std::error_code ec;
    if (!fs::is_regular_file(p, ec))
      return tl::unexpected(r.Invalid(key, "no such file: " + p.string()));
    out.push_back(std::move(p));
  }
  return {};
}

}  // namespace toml_keys

}  // namespace c2p::app
