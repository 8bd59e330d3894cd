#pragma once
// One issuer's spool (shared/spec/batch.md §1): the issuer drops files in inbox/, c2p
// moves a complete one to work/ while it processes it and writes the result to outbox/.
// Moves are renames within the spool (one file system), each followed by an fsync of the
// directories involved, so a crash leaves a file in exactly one place.

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace c2p::batch {

class Spool {
 public:
  // Creates inbox/, work/ and outbox/ under `root` (owner-only) when missing.
  static core::Result<Spool> Open(std::string issuer, std::filesystem::path root);

  const std::string& issuer() const { return issuer_; }

  // The names in inbox/ that are complete: regular files, not hidden, not "*.part" (still
  // being written, renamed when done) and not modified for `settle` (for uploaders that
  // cannot rename). Oldest first.
  std::vector<std::string> CompleteInboxFiles(std::chrono::milliseconds settle) const;
  // The names in work/ (files taken and not yet finished), oldest first.
  std::vector<std::string> WorkFiles() const;

  // inbox/<name> -> work/<name>.
  core::Result<void> TakeToWork(const std::string& name) const;
  // Moves `file` (an upload received beside the spool) to work/<name>.
  core::Result<void> AdoptUpload(const std::filesystem::path& file, const std::string& name) const;
  // Deletes work/<name> once its result is written.
  void RemoveWork(const std::string& name) const;

  std::filesystem::path WorkPath(const std::string& name) const;
  std::filesystem::path OutPath(const std::string& name) const;  // outbox/<name>_OUT.json
  const std::filesystem::path& root() const { return root_; }

 private:
  Spool(std::string issuer, std::filesystem::path root);

  std::string issuer_;
  std::filesystem::path root_;
};

// fsyncs a directory, so a rename or a new file in it survives a crash.
core::Result<void> SyncDirectory(const std::filesystem::path& dir);

}  // namespace c2p::batch
