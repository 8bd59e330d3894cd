#pragma once
// Batch file names (spec/batch.md §1): "<batchId>-<seqNumber>-<unixSeconds>.json" or
// "<issuerId>-<batchId>-<seqNumber>-<unixSeconds>.json". A batchId may itself contain '-',
// so the name is read from the right: unixSeconds, then seqNumber, and the rest is the
// prefix (batchId, or issuerId-batchId); which one it is is decided against the header.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace c2p::batch {

struct FileName {
  std::string prefix;      // batchId or issuerId-batchId, ^[A-Za-z0-9_-]{1,..}$
  std::string seq_number;  // ^[0-9]{1,48}$
  std::int64_t unix_seconds = 0;

  bool operator==(const FileName&) const = default;
};

// nullopt for anything but a bare file name of that form: a '/' or "..", no ".json"
// suffix, an "_OUT" output name, characters outside [A-Za-z0-9_-] in the prefix, a
// seqNumber or unixSeconds that is not 1..48 (resp. 1..18) digits.
std::optional<FileName> ParseFileName(std::string_view name);

// True when the header's ids agree with the name: prefix == batchId or
// prefix == issuerId + "-" + batchId, and the same seqNumber.
bool NameMatches(const FileName& name, std::string_view issuer, std::string_view batch_id,
                 std::string_view seq_number);

// "X.json" -> "X_OUT.json" (any other name gets "_OUT.json" appended).
std::string OutName(std::string_view name);

}  // namespace c2p::batch
