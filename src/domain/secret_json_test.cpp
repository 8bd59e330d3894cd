#include "domain/secret_json.hpp"

#include <array>
#include <string>

#include <gtest/gtest.h>

namespace c2p::domain {
namespace {

constexpr std::array<std::string_view, 3> kNames = {"pan", "exp", "name"};

tl::expected<SecretStringObject, SecretJsonError> Parse(std::string_view text) {
  return ParseSecretStringObject(text, kNames);
}

TEST(SecretJson, ReadsStringMembers) {
  auto o = Parse(R"({"pan":"4111111111111111","exp":"1228","name":"JANE DOE"})");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->Get("pan"), "4111111111111111");
  EXPECT_EQ(o->Get("exp"), "1228");
  EXPECT_EQ(o->Get("name"), "JANE DOE");
}

TEST(SecretJson, AbsentMembersAndEmptyObject) {
  auto o = Parse(" { } ");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->Get("pan"), std::nullopt);
  auto p = Parse(R"({"exp": "1228"})");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->Get("pan"), std::nullopt);
  EXPECT_EQ(p->Get("exp"), "1228");
}

TEST(SecretJson, WhitespaceEverywhereJsonAllowsIt) {
  auto o = Parse("\r\n\t{ \"pan\" :\t\"41\" ,\n\"exp\"\r:\"1228\"\t}\n ");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->Get("pan"), "41");
}

TEST(SecretJson, DecodesEscapes) {
  auto o = Parse(R"({"pan":"\u0034\u00311","exp":"\"\\\/\b\f\n\r\t","name":"\u0627\uD83D\uDE00"})");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->Get("pan"), "411");
  EXPECT_EQ(o->Get("exp"), "\"\\/\b\f\n\r\t");
  EXPECT_EQ(o->Get("name"), "\xD8\xA7\xF0\x9F\x98\x80");
  // Keys may be escaped too.
  auto k = Parse(R"({"\u0070an":"1"})");
  ASSERT_TRUE(k);
  EXPECT_EQ(k->Get("pan"), "1");
}

TEST(SecretJson, KeepsRawUtf8) {
  auto o = Parse("{\"name\":\"\xD8\xA7 \xC3\xA9\"}");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->Get("name"), "\xD8\xA7 \xC3\xA9");
}

struct Bad {
  std::string text;
  SecretJsonError error;
};

TEST(SecretJson, Refusals) {
  using E = SecretJsonError;
  const Bad cases[] = {
      {"", E::kSyntax},
      {"   ", E::kSyntax},
      {"[]", E::kSyntax},
      {R"("pan")", E::kSyntax},
      {"{", E::kSyntax},
      {R"({"pan":"1")", E::kSyntax},
      {R"({"pan":"1",})", E::kSyntax},   // trailing comma
      {R"({"pan":"1"} x)", E::kSyntax},  // trailing data
      {R"({"pan":"1"}{})", E::kSyntax},
      {R"({pan:"1"})", E::kSyntax},  // bare key
      {R"({'pan':'1'})", E::kSyntax},
      {R"({"pan" "1"})", E::kSyntax},
      {R"({"pan":"1" "exp":"2"})", E::kSyntax},
      {R"({"pan":"1)", E::kSyntax},          // unterminated
      {"{\"pan\":\"4111\n\"}", E::kSyntax},  // raw control character
      {R"({"pan":"\x41"})", E::kSyntax},     // not a JSON escape
      {R"({"pan":"\u12"})", E::kSyntax},
      {R"({"pan":"\u12G4"})", E::kSyntax},
      {R"({"pan":"\uD800"})", E::kSyntax},         // lone high surrogate
      {R"({"pan":"\uDC00"})", E::kSyntax},         // lone low surrogate
      {R"({"pan":"\uD800\u0041"})", E::kSyntax},   // high + non-low
      {"{\"pan\":\"\xC3\"}", E::kSyntax},          // truncated UTF-8
      {"{\"pan\":\"\xED\xA0\x80\"}", E::kSyntax},  // encoded surrogate
      {std::string("{\"pan\":\"1\"}\0", 12), E::kSyntax},
      {R"({"pan":4111111111111111})", E::kNotAString},
      {R"({"pan":null})", E::kNotAString},
      {R"({"pan":["4111"]})", E::kNotAString},
      {R"({"pan":{"v":"4111"}})", E::kNotAString},
      {R"({"pan":})", E::kNotAString},
      {R"({"cvv":"123"})", E::kUnknownMember},
      {R"({"PAN":"4111"})", E::kUnknownMember},
      {R"({"pan":"1","pan":"2"})", E::kDuplicateMember},
      {R"({"pan":"1","\u0070an":"2"})", E::kDuplicateMember},  // same name once decoded
  };
  for (const auto& c : cases) {
    auto o = Parse(c.text);
    ASSERT_FALSE(o) << testing::PrintToString(c.text);
    EXPECT_EQ(o.error(), c.error) << testing::PrintToString(c.text);
  }
}

TEST(SecretJson, LongestEscapesStillFitTheBuffer) {
  // Every decoded string is shorter than its JSON form; a worst case of many escapes
  // must not write past the buffer (ASan would tell).
  std::string value;
  for (int i = 0; i < 200; ++i) value += R"(\uD83D\uDE00\u0627\n)";
  auto o = Parse(R"({"name":")" + value + R"("})");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->Get("name")->size(), 200u * (4 + 2 + 1));
}

}  // namespace
}  // namespace c2p::domain
