#include "tools/c2pctl/batch_protocol.hpp"

#include <array>
#include <fstream>
#include <optional>
#include <regex>

#include <boost/json/value.hpp>

#include "core/strict_json.hpp"

namespace c2p::ctl {

namespace json = boost::json;

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::size_t SkipSpace(std::string_view text, std::size_t at) {
  while (at < text.size() && IsSpace(text[at])) ++at;
  return at;
}

// The position after the string starting at `at` (a '"'); nullopt if it does not end.
std::optional<std::size_t> SkipString(std::string_view text, std::size_t at) {
  for (std::size_t i = at + 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return std::nullopt;
}

// The position after the JSON value starting at `at`, found by bracket matching only (the
// value is checked by whoever parses it); nullopt when the prefix ends inside it.
std::optional<std::size_t> SkipValue(std::string_view text, std::size_t at) {
  if (at >= text.size()) return std::nullopt;
  if (text[at] == '"') return SkipString(text, at);
  if (text[at] != '{' && text[at] != '[') {
    while (at < text.size() && text[at] != ',' && text[at] != '}' && text[at] != ']' &&
           !IsSpace(text[at])) {
      ++at;
    }
    return at < text.size() ? std::optional(at) : std::nullopt;
  }
  std::size_t depth = 0;
  for (std::size_t i = at; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      auto end = SkipString(text, i);
      if (!end) return std::nullopt;
      i = *end - 1;
    } else if (c == '{' || c == '[') {
      // Bounded like the strict parser, so a prefix of brackets cannot go deep for long.
      if (++depth > core::kMaxJsonDepth) return std::nullopt;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
    }
  }
  return std::nullopt;
}

auto NoHeader() {
  return core::Fail(core::ErrorCode::kInvalidJson,
                    "the file does not start with a JSON object holding a complete header");
}

core::Result<std::string> StringMember(const json::object& object, std::string_view name,
                                       const std::string& pointer) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr || !value->is_string()) {
    return core::Fail(core::ErrorCode::kFieldInvalidFormat, "missing or not a string",
                      pointer + "/" + std::string(name));
  }
  return std::string(value->as_string());
}

core::Result<std::uint64_t> CountMember(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  if (value != nullptr && value->is_uint64()) return value->as_uint64();
  if (value != nullptr && value->is_int64() && value->as_int64() >= 0) {
    return static_cast<std::uint64_t>(value->as_int64());
  }
  return core::Fail(core::ErrorCode::kInvalidJson,
                    "progress member " + std::string(name) + " is not a count");
}

}  // namespace

bool IsPathSafeId(std::string_view id, std::size_t max_size) {
  if (id.empty() || id.size() > max_size) return false;
  for (char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

core::Result<BatchIds> ExtractBatchHeader(std::string_view prefix) {
  std::size_t at = SkipSpace(prefix, 0);
  if (at >= prefix.size() || prefix[at] != '{') return NoHeader();
  at = SkipSpace(prefix, at + 1);
  while (at < prefix.size() && prefix[at] == '"') {
    auto key_end = SkipString(prefix, at);
    if (!key_end) return NoHeader();
    const std::string_view key = prefix.substr(at + 1, *key_end - at - 2);
    at = SkipSpace(prefix, *key_end);
    if (at >= prefix.size() || prefix[at] != ':') return NoHeader();
    at = SkipSpace(prefix, at + 1);
    auto value_end = SkipValue(prefix, at);
    if (!value_end) return NoHeader();
    if (key == "header") {
      auto header = core::ParseStrictJson(prefix.substr(at, *value_end - at));
      if (!header || !header->is_object()) {
        return core::Fail(core::ErrorCode::kFieldInvalidFormat, "not a JSON object", "/header");
      }
      const json::object& h = header->as_object();
      BatchIds ids;
      for (auto [name, target] : std::array<std::pair<std::string_view, std::string*>, 3>{
               {{"issuerId", &ids.issuer_id},
                {"batchId", &ids.batch_id},
                {"seqNumber", &ids.seq_number}}}) {
        auto text = StringMember(h, name, "/header");
        if (!text) return tl::unexpected(text.error());
        *target = std::move(*text);
      }
      if (!IsPathSafeId(ids.issuer_id, 64)) {
        return core::Fail(core::ErrorCode::kFieldInvalidFormat,
                          "must be 1 to 64 letters, digits, '_' or '-'", "/header/issuerId");
      }
      if (!IsPathSafeId(ids.batch_id, 48)) {
        return core::Fail(core::ErrorCode::kFieldInvalidFormat,
                          "must be 1 to 48 letters, digits, '_' or '-'", "/header/batchId");
      }
      const bool digits = ids.seq_number.find_first_not_of("0123456789") == std::string::npos;
      if (!digits || ids.seq_number.empty() || ids.seq_number.size() > 48) {
        return core::Fail(core::ErrorCode::kFieldInvalidFormat, "must be 1 to 48 digits",
                          "/header/seqNumber");
      }
      return ids;
    }
    at = SkipSpace(prefix, *value_end);
    if (at >= prefix.size() || prefix[at] != ',') return NoHeader();
    at = SkipSpace(prefix, at + 1);
  }
  return NoHeader();
}

core::Result<BatchIds> ReadBatchHeader(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return core::Fail(core::ErrorCode::kIo, file.string() + ": cannot open");
  std::string prefix(kBatchHeaderScanBytes, '\0');
  in.read(prefix.data(), static_cast<std::streamsize>(prefix.size()));
  if (in.bad()) return core::Fail(core::ErrorCode::kIo, file.string() + ": cannot read");
  prefix.resize(static_cast<std::size_t>(in.gcount()));
  auto ids = ExtractBatchHeader(prefix);
  if (!ids) {
    core::Error error = ids.error();
    error.message =
        file.string() + ": " + error.field + (error.field.empty() ? "" : " ") + error.message;
    return tl::unexpected(std::move(error));
  }
  return ids;
}

std::string BatchesPath(const std::string& issuer_id) {
  return "/banking/v2/issuers/" + issuer_id + "/batches";
}

std::string BatchProgressPath(const BatchIds& ids) {
  return BatchesPath(ids.issuer_id) + "/" + ids.batch_id + "/" + ids.seq_number;
}

std::string BatchResultPath(const BatchIds& ids) { return BatchProgressPath(ids) + "/result"; }

core::Result<BatchIds> ParseAccepted(std::string_view body, const std::string& issuer_id) {
  auto value = core::ParseStrictJson(body);
  if (!value || !value->is_object()) {
    return core::Fail(core::ErrorCode::kInvalidJson, "the 202 answer is not a JSON object");
  }
  const json::object& o = value->as_object();
  BatchIds ids{issuer_id, {}, {}};
  const json::value* batch = o.if_contains("batchId");
  const json::value* seq = o.if_contains("seqNumber");
  if (batch == nullptr || !batch->is_string() || seq == nullptr || !seq->is_string() ||
      !IsPathSafeId(batch->as_string(), 48) || !IsPathSafeId(seq->as_string(), 48)) {
    return core::Fail(core::ErrorCode::kInvalidJson,
                      "the 202 answer lacks a usable batchId and seqNumber");
  }
  ids.batch_id = std::string(batch->as_string());
  ids.seq_number = std::string(seq->as_string());
  return ids;
}

core::Result<BatchProgress> ParseProgress(std::string_view body) {
  auto value = core::ParseStrictJson(body);
  if (!value || !value->is_object()) {
    return core::Fail(core::ErrorCode::kInvalidJson, "the progress answer is not a JSON object");
  }
  const json::object& o = value->as_object();
  BatchProgress progress;
  const json::value* status = o.if_contains("status");
  if (status == nullptr || !status->is_string()) {
    return core::Fail(core::ErrorCode::kInvalidJson, "the progress answer has no status");
  }
  progress.status = std::string(status->as_string());
  static constexpr std::array<std::string_view, 4> kStatuses = {"RECEIVED", "PROCESSING", "DONE",
                                                                "REJECTED"};
  if (std::find(kStatuses.begin(), kStatuses.end(), progress.status) == kStatuses.end()) {
    return core::Fail(core::ErrorCode::kInvalidJson, "unknown progress status");
  }
  for (auto [name, target] : std::array<std::pair<std::string_view, std::uint64_t*>, 4>{
           {{"totalRecords", &progress.total},
            {"processedRecords", &progress.processed},
            {"ok", &progress.ok},
            {"ko", &progress.ko}}}) {
    auto count = CountMember(o, name);
    if (!count) return tl::unexpected(count.error());
    *target = *count;
  }
  return progress;
}

std::string FormatProgressLine(const BatchProgress& progress, std::size_t width) {
  std::size_t filled = 0;
  if (progress.finished()) {
    filled = width;
  } else if (progress.total != 0) {
    const std::uint64_t done = std::min(progress.processed, progress.total);
    filled = static_cast<std::size_t>(done * width / progress.total);
  }
  std::string line = "[" + std::string(filled, '#') + std::string(width - filled, '.') + "] " +
                     std::to_string(progress.processed) + "/" + std::to_string(progress.total) +
                     " ok " + std::to_string(progress.ok) + " ko " + std::to_string(progress.ko) +
                     " " + progress.status;
  return line;
}

}  // namespace c2p::ctl
