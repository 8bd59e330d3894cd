// The validator must refuse what breaks each keyword the document uses, or the contract
// test would pass anything.

#include "tests/support/json_schema.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace c2p::testing {
namespace {

namespace json = boost::json;

class JsonSchemaTest : public ::testing::Test {
 protected:
  // Validates `instance` against `schema` inside a document whose components hold `defs`.
  std::optional<std::string> Run(const std::string& schema, const std::string& instance,
                                 const std::string& defs = "{}") {
    root_ = json::parse(R"({"components":{"schemas":)" + defs + "}}");
    const JsonSchemaValidator validator(root_);
    return validator.Validate(json::parse(schema), json::parse(instance));
  }
  json::value root_;
};

TEST_F(JsonSchemaTest, Type) {
  EXPECT_FALSE(Run(R"({"type":"string"})", R"("x")"));
  EXPECT_TRUE(Run(R"({"type":"string"})", "1"));
  EXPECT_FALSE(Run(R"({"type":"integer"})", "3"));
  EXPECT_FALSE(Run(R"({"type":"integer"})", "3.0"));
  EXPECT_TRUE(Run(R"({"type":"integer"})", "3.5"));
  EXPECT_FALSE(Run(R"({"type":"number"})", "3.5"));
  EXPECT_TRUE(Run(R"({"type":"object"})", "[]"));
  EXPECT_TRUE(Run(R"({"type":"array"})", "{}"));
  EXPECT_TRUE(Run(R"({"type":"boolean"})", "null"));
  EXPECT_FALSE(Run(R"({"type":["string","null"]})", "null"));
  EXPECT_TRUE(Run(R"({"type":["string","null"]})", "true"));
}

TEST_F(JsonSchemaTest, RequiredPropertiesAndAdditionalProperties) {
  const std::string schema =
      R"({"type":"object","properties":{"a":{"type":"string"},"b":{"type":"integer"}},)"
      R"("required":["a"],"additionalProperties":false})";
  EXPECT_FALSE(Run(schema, R"({"a":"x","b":1})"));
  auto missing = Run(schema, R"({"b":1})");
  ASSERT_TRUE(missing);
  EXPECT_NE(missing->find("'a' is missing"), std::string::npos) << *missing;
  auto extra = Run(schema, R"({"a":"x","c":1})");
  ASSERT_TRUE(extra);
  EXPECT_NE(extra->find("/c"), std::string::npos) << *extra;
  auto wrong = Run(schema, R"({"a":"x","b":"1"})");
  ASSERT_TRUE(wrong);
  EXPECT_NE(wrong->find("/b: not of type integer"), std::string::npos) << *wrong;
  // additionalProperties as a schema, and absent (open object).
  EXPECT_TRUE(Run(R"({"additionalProperties":{"type":"integer"}})", R"({"x":"y"})"));
  EXPECT_FALSE(Run(R"({"properties":{"a":{}}})", R"({"z":1})"));
}

TEST_F(JsonSchemaTest, ItemsAndCounts) {
  const std::string schema = R"({"type":"array","items":{"enum":["A","B"]},"maxItems":2})";
  EXPECT_FALSE(Run(schema, R"(["A","B"])"));
  auto bad = Run(schema, R"(["A","C"])");
  ASSERT_TRUE(bad);
  EXPECT_NE(bad->find("/1: not one of the enum values"), std::string::npos) << *bad;
  EXPECT_TRUE(Run(schema, R"(["A","A","A"])"));
  EXPECT_TRUE(Run(R"({"minItems":1})", "[]"));
}

TEST_F(JsonSchemaTest, EnumAndConst) {
  EXPECT_FALSE(Run(R"({"enum":["ACTIVE","INACTIVE"]})", R"("ACTIVE")"));
  EXPECT_TRUE(Run(R"({"enum":["ACTIVE","INACTIVE"]})", R"("active")"));
  EXPECT_FALSE(Run(R"({"const":1})", "1.0"));
  EXPECT_TRUE(Run(R"({"const":"x"})", R"("y")"));
}

TEST_F(JsonSchemaTest, PatternAndLengthCountCodePoints) {
  EXPECT_FALSE(Run(R"({"pattern":"^[A-Za-z0-9_-]{10}$"})", R"("ISSUER0001")"));
  EXPECT_TRUE(Run(R"({"pattern":"^[A-Za-z0-9_-]{10}$"})", R"("ISSUER001")"));
  // Unanchored patterns match anywhere (ECMA-262 semantics).
  EXPECT_FALSE(Run(R"({"pattern":"[0-9]"})", R"("ab1")"));
  // The Arabic block of the person-name rule; "سعيد" is four code points, eight bytes.
  const std::string name = R"({"pattern":"^[A-Za-z \\u0600-\\u06FF]{1,4}$"})";
  EXPECT_FALSE(Run(name, "\"\xd8\xb3\xd8\xb9\xd9\x8a\xd8\xaf\""));
  EXPECT_TRUE(Run(name, "\"\xd0\x96\""));  // Cyrillic: not allowed
  EXPECT_FALSE(Run(R"({"maxLength":4})", "\"\xd8\xb3\xd8\xb9\xd9\x8a\xd8\xaf\""));
  EXPECT_TRUE(Run(R"({"maxLength":3})", "\"\xd8\xb3\xd8\xb9\xd9\x8a\xd8\xaf\""));
  EXPECT_TRUE(Run(R"({"minLength":1})", R"("")"));
}

TEST_F(JsonSchemaTest, MinimumAndMaximum) {
  EXPECT_FALSE(Run(R"({"minimum":1,"maximum":100})", "100"));
  EXPECT_TRUE(Run(R"({"minimum":1,"maximum":100})", "0"));
  EXPECT_TRUE(Run(R"({"minimum":1,"maximum":100})", "101"));
  EXPECT_TRUE(Run(R"({"maximum":1})", "1.5"));
}

TEST_F(JsonSchemaTest, OneOfAnyOfAllOf) {
  const std::string one = R"({"oneOf":[{"type":"integer"},{"type":"number"}]})";
  EXPECT_FALSE(Run(one, "1.5"));
  auto both = Run(one, "1");  // an integer is a number too: two matches
  ASSERT_TRUE(both);
  EXPECT_NE(both->find("more than one"), std::string::npos);
  EXPECT_TRUE(Run(one, R"("x")"));
  EXPECT_FALSE(Run(R"({"anyOf":[{"type":"integer"},{"type":"number"}]})", "1"));
  EXPECT_TRUE(Run(R"({"anyOf":[{"type":"integer"},{"type":"boolean"}]})", R"("x")"));
  EXPECT_TRUE(Run(R"({"allOf":[{"type":"integer"},{"minimum":5}]})", "4"));
  EXPECT_FALSE(Run(R"({"allOf":[{"type":"integer"},{"minimum":5}]})", "5"));
}

TEST_F(JsonSchemaTest, RefsResolveIntoTheDocument) {
  const std::string defs =
      R"({"Id":{"type":"string","pattern":"^[a-z]+$"},)"
      R"("Pair":{"type":"object","properties":{"id":{"$ref":"#/components/schemas/Id"}},)"
      R"("required":["id"],"additionalProperties":false}})";
  EXPECT_FALSE(Run(R"({"$ref":"#/components/schemas/Pair"})", R"({"id":"abc"})", defs));
  auto bad = Run(R"({"$ref":"#/components/schemas/Pair"})", R"({"id":"ABC"})", defs);
  ASSERT_TRUE(bad);
  EXPECT_NE(bad->find("/id: does not match"), std::string::npos) << *bad;
  EXPECT_TRUE(Run(R"({"$ref":"#/components/schemas/Nope"})", "1", defs));
  // A cycle that consumes nothing ends in an error, not a stack overflow.
  EXPECT_TRUE(Run(R"({"$ref":"#/components/schemas/Loop"})", "1",
                  R"({"Loop":{"$ref":"#/components/schemas/Loop"}})"));
}

TEST_F(JsonSchemaTest, UnsupportedKeywordsAreErrorsNotSilentPasses) {
  auto bad = Run(R"({"type":"string","format":"email","patternProperties":{}})", R"("x")");
  ASSERT_TRUE(bad);
  EXPECT_NE(bad->find("patternProperties"), std::string::npos);
  EXPECT_FALSE(Run(R"({"type":"string","description":"d","format":"date-time"})", R"("x")"));
  EXPECT_TRUE(Run(R"({"pattern":"([a-z"})", R"("x")"));  // a broken pattern never passes
}

TEST_F(JsonSchemaTest, MessagesNeverQuoteTheValue) {
  const std::string secret = "jane.secret@example.com";
  for (const std::string& schema :
       {std::string(R"({"pattern":"^[0-9]+$"})"), std::string(R"({"enum":["A"]})"),
        std::string(R"({"maxLength":3})"), std::string(R"({"type":"integer"})")}) {
    auto bad = Run(schema, "\"" + secret + "\"");
    ASSERT_TRUE(bad) << schema;
    EXPECT_EQ(bad->find(secret), std::string::npos) << *bad;
  }
}

}  // namespace
}  // namespace c2p::testing
