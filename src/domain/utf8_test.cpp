#include "domain/utf8.hpp"

#include <array>
#include <string>

#include <gtest/gtest.h>

namespace c2p::domain {
namespace {

TEST(Utf8, DecodesEachLength) {
  const std::string text = "A\xC3\xA9\xD8\xA7\xE2\x82\xAC\xF0\x9F\x98\x80";  // A é ا € 😀
  std::size_t pos = 0;
  EXPECT_EQ(DecodeUtf8(text, pos), U'A');
  EXPECT_EQ(DecodeUtf8(text, pos), U'\u00E9');
  EXPECT_EQ(DecodeUtf8(text, pos), U'\u0627');
  EXPECT_EQ(DecodeUtf8(text, pos), U'\u20AC');
  EXPECT_EQ(DecodeUtf8(text, pos), U'\U0001F600');
  EXPECT_EQ(pos, text.size());
}

TEST(Utf8, RefusesInvalidSequences) {
  const std::string bad[] = {
      "\x80",              // continuation byte first
      "\xC3",              // truncated
      "\xC3\x28",          // bad continuation
      "\xC0\x80",          // overlong NUL
      "\xE0\x80\xAF",      // overlong '/'
      "\xED\xA0\x80",      // U+D800, a surrogate
      "\xF4\x90\x80\x80",  // above U+10FFFF
      "\xF8\x88\x80\x80\x80",
      "\xFF",
  };
  for (const auto& b : bad) {
    std::size_t pos = 0;
    EXPECT_FALSE(DecodeUtf8(b, pos)) << testing::PrintToString(b);
    EXPECT_EQ(pos, 0u);
    EXPECT_FALSE(CountCodePoints(b));
  }
}

TEST(Utf8, EncodeIsTheInverseOfDecode) {
  for (char32_t cp : {U'\0', U'A', U'\u007F', U'\u0080', U'\u07FF', U'\u0800', U'\uD7FF', U'\uE000',
                      U'\uFFFF', U'\U00010000', U'\U0010FFFF'}) {
    std::array<std::uint8_t, 4> out{};
    const std::size_t n = EncodeUtf8(cp, out.data());
    const std::string text(reinterpret_cast<const char*>(out.data()), n);
    std::size_t pos = 0;
    EXPECT_EQ(DecodeUtf8(text, pos), cp);
    EXPECT_EQ(pos, n);
  }
}

TEST(Utf8, CountsCodePoints) {
  EXPECT_EQ(CountCodePoints(""), 0u);
  EXPECT_EQ(CountCodePoints("abc"), 3u);
  EXPECT_EQ(CountCodePoints("\xD8\xA7\xD8\xA7"), 2u);
}

}  // namespace
}  // namespace c2p::domain
