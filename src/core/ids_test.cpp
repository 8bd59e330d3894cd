#include "core/ids.hpp"

#include <set>

#include <gtest/gtest.h>

namespace c2p::core {
namespace {

TEST(Ids, IssuerIdIsExactlyTenTokenCharacters) {
  EXPECT_TRUE(IsIssuerId("SANDBOX001"));
  EXPECT_TRUE(IsIssuerId("a_b-C_d-09"));
  EXPECT_FALSE(IsIssuerId("SANDBOX01"));
  EXPECT_FALSE(IsIssuerId("SANDBOX0011"));
  EXPECT_FALSE(IsIssuerId("SANDBOX 01"));
}

TEST(Ids, TokenRejectsEverythingOutsideTheAlphabet) {
  EXPECT_FALSE(IsCardId(""));
  EXPECT_FALSE(IsCardId(std::string(49, 'a')));
  EXPECT_TRUE(IsCardId(std::string(48, 'a')));
  for (char c : std::string("./:@ é\n\0", 9)) {
    EXPECT_FALSE(IsCardId(std::string("ab") + c)) << int(c);
  }
}

TEST(Ids, RandomIdsAreTokensAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewRandomId("op_");
    EXPECT_EQ(id.size(), 3u + 22u);
    EXPECT_TRUE(IsGeneratedId(id)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Ids, CorrelationIdsAreTokensAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewCorrelationId();
    EXPECT_EQ(id.size(), 22u);
    EXPECT_TRUE(IsCorrelationId(id)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace c2p::core
