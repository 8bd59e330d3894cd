#pragma once
// Internal to src/batch: a forward-only reader of a batch file's top-level JSON object,
// over a fixed read buffer. It knows only the structure around the values (the object's
// members and the elements of one array member); each value is handed over as its raw
// text, for core::ParseStrictJson to judge, or skipped. Memory is the read buffer plus the
// largest value captured, whatever the file size.
//
// Every refusal is kInvalidJson with a message that names a byte offset, never the input.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace c2p::batch {

inline constexpr std::size_t kDefaultReadBufferBytes = std::size_t{1} << 20;

class JsonScanner {
 public:
  // Opens the file and reads up to the opening '{' of the top-level object.
  static core::Result<JsonScanner> Open(const std::filesystem::path& path,
                                        std::size_t buffer_bytes = kDefaultReadBufferBytes);

  // The next member's name (decoded), positioned before its value; nullopt after the
  // closing '}', which must be followed only by whitespace.
  core::Result<std::optional<std::string>> NextMember();

  // The raw text of the next value into `out` (replaced); kInvalidJson when longer than
  // `max_bytes`. The text is only delimited here, not validated.
  core::Result<void> ReadValue(std::string& out, std::size_t max_bytes);
  // Passes over the next value, whatever its size; answers its first byte ('[' for an
  // array). Only the brackets are matched: the value is not validated.
  core::Result<char> SkipValue();

  // True (and the '[' consumed) when the next value is an array; false, consuming nothing
  // beyond whitespace, when it is anything else.
  core::Result<bool> EnterArray();
  // The raw text of the array's next element into `out`; false after the closing ']'.
  core::Result<bool> NextElement(std::string& out, std::size_t max_bytes);

  // The largest capacity the capture buffer of ReadValue/NextElement reached: the memory
  // a file costs beyond the read buffer.
  std::size_t largest_value_bytes() const { return largest_value_bytes_; }

 private:
  JsonScanner(int fd, std::size_t buffer_bytes);

  // The byte at the read position (-1 at the end of the file, -2 after a read error).
  int Peek();
  void Advance() { ++pos_; }
  void SkipWhitespace();
  core::Result<void> Expect(char c, const char* what);
  core::Result<void> Value(std::string* out, std::size_t max_bytes);
  tl::unexpected<core::Error> Malformed(const std::string& what) const;

  struct Fd {
    int fd = -1;
    explicit Fd(int f) : fd(f) {}
    Fd(Fd&& other) noexcept : fd(other.fd) { other.fd = -1; }
    Fd& operator=(Fd&&) = delete;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd();
  };

  Fd fd_;
  std::vector<char> buffer_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  std::uint64_t consumed_ = 0;  // bytes before buffer_[0]
  bool read_error_ = false;
  bool first_member_ = true;
  bool object_closed_ = false;
  bool in_array_ = false;
  bool first_element_ = true;
  std::size_t largest_value_bytes_ = 0;
};

}  // namespace c2p::batch
