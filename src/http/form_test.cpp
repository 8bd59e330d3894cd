#include "http/form.hpp"

#include <gtest/gtest.h>

namespace c2p::http {
namespace {

TEST(Form, DecodesPairsInOrder) {
  auto f = ParseForm("grant_type=urn%3Aietf%3Aparams&assertion=a.b.c&x=1+2&flag");
  ASSERT_TRUE(f);
  ASSERT_EQ(f->size(), 4u);
  EXPECT_EQ((*f)[0], (std::pair<std::string, std::string>{"grant_type", "urn:ietf:params"}));
  EXPECT_EQ((*f)[1].second, "a.b.c");
  EXPECT_EQ((*f)[2].second, "1 2");
  EXPECT_EQ((*f)[3], (std::pair<std::string, std::string>{"flag", ""}));
}

TEST(Form, SkipsEmptySegmentsAndKeepsDuplicatesForTheCallerToJudge) {
  auto f = ParseForm("&a=1&&a=2&");
  ASSERT_TRUE(f);
  ASSERT_EQ(f->size(), 2u);
  EXPECT_EQ((*f)[1].second, "2");
  EXPECT_TRUE(ParseForm("")->empty());
}

TEST(Form, RefusesBrokenEscapesAndEmptyNames) {
  for (const char* bad : {"a=%", "a=%4", "a=%zz", "%G1=1", "=1", "a=1&=2"}) {
    EXPECT_FALSE(ParseForm(bad)) << bad;
  }
  EXPECT_EQ(*FormDecode("%00"), std::string(1, '\0'));
}

}  // namespace
}  // namespace c2p::http
