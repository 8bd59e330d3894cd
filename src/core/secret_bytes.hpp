#pragma once
// SecretBytes holds key material and decrypted card or personal data. It cannot be
// printed, formatted or logged (no operator<<, no fmt formatter, IsSecret<> lets the log
// helper refuse it at compile time), and its memory is wiped when it is destroyed or
// overwritten.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

namespace c2p::core {

// Overwrites memory in a way the optimiser may not remove.
void SecureWipe(void* data, std::size_t size);

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::size_t size) : bytes_(size) {}
  SecretBytes(const std::uint8_t* data, std::size_t size) : bytes_(data, data + size) {}
  explicit SecretBytes(std::string_view text)
      : bytes_(reinterpret_cast<const std::uint8_t*>(text.data()),
               reinterpret_cast<const std::uint8_t*>(text.data()) + text.size()) {}
  ~SecretBytes() { Wipe(); }

  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  SecretBytes(SecretBytes&& other) noexcept : bytes_(std::move(other.bytes_)) {}
  SecretBytes& operator=(SecretBytes&& other) noexcept {
    if (this != &other) {
      Wipe();
      bytes_ = std::move(other.bytes_);
    }
    return *this;
  }

  // An explicit copy, so duplicating a secret is always visible in the code.
  SecretBytes Clone() const { return SecretBytes(bytes_.data(), bytes_.size()); }

  std::uint8_t* data() { return bytes_.data(); }
  const std::uint8_t* data() const { return bytes_.data(); }
  std::size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }
  std::span<const std::uint8_t> view() const { return bytes_; }
  std::string_view as_text() const {
    return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()};
  }
  // Shrinks without reallocating, wiping the cut-off tail.
  void truncate(std::size_t size);

  void Wipe();

 private:
  std::vector<std::uint8_t> bytes_;
};

// Marks types that must never reach a log line, an error or a metric.
template <typename T>
struct IsSecret : std::false_type {};
template <>
struct IsSecret<SecretBytes> : std::true_type {};

}  // namespace c2p::core
