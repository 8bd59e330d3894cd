#pragma once
// The client side of spec/batch.md's delivery (§1) that `c2pctl batch submit|status`
// needs, as pure functions: the header of a batch file read from its first bytes, the
// HTTPS paths, and the 202 / progress answers read and drawn as a progress line.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace c2p::ctl {

// A batch file's header is read from at most this many leading bytes (c2pctl's own files
// start with it; a header is a few hundred bytes).
inline constexpr std::size_t kBatchHeaderScanBytes = std::size_t{64} * 1024;

struct BatchIds {
  std::string issuer_id;
  std::string batch_id;
  std::string seq_number;
};

// The "header" member of the top-level object in `prefix` (the first bytes of a batch
// file), members before it skipped without being parsed; the header itself goes through
// the strict parser. Checks issuerId (1..64 of [A-Za-z0-9_-]), batchId and seqNumber
// (spec §2 patterns), so they can go into a URL path unescaped. kInvalidJson when the
// prefix does not hold a whole header object, kFieldInvalidFormat (field "/header/…") for
// a bad member. Input from outside: fuzzed (fuzz/batch_header_fuzz.cpp).
core::Result<BatchIds> ExtractBatchHeader(std::string_view prefix);
// ExtractBatchHeader on the file's first kBatchHeaderScanBytes; kIo when unreadable.
core::Result<BatchIds> ReadBatchHeader(const std::filesystem::path& file);

// True for an id that may go into a URL path segment as is.
bool IsPathSafeId(std::string_view id, std::size_t max_size);

// /banking/v2/issuers/{issuerId}/batches[/{batchId}/{seqNumber}[/result]]
std::string BatchesPath(const std::string& issuer_id);
std::string BatchProgressPath(const BatchIds& ids);
std::string BatchResultPath(const BatchIds& ids);

// The 202 body {batchId, seqNumber, status:"ACCEPTED"}; kInvalidJson otherwise.
core::Result<BatchIds> ParseAccepted(std::string_view body, const std::string& issuer_id);

struct BatchProgress {
  std::string status;  // RECEIVED | PROCESSING | DONE | REJECTED
  std::uint64_t total = 0;
  std::uint64_t processed = 0;
  std::uint64_t ok = 0;
  std::uint64_t ko = 0;

  bool finished() const { return status == "DONE" || status == "REJECTED"; }
};

// {status, totalRecords, processedRecords, ok, ko}; kInvalidJson otherwise (an unknown
// status included: a client that cannot tell the end must not wait forever).
core::Result<BatchProgress> ParseProgress(std::string_view body);

// "[#########...........]  450/1000 ok 440 ko 10 PROCESSING": a bar of `width` cells
// (full for DONE and REJECTED, empty while the total is unknown), no line ending.
std::string FormatProgressLine(const BatchProgress& progress, std::size_t width = 30);

}  // namespace c2p::ctl
