#pragma once
// The _OUT document of a batch file (spec/batch.md §3), written crash-safely (§1): the
// text goes to a temporary file in the same directory, which is fsynced, renamed over
// the final name, and the directory fsynced. The final name therefore exists only
// complete; a crash leaves at most the temporary, which the next attempt overwrites.
//
// The temporary is ".<final name>.tmp": hidden, and not ending in ".json", so nothing
// that lists outputs or inputs mistakes it for one.
//
// Errors: kIo (never quoting a path's content beyond its name).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include <boost/json/object.hpp>

#include "batch/file_error.hpp"
#include "batch/header.hpp"
#include "core/error.hpp"

namespace c2p::batch {

// The temporary name used for `final_path`.
std::filesystem::path TemporaryOutPath(const std::filesystem::path& final_path);

class OutWriter {
 public:
  // Starts {"header":{…,"totalRecords":N},"recordsResults":[ in the temporary file.
  static core::Result<OutWriter> Create(const std::filesystem::path& final_path,
                                        const Header& header, std::int64_t total_records);

  // One recordsResults item, as given (the caller builds the shapes of §3).
  core::Result<void> Add(const boost::json::object& record_result);
  // Closes the array and the object, fsyncs, renames, fsyncs the directory. Once.
  core::Result<void> Commit();

  // Without a Commit, the temporary is removed.
  ~OutWriter();
  OutWriter(OutWriter&&) noexcept;
  OutWriter& operator=(OutWriter&&) noexcept;

  // The temporary file (for the crash-safety tests).
  class File;

 private:
  explicit OutWriter(std::unique_ptr<File> file);
  std::unique_ptr<File> file_;
  bool first_ = true;
};

// A file-level refusal: {"header":{batchId, seqNumber, issuerId, operation (the known
// ones), "errorCode":"<code>"}}, no recordsResults. Same atomic write.
core::Result<void> WriteRefusal(const std::filesystem::path& final_path, const Header& header,
                                FileError code);

}  // namespace c2p::batch
