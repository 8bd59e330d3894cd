#include "batch/spool.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <system_error>

#include "batch/file_name.hpp"

namespace c2p::batch {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kPartSuffix = ".part";

core::Error IoError(std::string what, const std::error_code& ec) {
  // Paths are the operator's configuration, never issuer data.
  return core::Error::Make(core::ErrorCode::kIo, std::move(what) + ": " + ec.message());
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Regular, non-hidden files of `dir` with their modification times, oldest first.
std::vector<std::pair<fs::file_time_type, std::string>> Listing(const fs::path& dir) {
  std::vector<std::pair<fs::file_time_type, std::string>> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name.front() == '.') continue;
    std::error_code sec;
    if (!it->is_regular_file(sec) || sec) continue;
    const auto mtime = it->last_write_time(sec);
    if (sec) continue;
    out.emplace_back(mtime, name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

core::Result<void> SyncDirectory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return tl::unexpected(IoError("open " + dir.string(), {errno, std::generic_category()}));
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  if (rc != 0)
    return tl::unexpected(IoError("fsync " + dir.string(), {saved, std::generic_category()}));
  return {};
}

Spool::Spool(std::string issuer, fs::path root)
    : issuer_(std::move(issuer)), root_(std::move(root)) {}

core::Result<Spool> Spool::Open(std::string issuer, fs::path root) {
  for (const char* sub : {"inbox", "work", "outbox"}) {
    std::error_code ec;
    fs::create_directories(root / sub, ec);
    if (ec) return tl::unexpected(IoError("create " + (root / sub).string(), ec));
    fs::permissions(root / sub, fs::perms::owner_all, fs::perm_options::replace, ec);
    if (ec) return tl::unexpected(IoError("chmod " + (root / sub).string(), ec));
  }
  return Spool(std::move(issuer), std::move(root));
}

std::vector<std::string> Spool::CompleteInboxFiles(std::chrono::milliseconds settle) const {
  const auto settled_before = fs::file_time_type::clock::now() - settle;
  std::vector<std::string> out;
  for (auto& [mtime, name] : Listing(root_ / "inbox")) {
    if (EndsWith(name, kPartSuffix) || mtime > settled_before) continue;
    out.push_back(std::move(name));
  }
  return out;
}

std::vector<std::string> Spool::WorkFiles() const {
  std::vector<std::string> out;
  for (auto& entry : Listing(root_ / "work")) out.push_back(std::move(entry.second));
  return out;
}

core::Result<void> Spool::TakeToWork(const std::string& name) const {
  std::error_code ec;
  fs::rename(root_ / "inbox" / name, WorkPath(name), ec);
  if (ec) return tl::unexpected(IoError("take an inbox file", ec));
  if (auto s = SyncDirectory(root_ / "work"); !s) return s;
  return SyncDirectory(root_ / "inbox");
}

core::Result<void> Spool::AdoptUpload(const fs::path& file, const std::string& name) const {
  std::error_code ec;
  fs::rename(file, WorkPath(name), ec);
  if (ec) return tl::unexpected(IoError("move an upload into the spool", ec));
  return SyncDirectory(root_ / "work");
}

void Spool::RemoveWork(const std::string& name) const {
  std::error_code ec;
  fs::remove(WorkPath(name), ec);
  (void)SyncDirectory(root_ / "work");
}

fs::path Spool::WorkPath(const std::string& name) const { return root_ / "work" / name; }

fs::path Spool::OutPath(const std::string& name) const { return root_ / "outbox" / OutName(name); }

}  // namespace c2p::batch
