#pragma once
// Pass 1 over a batch file (spec/batch.md §2, §3): reads the whole file once, streaming
// (a fixed read buffer and one record at a time, never the whole file), and decides every
// file-level error before anything is registered. The order of the checks, and so which
// code a file with several faults gets, is in docs/batch.md "Reading a file".

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "batch/file_error.hpp"
#include "batch/file_name.hpp"
#include "batch/header.hpp"
#include "batch/json_scanner.hpp"
#include "jose/jws.hpp"

namespace c2p::batch {

// The largest record (and the largest header or signature value) accepted, in bytes of
// file text; a larger one makes the file INVALID_JSON_FILE (103). A record holds one
// consumer and a few cards: a few KiB.
inline constexpr std::size_t kMaxRecordBytes = std::size_t{64} * 1024;

struct CheckedFile {
  Header header;
  std::int64_t total_records = 0;
  // The largest record text held at once while checking (capacity of the one buffer):
  // what the file cost in memory beyond the read buffer.
  std::size_t largest_record_bytes = 0;
};

struct FileExpectation {
  std::string issuer;  // the spool's (or the upload URL's) issuerId
  // The file's name in the spool; nullopt for an HTTPS upload, which has none (its name is
  // made from the header once the file is accepted).
  std::optional<FileName> name;
  std::uint64_t max_bytes = 200ull << 20;
  // The issuer's signature keys by kid (null: unknown kid -> 110).
  std::function<const jose::VerificationKey*(std::string_view kid)> key_for;
  std::size_t read_buffer_bytes = kDefaultReadBufferBytes;
};

struct FileRefusal {
  FileError code;
  std::string message;  // names what is wrong and where, never card or personal data
  // What could be read for the _OUT: the file's header fields that match their rules,
  // the others taken from the file name and the expected issuer. Always set by CheckFile.
  std::optional<Header> header;
  // The file could not be read (open/read failed): not a verdict on the file. No _OUT
  // should be written; try again later. `code` is then kInvalidJson.
  bool retryable = false;
};

tl::expected<CheckedFile, FileRefusal> CheckFile(const std::filesystem::path& path,
                                                 const FileExpectation& expectation);

}  // namespace c2p::batch
