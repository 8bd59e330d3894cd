#include "jose/jcs.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "core/strict_json.hpp"

namespace c2p::jose {
namespace {
namespace json = boost::json;

std::string CanonicalOf(std::string_view text) {
  auto value = core::ParseStrictJson(text);
  if (!value) throw std::logic_error("test JSON does not parse");
  auto canonical = Canonicalize(*value);
  if (!canonical) throw std::logic_error(canonical.error().message);
  return *canonical;
}

TEST(Jcs, CanonicalisesTheRfc8785Sample) {
  // RFC 8785 §3.2.2 input and §3.2.3 output.
  constexpr std::string_view kInput = R"({
    "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
    "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
    "literals": [null, true, false]
  })";
  auto value = core::ParseStrictJson(kInput);
  ASSERT_TRUE(value);
  // The strict reader rounds decimals correctly (Boost.JSON 1.81 alone lands one ulp off
  // here), so the sample goes through unchanged.
  EXPECT_EQ(*Canonicalize(*value),
            "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
            "\"string\":\"\xE2\x82\xAC$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
}

TEST(Jcs, SortsMembersByUtf16CodeUnits) {
  // RFC 8785 §3.2.3: U+1F600 (surrogates D83D DE00) sorts before U+FB33, unlike in UTF-8.
  constexpr std::string_view kInput = R"({
    "\u20ac": "Euro Sign",
    "\r": "Carriage Return",
    "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One",
    "\ud83d\ude00": "Emoji: Grinning Face",
    "\u0080": "Control",
    "\u00f6": "Latin Small Letter O With Diaeresis"
  })";
  EXPECT_EQ(CanonicalOf(kInput),
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xC2\x80\":\"Control\","
            "\"\xC3\xB6\":\"Latin Small Letter O With Diaeresis\",\"\xE2\x82\xAC\":\"Euro Sign\","
            "\"\xF0\x9F\x98\x80\":\"Emoji: Grinning Face\","
            "\"\xEF\xAC\xB3\":\"Hebrew Letter Dalet With Dagesh\"}");
}

struct NumberCase {
  std::uint64_t bits;
  std::string_view expected;
};

// RFC 8785 appendix B: IEEE 754 doubles and their canonical text.
constexpr NumberCase kAppendixB[] = {
    {0x0000000000000000, "0"},
    {0x8000000000000000, "0"},
    {0x0000000000000001, "5e-324"},
    {0x8000000000000001, "-5e-324"},
    {0x7fefffffffffffff, "1.7976931348623157e+308"},
    {0xffefffffffffffff, "-1.7976931348623157e+308"},
    {0x4340000000000000, "9007199254740992"},
    {0xc340000000000000, "-9007199254740992"},
    {0x4430000000000000, "295147905179352830000"},
    {0x44b52d02c7e14af5, "9.999999999999997e+22"},
    {0x44b52d02c7e14af6, "1e+23"},
    {0x44b52d02c7e14af7, "1.0000000000000001e+23"},
    {0x444b1ae4d6e2ef4e, "999999999999999700000"},
    {0x444b1ae4d6e2ef4f, "999999999999999900000"},
    {0x444b1ae4d6e2ef50, "1e+21"},
    {0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
    {0x3eb0c6f7a0b5ed8d, "0.000001"},
    {0x41b3de4355555553, "333333333.3333332"},
    {0x41b3de4355555554, "333333333.33333325"},
    {0x41b3de4355555555, "333333333.3333333"},
    {0x41b3de4355555556, "333333333.3333334"},
    {0x41b3de4355555557, "333333333.33333343"},
    {0xbecbf647612f3696, "-0.0000033333333333333333"},
    {0x43143ff3c1cb0959, "1424953923781206.2"},
};

TEST(Jcs, FormatsTheRfc8785AppendixBNumbers) {
  for (const NumberCase& c : kAppendixB) {
    const double value = std::bit_cast<double>(c.bits);
    auto text = CanonicalNumber(value);
    ASSERT_TRUE(text) << std::hex << c.bits;
    EXPECT_EQ(*text, c.expected) << std::hex << c.bits;
    EXPECT_EQ(*Canonicalize(json::value(value)), c.expected);
  }
}

TEST(Jcs, RefusesNonFiniteNumbers) {
  for (std::uint64_t bits : {0x7fffffffffffffffull, 0x7ff0000000000000ull, 0xfff0000000000000ull}) {
    const double value = std::bit_cast<double>(bits);
    EXPECT_FALSE(CanonicalNumber(value));
    auto canonical = Canonicalize(json::array{1, value});
    ASSERT_FALSE(canonical);
    EXPECT_EQ(canonical.error().code, core::ErrorCode::kFieldInvalidFormat);
  }
}

TEST(Jcs, FormatsExponentBoundariesAsEcmaScriptDoes) {
  struct Case {
    double value;
    std::string_view expected;
  };
  for (const Case& c :
       {Case{1e21, "1e+21"}, Case{1e20, "100000000000000000000"}, Case{1e-7, "1e-7"},
        Case{1e-6, "0.000001"}, Case{1.5e-7, "1.5e-7"}, Case{123456.789, "123456.789"},
        Case{-0.5, "-0.5"}, Case{1.0, "1"}, Case{1.23e-18, "1.23e-18"}, Case{2.5e+25, "2.5e+25"}}) {
    EXPECT_EQ(*CanonicalNumber(c.value), c.expected) << c.value;
  }
}

TEST(Jcs, PrintsIntegersAsTheDoublesTheyEqual) {
  constexpr std::int64_t kTwo53 = std::int64_t{1} << 53;
  EXPECT_EQ(*Canonicalize(json::value(std::int64_t{0})), "0");
  EXPECT_EQ(*Canonicalize(json::value(std::int64_t{-17})), "-17");
  EXPECT_EQ(*Canonicalize(json::value(kTwo53)), "9007199254740992");
  EXPECT_EQ(*Canonicalize(json::value(-kTwo53)), "-9007199254740992");
  // 2^60 is a double; ECMAScript prints it with its shortest digits.
  EXPECT_EQ(*Canonicalize(json::value(std::int64_t{1} << 60)), "1152921504606847000");
  EXPECT_EQ(*Canonicalize(json::value(std::numeric_limits<std::int64_t>::min())),
            "-9223372036854776000");
  EXPECT_EQ(*Canonicalize(json::value(std::uint64_t{1} << 63)), "9223372036854776000");
  // No double equals these: canonicalising would change the value.
  EXPECT_FALSE(Canonicalize(json::value(kTwo53 + 1)));
  EXPECT_FALSE(Canonicalize(json::value(std::numeric_limits<std::uint64_t>::max())));
  EXPECT_FALSE(Canonicalize(json::value(std::numeric_limits<std::int64_t>::max())));
}

TEST(Jcs, EscapesOnlyWhatRfc8785Requires) {
  const json::value value =
      json::string(std::string("\x00\x01\x08\x09\x0a\x0b\x0c\x0d\x1f\x7f/<>&'", 15));
  EXPECT_EQ(*Canonicalize(value), R"("\u0000\u0001\b\t\n\u000b\f\r\u001f)"
                                  "\x7f"
                                  R"(/<>&'")");
}

TEST(Jcs, RefusesInvalidUtf8) {
  for (std::string_view bad :
       {"\xC0\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82", "\x80", "\xFF"}) {
    EXPECT_FALSE(Canonicalize(json::value(json::string(bad)))) << "string";
    EXPECT_FALSE(Canonicalize(json::object{{bad, 1}})) << "member name";
  }
}

TEST(Jcs, DropsWhitespaceAndKeepsArrayOrder) {
  EXPECT_EQ(CanonicalOf(R"( { "b" : [ 3 , 1 , { "z" : {} , "a" : [ ] } ] , "a" : "" } )"),
            R"({"a":"","b":[3,1,{"a":[],"z":{}}]})");
}

TEST(Jcs, CanonicalizeToAppends) {
  std::string out = R"({"header":)";
  ASSERT_TRUE(CanonicalizeTo(json::object{{"seq", "1"}, {"batchId", "B1"}}, out));
  out += "}";
  EXPECT_EQ(out, R"({"header":{"batchId":"B1","seq":"1"}})");
}

TEST(Jcs, RefusesNestingBeyondTheLimit) {
  json::value deep = json::array();
  for (std::size_t i = 0; i < kMaxJcsDepth + 1; ++i) deep = json::array{deep};
  EXPECT_FALSE(Canonicalize(deep));
  json::value fine = json::array();
  for (std::size_t i = 0; i < kMaxJcsDepth - 1; ++i) fine = json::array{fine};
  EXPECT_TRUE(Canonicalize(fine));
}

}  // namespace
}  // namespace c2p::jose
