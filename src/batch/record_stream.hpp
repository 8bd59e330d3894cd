#pragma once
// Pass 2 over a batch file CheckFile accepted: its records in file order, one at a time,
// each parsed strictly (core::ParseStrictJson: duplicate keys refused). Memory is the read
// buffer plus one record, whatever the file size.
//
// Errors: kInvalidJson (a file that changed since CheckFile, or was never checked),
// kIo when the file cannot be read.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "batch/json_scanner.hpp"
#include "core/error.hpp"

namespace c2p::batch {

struct RawRecord {
  std::int64_t row_id = 0;
  boost::json::object record;
};

class RecordStream {
 public:
  static core::Result<RecordStream> Open(const std::filesystem::path& path,
                                         std::size_t read_buffer_bytes = kDefaultReadBufferBytes);

  // The next record; nullopt after the last one.
  core::Result<std::optional<RawRecord>> Next();

  // The largest record text held at once so far (capacity of the one buffer).
  std::size_t largest_record_bytes() const;

 private:
  explicit RecordStream(JsonScanner scanner) : scanner_(std::move(scanner)) {}

  JsonScanner scanner_;
  std::string raw_;
  std::int64_t count_ = 0;
  bool done_ = false;
};

}  // namespace c2p::batch
