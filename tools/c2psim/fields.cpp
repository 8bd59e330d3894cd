#include "fields.hpp"

#include <algorithm>
#include <chrono>

#include <openssl/evp.h>

#include "core/luhn.hpp"

namespace c2p::sim {
namespace json = boost::json;

namespace {
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
}  // namespace

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsLocale(std::string_view s) {
  return s.size() == 5 && IsLower(s[0]) && IsLower(s[1]) && s[2] == '_' && IsUpper(s[3]) &&
         IsUpper(s[4]);
}

bool IsPhoneDigits(std::string_view s) { return s.size() >= 4 && s.size() <= 15 && AllDigits(s); }

bool IsEmail(std::string_view s) {
  const auto at = s.find('@');
  if (s.size() > 254 || at == std::string_view::npos || at == 0 || at + 1 == s.size()) return false;
  if (s.find('@', at + 1) != std::string_view::npos) return false;
  return std::none_of(s.begin(), s.end(),
                      [](char c) { return c == ' ' || static_cast<unsigned char>(c) < 0x21; });
}

bool IsMonth(std::string_view s) {
  return s.size() == 2 && AllDigits(s) &&
         ((s[0] == '0' && s[1] != '0') || (s == "10" || s == "11" || s == "12"));
}

bool IsYear(std::string_view s) { return s.size() == 4 && AllDigits(s); }

bool IsYearMonth(std::string_view s) {
  return s.size() == 7 && IsYear(s.substr(0, 4)) && s[4] == '-' && IsMonth(s.substr(5));
}

bool IsPan(std::string_view s) { return s.size() >= 12 && s.size() <= 19 && core::PassesLuhn(s); }

bool IsExternalId(std::string_view s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return IsLower(c) || IsUpper(c) || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' ||
           c == '-';
  });
}

bool IsExpired(int year, int month, int now_year, int now_month) {
  return year < now_year || (year == now_year && month < now_month);
}

void CurrentYearMonth(int& year, int& month) {
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::chrono::year_month_day ymd{today};
  year = static_cast<int>(ymd.year());
  month = static_cast<int>(static_cast<unsigned>(ymd.month()));
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (IsUpper(c)) c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::optional<std::vector<std::uint8_t>> DecodeBase64(std::string_view text,
                                                      std::size_t max_chars) {
  if (text.empty() || text.size() % 4 != 0 || text.size() > max_chars) return std::nullopt;
  std::vector<std::uint8_t> out(text.size() / 4 * 3);
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts padding as zero bytes: drop them.
  std::size_t size = static_cast<std::size_t>(n);
  if (text.ends_with("==")) {
    size -= 2;
  } else if (text.ends_with("=")) {
    size -= 1;
  }
  out.resize(size);
  return out;
}

FieldReader::FieldReader(const json::object* object, std::string path)
    : object_(object), path_(std::move(path)) {
  if (object_ == nullptr) {
    ok_ = false;
    problem_ = {FieldProblem::Kind::kMissing, path_, path_ + " is required"};
  }
}

std::string FieldReader::Path(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void FieldReader::Fail(FieldProblem::Kind kind, std::string_view key, std::string_view message) {
  if (!ok_) return;  // the first problem is the one reported
  ok_ = false;
  problem_ = {kind, Path(key), Path(key) + " " + std::string(message)};
}

void FieldReader::Adopt(const FieldReader& nested) {
  if (!ok_ || nested.ok_) return;
  ok_ = false;
  problem_ = nested.problem_;
}

const json::value* FieldReader::Find(std::string_view key) {
  if (!ok_ || object_ == nullptr) return nullptr;
  const json::value* v = object_->if_contains(key);
  return (v == nullptr || v->is_null()) ? nullptr : v;
}

std::string_view FieldReader::Optional(std::string_view key, std::size_t max) {
  const json::value* v = Find(key);
  if (v == nullptr) return {};
  if (!v->is_string()) {
    Fail(FieldProblem::Kind::kFormat, key, "must be a string");
    return {};
  }
  const std::string_view s = v->get_string();
  if (s.empty() || s.size() > max) {
    Fail(FieldProblem::Kind::kFormat, key, "must be 1 to " + std::to_string(max) + " characters");
    return {};
  }
  return s;
}

std::string_view FieldReader::Required(std::string_view key, std::size_t max) {
  if (!ok_) return {};
  if (Find(key) == nullptr) {
    Fail(FieldProblem::Kind::kMissing, key, "is required");
    return {};
  }
  return Optional(key, max);
}

std::string_view FieldReader::Checked(std::string_view key, bool (*rule)(std::string_view),
                                      std::string_view what, bool required) {
  const std::string_view s = required ? Required(key) : Optional(key);
  if (!ok_ || s.empty()) return s;
  if (!rule(s)) {
    Fail(FieldProblem::Kind::kFormat, key, "must be " + std::string(what));
    return {};
  }
  return s;
}

const json::object* FieldReader::Object(std::string_view key, bool required) {
  if (!ok_) return nullptr;
  const json::value* v = Find(key);
  if (v == nullptr) {
    if (required) Fail(FieldProblem::Kind::kMissing, key, "is required");
    return nullptr;
  }
  if (!v->is_object()) {
    Fail(FieldProblem::Kind::kFormat, key, "must be an object");
    return nullptr;
  }
  return &v->get_object();
}

const json::array* FieldReader::Array(std::string_view key, bool required) {
  if (!ok_) return nullptr;
  const json::value* v = Find(key);
  if (v == nullptr) {
    if (required) Fail(FieldProblem::Kind::kMissing, key, "is required");
    return nullptr;
  }
  if (!v->is_array()) {
    Fail(FieldProblem::Kind::kFormat, key, "must be an array");
    return nullptr;
  }
  return &v->get_array();
}

}  // namespace c2p::sim
