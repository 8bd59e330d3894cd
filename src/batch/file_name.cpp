#include "batch/file_name.hpp"

#include <charconv>

#include "core/ids.hpp"

namespace c2p::batch {
namespace {

constexpr std::string_view kSuffix = ".json";
constexpr std::string_view kOutSuffix = "_OUT.json";
// The longest prefix accepted: issuerId (10) '-' batchId (48).
constexpr std::size_t kMaxPrefix = 10 + 1 + 48;
constexpr std::size_t kMaxSeqDigits = 48;
// 18 digits always fit an int64.
constexpr std::size_t kMaxSecondsDigits = 18;

bool AllDigits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return !text.empty();
}

}  // namespace

std::optional<FileName> ParseFileName(std::string_view name) {
  if (name.find('/') != std::string_view::npos || name.find("..") != std::string_view::npos) {
    return std::nullopt;
  }
  if (name.size() <= kSuffix.size() || !name.ends_with(kSuffix) || name.ends_with(kOutSuffix)) {
    return std::nullopt;
  }
  std::string_view stem = name.substr(0, name.size() - kSuffix.size());
  const std::size_t seconds_dash = stem.rfind('-');
  if (seconds_dash == std::string_view::npos) return std::nullopt;
  const std::string_view seconds = stem.substr(seconds_dash + 1);
  stem = stem.substr(0, seconds_dash);
  const std::size_t seq_dash = stem.rfind('-');
  if (seq_dash == std::string_view::npos) return std::nullopt;
  const std::string_view seq = stem.substr(seq_dash + 1);
  const std::string_view prefix = stem.substr(0, seq_dash);
  if (!AllDigits(seconds) || seconds.size() > kMaxSecondsDigits) return std::nullopt;
  if (!AllDigits(seq) || seq.size() > kMaxSeqDigits) return std::nullopt;
  if (!core::IsIdToken(prefix, 1, kMaxPrefix)) return std::nullopt;
  FileName out{std::string(prefix), std::string(seq), 0};
  std::from_chars(seconds.data(), seconds.data() + seconds.size(), out.unix_seconds);
  return out;
}

bool NameMatches(const FileName& name, std::string_view issuer, std::string_view batch_id,
                 std::string_view seq_number) {
  if (name.seq_number != seq_number || batch_id.empty()) return false;
  if (name.prefix == batch_id) return true;
  const std::string_view prefix = name.prefix;
  return !issuer.empty() && prefix.size() == issuer.size() + 1 + batch_id.size() &&
         prefix.starts_with(issuer) && prefix[issuer.size()] == '-' && prefix.ends_with(batch_id);
}

std::string OutName(std::string_view name) {
  if (name.ends_with(kSuffix)) {
    name.remove_suffix(kSuffix.size());
  }
  return std::string(name) + std::string(kOutSuffix);
}

}  // namespace c2p::batch
