#include "jose/key_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include <boost/json/serialize.hpp>

#include "core/strict_json.hpp"

namespace c2p::jose {
namespace fs = std::filesystem;

namespace {

tl::unexpected<core::Error> IoError(const fs::path& path, std::string_view what, int err) {
  return core::Fail(core::ErrorCode::kIo, path.string() + ": " + std::string(what) + ": " +
                                              std::system_category().message(err));
}

// Closes the descriptor on every path out.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now, so that a failing close (lost write-back) can be reported.
  int Close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

// Reads a whole regular file of at most kMaxKeyFileBytes into wiped memory.
core::Result<core::SecretBytes> ReadSmallFile(const fs::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return IoError(path, "cannot open", errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return IoError(path, "cannot stat", errno);
  if (!S_ISREG(st.st_mode)) {
    return core::Fail(core::ErrorCode::kIo, path.string() + ": not a regular file");
  }
  if (static_cast<std::size_t>(st.st_size) > kMaxKeyFileBytes) {
    return core::Fail(core::ErrorCode::kIo, path.string() + ": too big for a key file");
  }
  core::SecretBytes buffer(static_cast<std::size_t>(st.st_size));
  std::size_t done = 0;
  while (done < buffer.size()) {
    const ssize_t n = ::read(fd.get(), buffer.data() + done, buffer.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError(path, "cannot read", errno);
    if (n == 0) break;  // shrank while reading; parse what is there
    done += static_cast<std::size_t>(n);
  }
  buffer.truncate(done);
  return buffer;
}

void SyncDirectory(const fs::path& dir) {
  // Makes the rename itself durable. Best effort: some file systems refuse to fsync a
  // directory, and the file's own content is already safe.
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() >= 0) ::fsync(fd.get());
}

}  // namespace

core::Result<boost::json::object> ReadJwkFile(const fs::path& path) {
  auto text = ReadSmallFile(path);
  if (!text) return tl::unexpected(std::move(text.error()));
  auto value = core::ParseStrictJson(text->as_text());
  if (!value) {
    return core::Fail(core::ErrorCode::kConfigInvalid,
                      path.string() + ": not valid JSON: " + value.error().message);
  }
  if (!value->is_object()) {
    return core::Fail(core::ErrorCode::kConfigInvalid, path.string() + ": not a JSON object");
  }
  return std::move(value->as_object());
}

core::Result<void> WriteJwkFile(const fs::path& path, const boost::json::object& jwk, bool secret,
                                Overwrite overwrite) {
  std::string text = boost::json::serialize(jwk);
  text.push_back('\n');
  auto written =
      WriteFileAtomically(path,
                          std::span<const std::uint8_t>(
                              reinterpret_cast<const std::uint8_t*>(text.data()), text.size()),
                          secret, overwrite);
  core::SecureWipe(text.data(), text.size());
  return written;
}

core::Result<void> WriteFileAtomically(const fs::path& path, std::span<const std::uint8_t> content,
                                       bool secret, Overwrite overwrite) {
  if (path.filename().empty()) {
    return core::Fail(core::ErrorCode::kIo, path.string() + ": not a file name");
  }
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  // Same directory, so the rename cannot cross file systems; hidden, so a partial file is
  // never picked up by someone listing key files.
  std::string temp = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  // mkostemp creates the file 0600 with O_EXCL: a secret is never readable by others, not
  // even for the moment before a chmod.
  Fd fd(::mkostemp(temp.data(), O_CLOEXEC));
  if (fd.get() < 0) return IoError(dir, "cannot create a temporary file", errno);

  auto fail = [&](std::string_view what, int err) {
    ::unlink(temp.c_str());
    return IoError(path, what, err);
  };
  if (!secret && ::fchmod(fd.get(), 0644) != 0) return fail("cannot set mode", errno);
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd.get(), content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("cannot write", errno);
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0) return fail("cannot sync", errno);
  if (fd.Close() != 0) return fail("cannot close", errno);

  if (overwrite == Overwrite::kReplace) {
    if (::rename(temp.c_str(), path.c_str()) != 0) return fail("cannot rename into place", errno);
  } else {
    // link() fails with EEXIST instead of replacing: the check and the creation are one
    // atomic step, so two writers cannot both believe they created the file.
    if (::link(temp.c_str(), path.c_str()) != 0) {
      const int err = errno;
      ::unlink(temp.c_str());
      if (err == EEXIST) {
        return core::Fail(core::ErrorCode::kIo,
                          path.string() + ": already exists; refusing to overwrite it");
      }
      return IoError(path, "cannot link into place", err);
    }
    ::unlink(temp.c_str());
  }
  SyncDirectory(dir);
  return {};
}

core::Result<core::SecretBytes> ReadSecretTextFile(const fs::path& path) {
  auto text = ReadSmallFile(path);
  if (!text) return text;
  std::size_t size = text->size();
  while (size > 0) {
    const auto c = text->data()[size - 1];
    if (c != '\n' && c != '\r' && c != ' ' && c != '\t') break;
    --size;
  }
  text->truncate(size);
  if (text->empty()) return core::Fail(core::ErrorCode::kConfigInvalid, path.string() + ": empty");
  return text;
}

}  // namespace c2p::jose
