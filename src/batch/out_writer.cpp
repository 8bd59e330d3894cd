#include "batch/out_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>
#include <utility>

#include <boost/json/serialize.hpp>

namespace c2p::batch {
namespace json = boost::json;
namespace {

// Written in pieces of this size: the document is never held whole.
constexpr std::size_t kFlushBytes = std::size_t{64} * 1024;

tl::unexpected<core::Error> IoError(std::string what) {
  return core::Fail(core::ErrorCode::kIo, std::move(what));
}

core::Result<void> FsyncDirectory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IoError("cannot open the output directory");
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return IoError("cannot fsync the output directory");
  return {};
}

}  // namespace

std::filesystem::path TemporaryOutPath(const std::filesystem::path& final_path) {
  return final_path.parent_path() / ("." + final_path.filename().string() + ".tmp");
}

// The temporary file: buffered writes, then the commit sequence.
class OutWriter::File {
 public:
  File(int fd, std::filesystem::path final_path)
      : fd_(fd), final_(std::move(final_path)), temporary_(TemporaryOutPath(final_)) {}
  ~File() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) {
      std::error_code ignored;
      std::filesystem::remove(temporary_, ignored);
    }
  }
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  core::Result<void> Write(std::string_view text) {
    pending_.append(text);
    if (pending_.size() >= kFlushBytes) return Flush();
    return {};
  }

  core::Result<void> Commit() {
    if (committed_ || fd_ < 0) return IoError("the output was already committed");
    if (auto ok = Flush(); !ok) return ok;
    if (::fsync(fd_) != 0) return IoError("cannot fsync the output file");
    const int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0) return IoError("cannot close the output file");
    std::error_code ec;
    std::filesystem::rename(temporary_, final_, ec);
    if (ec) return IoError("cannot rename the output file into place");
    committed_ = true;
    return FsyncDirectory(final_.parent_path());
  }

 private:
  core::Result<void> Flush() {
    std::string_view rest = pending_;
    while (!rest.empty()) {
      const ssize_t n = ::write(fd_, rest.data(), rest.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return IoError("cannot write the output file");
      rest.remove_prefix(static_cast<std::size_t>(n));
    }
    pending_.clear();
    return {};
  }

  int fd_;
  std::filesystem::path final_;
  std::filesystem::path temporary_;
  std::string pending_;
  bool committed_ = false;
};

OutWriter::OutWriter(std::unique_ptr<File> file) : file_(std::move(file)) {}
OutWriter::~OutWriter() = default;
OutWriter::OutWriter(OutWriter&&) noexcept = default;
OutWriter& OutWriter::operator=(OutWriter&&) noexcept = default;

namespace {

core::Result<std::unique_ptr<OutWriter::File>> OpenTemporary(const std::filesystem::path& path) {
  // O_TRUNC: a temporary left by a crash is overwritten, never appended to.
  const int fd =
      ::open(TemporaryOutPath(path).c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return IoError("cannot create the output file");
  return std::make_unique<OutWriter::File>(fd, path);
}

}  // namespace

core::Result<OutWriter> OutWriter::Create(const std::filesystem::path& final_path,
                                          const Header& header, std::int64_t total_records) {
  auto file = OpenTemporary(final_path);
  if (!file) return tl::unexpected(std::move(file.error()));
  json::object head = HeaderToJson(header);
  head["totalRecords"] = total_records;
  if (auto ok = (*file)->Write("{\"header\":" + json::serialize(head) + ",\"recordsResults\":[");
      !ok) {
    return tl::unexpected(std::move(ok.error()));
  }
  return OutWriter(std::move(*file));
}

core::Result<void> OutWriter::Add(const json::object& record_result) {
  if (!first_) {
    if (auto ok = file_->Write(","); !ok) return ok;
  }
  first_ = false;
  return file_->Write(json::serialize(record_result));
}

core::Result<void> OutWriter::Commit() {
  if (auto ok = file_->Write("]}"); !ok) return ok;
  return file_->Commit();
}

core::Result<void> WriteRefusal(const std::filesystem::path& final_path, const Header& header,
                                FileError code) {
  auto file = OpenTemporary(final_path);
  if (!file) return tl::unexpected(std::move(file.error()));
  json::object head = HeaderToJson(header);
  head["errorCode"] = std::to_string(static_cast<int>(code));
  json::object document;
  document["header"] = std::move(head);
  if (auto ok = (*file)->Write(json::serialize(document)); !ok) return ok;
  return (*file)->Commit();
}

}  // namespace c2p::batch
