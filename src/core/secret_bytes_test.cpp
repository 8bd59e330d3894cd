#include "core/secret_bytes.hpp"

#include <gtest/gtest.h>

namespace c2p::core {
namespace {

TEST(SecretBytes, WipeClearsContents) {
  SecretBytes s(std::string_view("4111111111111111"));
  ASSERT_EQ(s.size(), 16u);
  s.Wipe();
  EXPECT_TRUE(s.empty());
}

TEST(SecretBytes, TruncateKeepsThePrefix) {
  SecretBytes s(std::string_view("abcdef"));
  s.truncate(3);
  EXPECT_EQ(s.as_text(), "abc");
}

TEST(SecretBytes, MoveLeavesSourceEmpty) {
  SecretBytes a(std::string_view("key"));
  SecretBytes b = std::move(a);
  EXPECT_EQ(b.as_text(), "key");
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): the contract under test
}

TEST(SecretBytes, IsMarkedSecret) {
  static_assert(IsSecret<SecretBytes>::value);
  static_assert(!std::is_copy_constructible_v<SecretBytes>);
  SUCCEED();
}

}  // namespace
}  // namespace c2p::core
