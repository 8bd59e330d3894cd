#include "core/ids.hpp"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

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

TEST(Ids, SortableMillisSortAsTheNumbersDo) {
  EXPECT_EQ(SortableMillis(0), "--------");
  EXPECT_EQ(SortableMillis((std::uint64_t{1} << 48) - 1), "zzzzzzzz");
  EXPECT_EQ(SortableMillis(1), "-------0");
  EXPECT_EQ(SortableMillis(64), "------0-");
  // Every value of the last two characters, and each carry up to the top one.
  for (std::uint64_t ms = 0; ms < 64 * 64 + 1; ++ms) {
    ASSERT_LT(SortableMillis(ms), SortableMillis(ms + 1)) << ms;
  }
  for (int shift = 6; shift < 48; shift += 6) {
    const std::uint64_t carry = std::uint64_t{1} << shift;
    EXPECT_LT(SortableMillis(carry - 1), SortableMillis(carry)) << shift;
    EXPECT_TRUE(IsGeneratedId(SortableMillis(carry - 1)));
  }
}

TEST(Ids, TimeOrderedIdsAreTokensDistinctAndSortByCreation) {
  std::vector<std::string> made;
  for (int i = 0; i < 1000; ++i) {
    made.push_back(NewTimeOrderedId("op_"));
    EXPECT_EQ(made.back().size(), 3u + 8u + 22u);
    EXPECT_TRUE(IsGeneratedId(made.back())) << made.back();
  }
  EXPECT_EQ(std::set<std::string>(made.begin(), made.end()).size(), 1000u);
  // Made in a later millisecond, sorted later (byte order): ids are made until the time
  // part moves on (within a millisecond or so).
  std::string later;
  do {
    later = NewTimeOrderedId("op_");
  } while (later.substr(0, 11) == made.back().substr(0, 11));
  for (const std::string& id : made) {
    EXPECT_LT(id.substr(0, 11), later.substr(0, 11));
    EXPECT_LT(id, later);
  }
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
