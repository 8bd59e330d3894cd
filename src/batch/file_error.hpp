#pragma once
// The file-level result codes of spec/batch.md §3: a file refused with one of them is not
// processed at all; its _OUT holds the header and the code.

#include <string_view>

namespace c2p::batch {

enum class FileError : int {
  kInvalidHeader = 100,
  kDuplicateFile = 101,
  kFileTooBig = 102,
  kInvalidJson = 103,
  kMissingHeaderField = 105,
  kHeaderFieldFormat = 106,
  kDuplicateRowId = 107,
  kInvalidSignature = 110,
  kMissingSignature = 111,
};

// The code's name in spec/batch.md §3, e.g. "INVALID_HEADER".
std::string_view FileErrorName(FileError code);

}  // namespace c2p::batch
