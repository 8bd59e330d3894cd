#include "tools/c2pctl/durable_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <system_error>
#include <vector>

namespace c2p::ctl {

namespace fs = std::filesystem;

namespace {

auto IoFail(const fs::path& path, std::string_view what, int error) {
  return core::Fail(core::ErrorCode::kIo, path.string() + ": " + std::string(what) + ": " +
                                              std::system_category().message(error));
}

void SyncDirectory(const fs::path& dir) {
  // Makes the rename durable. Best effort: some file systems refuse to fsync a directory.
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

core::Result<DurableFile> DurableFile::Create(fs::path path) {
  std::error_code ec;
  if (fs::exists(path, ec)) return IoFail(path, "exists already", EEXIST);
  fs::path part = path;
  part += ".part";
  // A .part left by a run that died is ours to replace.
  const int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return IoFail(part, "cannot create", errno);
  return DurableFile(std::move(path), fd);
}

fs::path DurableFile::part_path() const {
  fs::path part = path_;
  part += ".part";
  return part;
}

core::Result<void> DurableFile::Write(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return IoFail(part_path(), "cannot write", n < 0 ? errno : EIO);
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

core::Result<void> DurableFile::Commit() {
  if (::fsync(fd_) != 0) return IoFail(part_path(), "cannot sync", errno);
  const int closed = ::close(fd_);
  fd_ = -1;
  if (closed != 0) return IoFail(part_path(), "cannot close", errno);
  std::error_code ec;
  if (fs::exists(path_, ec)) return IoFail(path_, "appeared while writing", EEXIST);
  if (::rename(part_path().c_str(), path_.c_str()) != 0) {
    return IoFail(path_, "cannot rename into place", errno);
  }
  committed_ = true;
  SyncDirectory(path_.parent_path());
  return {};
}

DurableFile::DurableFile(DurableFile&& other) noexcept
    : path_(std::move(other.path_)), fd_(other.fd_), committed_(other.committed_) {
  other.fd_ = -1;
  other.committed_ = true;  // the moved-from object owns nothing to clean up
}

DurableFile::~DurableFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) {
    std::error_code ec;
    fs::remove(part_path(), ec);
  }
}

core::Result<fs::path> CopyIntoInbox(const fs::path& source, const fs::path& inbox) {
  std::error_code ec;
  if (!fs::is_directory(inbox, ec)) return IoFail(inbox, "not a directory", ENOTDIR);
  std::ifstream in(source, std::ios::binary);
  if (!in) return IoFail(source, "cannot open", errno != 0 ? errno : ENOENT);
  auto out = DurableFile::Create(inbox / source.filename());
  if (!out) return tl::unexpected(out.error());
  constexpr std::size_t kCopyBytes = std::size_t{1} << 20;
  std::vector<char> buffer(kCopyBytes);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto n = static_cast<std::size_t>(in.gcount());
    if (n == 0) break;
    auto written = out->Write({buffer.data(), n});
    if (!written) return tl::unexpected(written.error());
  }
  if (in.bad()) return IoFail(source, "cannot read", EIO);
  auto committed = out->Commit();
  if (!committed) return tl::unexpected(committed.error());
  return out->path();
}

}  // namespace c2p::ctl
