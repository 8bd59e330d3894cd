#pragma once
// Writes a signed batch registration file (spec/batch.md §2) of any size without holding
// its records in memory: records are built and encrypted in parallel, in chunks, by
// worker threads, and written in order by the calling thread, which feeds the same bytes
// to a streaming ES256 signer (jose::DetachedJwsSigner).
//
// The file is {"header":H,"records":[R1,…,Rn],"signature":"…"} with H and every R already
// in RFC 8785 canonical form, so its bytes up to and including `]`, followed by `}`, ARE
// the JCS payload {"header":…,"records":…} the detached signature covers: what is hashed
// is exactly what is written. It is written as `<path>.part` and renamed (DurableFile).

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "core/error.hpp"
#include "tools/c2pctl/batch_records.hpp"
#include "tools/c2pctl/sandbox_material.hpp"

namespace c2p::ctl {

inline constexpr std::string_view kOperationRegistration = "CONSUMER_CARD_REGISTRATION";
inline constexpr std::string_view kOperationWithDigitalCards =
    "CONSUMER_CARD_REGISTRATION_WITH_DIGITAL_CARDS";
// c2p refuses bigger files (102 FILE_TOO_BIG); make warns but writes them.
inline constexpr std::uint64_t kMaxBatchFileBytes = std::uint64_t{200} * 1000 * 1000;
// Far beyond a 200 MB file; keeps rowIds and the PAN counter space (10^8 cards) safe.
inline constexpr std::uint64_t kMaxBatchRecords = 10'000'000;

struct BatchMakeSpec {
  RecordSpec records;  // batch_id, seq_number, cards, errors, personal information, now
  std::string operation{kOperationRegistration};
  std::uint64_t count = 0;  // 0 allowed: a file with "records":[]
  unsigned threads = 0;     // 0: every core
  std::size_t chunk_records = 256;
};

struct BatchMakeResult {
  std::filesystem::path path;
  std::uint64_t records = 0;
  std::uint64_t cards = 0;
  std::uint64_t bytes = 0;
  std::map<int, std::uint64_t> planted_errors;  // spec §3 code -> rows carrying it
};

// `<batchId>-<seqNumber>-<unixSeconds>.json`, the spec's file name.
std::string DefaultBatchFileName(const std::string& batch_id, const std::string& seq_number,
                                 core::SystemTime now);

// Checks the spec against spec/batch.md §2 (batchId, seqNumber, operation) and the limits
// above; kFieldInvalidFormat naming the flag otherwise.
core::Result<void> CheckBatchMakeSpec(const BatchMakeSpec& spec);

// Writes the file at `path` (which must not exist yet) for `material`'s issuer.
core::Result<BatchMakeResult> MakeBatchFile(const BatchMakeSpec& spec,
                                            const SandboxMaterial& material,
                                            const std::filesystem::path& path);

}  // namespace c2p::ctl
