#pragma once
// Structured logs: one JSON object per line on stderr (or a file), with a timestamp, a
// level, an event name and typed fields. Fields accept only plain values (text, numbers,
// booleans); secret types (core::SecretBytes and anything marked core::IsSecret) are
// refused at compile time, so key material and decrypted card data cannot be logged by
// accident. Callers still never pass PAN, e-mail, phone or names as text: log ids.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "core/error.hpp"
#include "core/secret_bytes.hpp"

namespace c2p::log {

enum class Level { kDebug, kInfo, kWarn, kError, kOff };

class Field {
 public:
  using Value = std::variant<std::string_view, std::int64_t, std::uint64_t, double, bool>;

  template <typename T>
  Field(std::string_view key, const T& value) : key_(key), value_(Convert(value)) {
    static_assert(!core::IsSecret<std::remove_cvref_t<T>>::value,
                  "secret values must never be logged");
  }

  std::string_view key() const { return key_; }
  const Value& value() const { return value_; }

 private:
  template <typename T>
  static Value Convert(const T& v) {
    using U = std::remove_cvref_t<T>;
    if constexpr (std::is_same_v<U, bool>) {
      return v;
    } else if constexpr (std::is_integral_v<U> && std::is_signed_v<U>) {
      return static_cast<std::int64_t>(v);
    } else if constexpr (std::is_integral_v<U>) {
      return static_cast<std::uint64_t>(v);
    } else if constexpr (std::is_floating_point_v<U>) {
      return static_cast<double>(v);
    } else {
      static_assert(std::is_convertible_v<const U&, std::string_view>,
                    "log fields take text, numbers or booleans");
      return std::string_view(v);
    }
  }

  std::string_view key_;
  Value value_;
};

struct Options {
  Level level = Level::kInfo;
  std::string file;  // empty: stderr
};

// Sets up the process logger; call once at start-up. Safe to call again (tests).
void Init(const Options& options);
bool Enabled(Level level);
core::Result<Level> ParseLevel(std::string_view name);

void Write(Level level, std::string_view event, std::initializer_list<Field> fields);

inline void Debug(std::string_view event, std::initializer_list<Field> fields = {}) {
  if (Enabled(Level::kDebug)) Write(Level::kDebug, event, fields);
}
inline void Info(std::string_view event, std::initializer_list<Field> fields = {}) {
  if (Enabled(Level::kInfo)) Write(Level::kInfo, event, fields);
}
inline void Warn(std::string_view event, std::initializer_list<Field> fields = {}) {
  if (Enabled(Level::kWarn)) Write(Level::kWarn, event, fields);
}
inline void Error(std::string_view event, std::initializer_list<Field> fields = {}) {
  if (Enabled(Level::kError)) Write(Level::kError, event, fields);
}

// The JSON line Write() emits, without the trailing newline. Exposed for tests.
std::string FormatLine(Level level, std::string_view event, std::initializer_list<Field> fields);

}  // namespace c2p::log
