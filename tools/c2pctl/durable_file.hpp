#pragma once
// A file that appears complete or not at all: written as `<path>.part`, fsynced, then
// renamed to `<path>` and the directory fsynced. This is the complete-file rule of
// spec/batch.md §1 (c2p ignores `*.part` in a spool inbox), and it keeps a half-made batch
// file from ever carrying its final name. Move-only; a file never committed is removed.

#include <filesystem>
#include <string_view>

#include "core/error.hpp"

namespace c2p::ctl {

class DurableFile {
 public:
  // Refuses (kIo) when `path` already exists: a batch file is never replaced in place.
  static core::Result<DurableFile> Create(std::filesystem::path path);

  core::Result<void> Write(std::string_view bytes);
  // fsync, close, rename to the final name, fsync the directory.
  core::Result<void> Commit();

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path part_path() const;

  DurableFile(DurableFile&& other) noexcept;
  DurableFile& operator=(DurableFile&&) = delete;
  DurableFile(const DurableFile&) = delete;
  DurableFile& operator=(const DurableFile&) = delete;
  ~DurableFile();

 private:
  DurableFile(std::filesystem::path path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::filesystem::path path_;
  int fd_ = -1;
  bool committed_ = false;
};

// Copies `source` into `inbox` under its own file name as a DurableFile (spool delivery).
// Returns the final path.
core::Result<std::filesystem::path> CopyIntoInbox(const std::filesystem::path& source,
                                                  const std::filesystem::path& inbox);

}  // namespace c2p::ctl
