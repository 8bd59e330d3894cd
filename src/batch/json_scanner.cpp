#include "batch/json_scanner.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include <boost/json/value.hpp>

#include "core/strict_json.hpp"

namespace c2p::batch {
namespace {

// Member names c2p knows are short; anything far longer is not one of them.
constexpr std::size_t kMaxMemberNameBytes = 256;

bool IsWhitespace(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The characters of numbers and of true/false/null; the parser judges the word.
bool IsScalarByte(int c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
         c == '+' || c == '.';
}

}  // namespace

JsonScanner::Fd::~Fd() {
  if (fd >= 0) ::close(fd);
}

JsonScanner::JsonScanner(int fd, std::size_t buffer_bytes)
    : fd_(fd), buffer_(std::max<std::size_t>(buffer_bytes, 1)) {}

core::Result<JsonScanner> JsonScanner::Open(const std::filesystem::path& path,
                                            std::size_t buffer_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return core::Fail(core::ErrorCode::kIo, "cannot open the batch file");
  JsonScanner scanner(fd, buffer_bytes);
  scanner.SkipWhitespace();
  if (auto ok = scanner.Expect('{', "the file is not a JSON object"); !ok) {
    return tl::unexpected(std::move(ok.error()));
  }
  return scanner;
}

int JsonScanner::Peek() {
  if (pos_ < end_) return static_cast<unsigned char>(buffer_[pos_]);
  if (read_error_) return -2;
  consumed_ += end_;
  pos_ = 0;
  end_ = 0;
  for (;;) {
    const ssize_t n = ::read(fd_.fd, buffer_.data(), buffer_.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      read_error_ = true;
      return -2;
    }
    end_ = static_cast<std::size_t>(n);
    break;
  }
  return end_ == 0 ? -1 : static_cast<unsigned char>(buffer_[0]);
}

tl::unexpected<core::Error> JsonScanner::Malformed(const std::string& what) const {
  if (read_error_) return core::Fail(core::ErrorCode::kIo, "cannot read the batch file");
  return core::Fail(core::ErrorCode::kInvalidJson,
                    what + " (at byte " + std::to_string(consumed_ + pos_) + ")");
}

void JsonScanner::SkipWhitespace() {
  while (IsWhitespace(Peek())) Advance();
}

core::Result<void> JsonScanner::Expect(char c, const char* what) {
  if (Peek() != static_cast<unsigned char>(c)) return Malformed(what);
  Advance();
  return {};
}

core::Result<std::optional<std::string>> JsonScanner::NextMember() {
  if (object_closed_) return std::optional<std::string>();
  SkipWhitespace();
  if (first_member_) {
    first_member_ = false;
    if (Peek() == '}') {
      Advance();
      object_closed_ = true;
    }
  } else if (Peek() == '}') {
    Advance();
    object_closed_ = true;
  } else if (auto ok = Expect(',', "expected ',' or '}' after a member"); !ok) {
    return tl::unexpected(std::move(ok.error()));
  }
  if (object_closed_) {
    SkipWhitespace();
    if (Peek() != -1) return Malformed("content after the top-level object");
    return std::optional<std::string>();
  }
  SkipWhitespace();
  if (Peek() != '"') return Malformed("expected a member name");
  std::string raw;
  if (auto ok = Value(&raw, kMaxMemberNameBytes); !ok) return tl::unexpected(ok.error());
  auto name = core::ParseStrictJson(raw);
  if (!name || !name->is_string()) return Malformed("a member name is not a valid string");
  SkipWhitespace();
  if (auto ok = Expect(':', "expected ':' after a member name"); !ok) {
    return tl::unexpected(std::move(ok.error()));
  }
  return std::optional<std::string>(std::string(name->as_string()));
}

core::Result<void> JsonScanner::ReadValue(std::string& out, std::size_t max_bytes) {
  out.clear();
  return Value(&out, max_bytes);
}

core::Result<char> JsonScanner::SkipValue() {
  SkipWhitespace();
  const int first = Peek();
  if (auto ok = Value(nullptr, 0); !ok) return tl::unexpected(std::move(ok.error()));
  return static_cast<char>(first);
}

core::Result<bool> JsonScanner::EnterArray() {
  SkipWhitespace();
  if (Peek() != '[') return false;
  Advance();
  in_array_ = true;
  first_element_ = true;
  return true;
}

core::Result<bool> JsonScanner::NextElement(std::string& out, std::size_t max_bytes) {
  if (!in_array_) return false;
  SkipWhitespace();
  if (first_element_) {
    first_element_ = false;
    if (Peek() == ']') {
      Advance();
      in_array_ = false;
      return false;
    }
  } else if (Peek() == ']') {
    Advance();
    in_array_ = false;
    return false;
  } else if (auto ok = Expect(',', "expected ',' or ']' after an array element"); !ok) {
    return tl::unexpected(std::move(ok.error()));
  }
  if (auto ok = ReadValue(out, max_bytes); !ok) return tl::unexpected(std::move(ok.error()));
  return true;
}

// Delimits one value: a string to its closing quote, an object or array to its matching
// bracket (strings inside skipped), a number or word to the first byte that cannot be
// part of one. Bytes are appended a buffer-full at a time.
core::Result<void> JsonScanner::Value(std::string* out, std::size_t max_bytes) {
  SkipWhitespace();
  const int first = Peek();
  const bool scalar = IsScalarByte(first);
  if (!scalar && first != '"' && first != '{' && first != '[') {
    return Malformed(first < 0 ? "the file ends where a value was expected" : "expected a value");
  }
  std::size_t depth = 0;
  bool in_string = false;
  bool escape = false;
  bool done = false;
  while (!done) {
    if (Peek() < 0) {
      if (scalar) break;  // a number or word ends with the file; the parser judges it
      return Malformed("the file ends inside a value");
    }
    const std::size_t start = pos_;
    while (pos_ < end_ && !done) {
      const char c = buffer_[pos_];
      if (scalar) {
        if (!IsScalarByte(static_cast<unsigned char>(c))) {
          done = true;
          break;
        }
      } else if (in_string) {
        if (escape) {
          escape = false;
        } else if (c == '\\') {
          escape = true;
        } else if (c == '"') {
          in_string = false;
          done = depth == 0;
        }
      } else if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        --depth;
        done = depth == 0;
      }
      ++pos_;
    }
    if (out != nullptr) {
      const std::size_t piece = pos_ - start;
      if (out->size() + piece > max_bytes) {
        return Malformed("a value is larger than " + std::to_string(max_bytes) + " bytes");
      }
      out->append(buffer_.data() + start, piece);
      largest_value_bytes_ = std::max(largest_value_bytes_, out->capacity());
    }
  }
  return {};
}

}  // namespace c2p::batch
