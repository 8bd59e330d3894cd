#pragma once
// The UTF-8 the field rules need: decode one code point at a time (strictly: no overlong
// forms, no surrogates, nothing above U+10FFFF) and encode one. Field lengths in
// spec/api.md §1 count characters, i.e. code points, not bytes.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace c2p::domain {

// Decodes the code point starting at text[pos] and advances pos past it; nullopt (pos
// unchanged) for an invalid or truncated sequence. Precondition: pos < text.size().
std::optional<char32_t> DecodeUtf8(std::string_view text, std::size_t& pos);

// Writes the UTF-8 form of `cp` (a scalar value: not a surrogate, at most U+10FFFF) to
// out[0..3] and returns its length, 1 to 4.
std::size_t EncodeUtf8(char32_t cp, std::uint8_t* out);

// The number of code points, or nullopt when `text` is not valid UTF-8.
std::optional<std::size_t> CountCodePoints(std::string_view text);

}  // namespace c2p::domain
