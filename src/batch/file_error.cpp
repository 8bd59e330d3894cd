#include "batch/file_error.hpp"

namespace c2p::batch {

std::string_view FileErrorName(FileError code) {
  switch (code) {
    case FileError::kInvalidHeader:
      return "INVALID_HEADER";
    case FileError::kDuplicateFile:
      return "DUPLICATE_FILE";
    case FileError::kFileTooBig:
      return "FILE_TOO_BIG";
    case FileError::kInvalidJson:
      return "INVALID_JSON_FILE";
    case FileError::kMissingHeaderField:
      return "MANDATORY_PARAMETER_MISSING_HEADER";
    case FileError::kHeaderFieldFormat:
      return "FIELD_INVALID_FORMAT";
    case FileError::kDuplicateRowId:
      return "DUPLICATE_ROW_ID";
    case FileError::kInvalidSignature:
      return "INVALID_SIGNATURE";
    case FileError::kMissingSignature:
      return "MISSING_SIGNATURE";
  }
  return "UNKNOWN";
}

}  // namespace c2p::batch
