#include "batch/record_stream.hpp"

#include <utility>

#include <boost/json/value.hpp>

#include "batch/batch_check.hpp"
#include "batch/row_id.hpp"
#include "core/strict_json.hpp"

namespace c2p::batch {

core::Result<RecordStream> RecordStream::Open(const std::filesystem::path& path,
                                              std::size_t read_buffer_bytes) {
  auto scanner = JsonScanner::Open(path, read_buffer_bytes);
  if (!scanner) return tl::unexpected(std::move(scanner.error()));
  for (;;) {
    auto name = scanner->NextMember();
    if (!name) return tl::unexpected(std::move(name.error()));
    if (!*name) return core::Fail(core::ErrorCode::kInvalidJson, "records is missing");
    if (**name == "records") break;
    if (auto ok = scanner->SkipValue(); !ok) return tl::unexpected(std::move(ok.error()));
  }
  auto is_array = scanner->EnterArray();
  if (!is_array) return tl::unexpected(std::move(is_array.error()));
  if (!*is_array) return core::Fail(core::ErrorCode::kInvalidJson, "records is not an array");
  return RecordStream(std::move(*scanner));
}

core::Result<std::optional<RawRecord>> RecordStream::Next() {
  if (done_) return std::optional<RawRecord>();
  auto more = scanner_.NextElement(raw_, kMaxRecordBytes);
  if (!more) return tl::unexpected(std::move(more.error()));
  if (!*more) {
    done_ = true;
    return std::optional<RawRecord>();
  }
  ++count_;
  const std::string which = "record " + std::to_string(count_);
  auto value = core::ParseStrictJson(raw_);
  if (!value) return core::Fail(core::ErrorCode::kInvalidJson, which + " is not valid JSON");
  if (!value->is_object()) {
    return core::Fail(core::ErrorCode::kInvalidJson, which + " is not an object");
  }
  const std::optional<std::int64_t> row_id = ReadRowId(value->as_object());
  if (!row_id) return core::Fail(core::ErrorCode::kInvalidJson, which + " has no integer rowId");
  return std::optional<RawRecord>(RawRecord{*row_id, std::move(value->as_object())});
}

std::size_t RecordStream::largest_record_bytes() const { return scanner_.largest_value_bytes(); }

}  // namespace c2p::batch
