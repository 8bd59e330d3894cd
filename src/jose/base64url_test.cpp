#include "jose/base64url.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace c2p::jose {
namespace {

std::string AsText(const std::vector<std::uint8_t>& bytes) { return {bytes.begin(), bytes.end()}; }

struct Vector {
  std::string_view plain;
  std::string_view encoded;
};

// RFC 4648 §10. None of them reach the two characters where base64url differs.
constexpr Vector kRfc4648[] = {
    {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},         {"foo", "Zm9v"},
    {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};

TEST(Base64Url, EncodesRfc4648VectorsWithoutPadding) {
  for (const auto& v : kRfc4648) EXPECT_EQ(Base64UrlEncode(v.plain), v.encoded) << v.plain;
}

TEST(Base64Url, DecodesRfc4648Vectors) {
  for (const auto& v : kRfc4648) {
    auto decoded = Base64UrlDecode(v.encoded);
    ASSERT_TRUE(decoded) << v.encoded << ": " << decoded.error().message;
    EXPECT_EQ(AsText(*decoded), v.plain);
  }
}

TEST(Base64Url, UsesTheUrlSafeAlphabet) {
  // Standard base64 of these bytes is "+/8=".
  const std::vector<std::uint8_t> bytes = {0xFB, 0xFF};
  EXPECT_EQ(Base64UrlEncode(bytes), "-_8");
  auto decoded = Base64UrlDecode("-_8");
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, bytes);
}

TEST(Base64Url, RoundTripsEveryByteValue) {
  std::vector<std::uint8_t> bytes(256);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i);
  for (std::size_t n = 0; n <= bytes.size(); n += 37) {
    std::vector<std::uint8_t> slice(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
    auto decoded = Base64UrlDecode(Base64UrlEncode(slice));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(*decoded, slice);
  }
}

TEST(Base64Url, RejectsPadding) {
  for (std::string_view text : {"Zg==", "Zm8=", "Zg=", "===="}) {
    auto decoded = Base64UrlDecode(text);
    ASSERT_FALSE(decoded) << text;
    EXPECT_EQ(decoded.error().code, core::ErrorCode::kFieldInvalidFormat);
  }
}

TEST(Base64Url, RejectsCharactersOutsideTheAlphabet) {
  for (std::string_view text : {"Zm9v+A", "Zm9v/A", "Zm 8", "Zm8\n", "Zm.8", "Zm\xC3\xA9"}) {
    EXPECT_FALSE(Base64UrlDecode(text)) << text;
  }
  EXPECT_FALSE(Base64UrlDecode(std::string_view("Zm\0v", 4)));
}

TEST(Base64Url, RejectsImpossibleLengths) {
  for (std::string_view text : {"Z", "Zm9vY", "Zm9vYmFyZ"}) {
    auto decoded = Base64UrlDecode(text);
    ASSERT_FALSE(decoded) << text;
    EXPECT_NE(decoded.error().message.find("length"), std::string::npos);
  }
}

TEST(Base64Url, RejectsNonCanonicalTrailingBits) {
  // "Zh" and "Zm9" decode to the same bytes as "Zg" and "Zm8" if the spare bits are
  // ignored; only the canonical spelling is accepted.
  for (std::string_view text : {"Zh", "Zm9", "Zm9vYh", "Zm9vYmF"}) {
    auto decoded = Base64UrlDecode(text);
    ASSERT_FALSE(decoded) << text;
    EXPECT_NE(decoded.error().message.find("trailing"), std::string::npos);
  }
}

TEST(Base64Url, SecretVariantsAgreeWithThePlainOnes) {
  const std::vector<std::uint8_t> bytes = {0x00, 0x10, 0x83, 0xFF, 0x7E};
  EXPECT_EQ(Base64UrlEncodeSecret(bytes).as_text(), Base64UrlEncode(bytes));
  auto decoded = Base64UrlDecodeSecret(Base64UrlEncode(bytes));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(std::vector<std::uint8_t>(decoded->view().begin(), decoded->view().end()), bytes);
  EXPECT_FALSE(Base64UrlDecodeSecret("Zh"));
  EXPECT_FALSE(Base64UrlDecodeSecret("Zg=="));
}

}  // namespace
}  // namespace c2p::jose
