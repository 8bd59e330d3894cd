#include "domain/field_rules.hpp"

#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace c2p::domain {
namespace {

struct Case {
  std::string text;
  bool valid;
};

// n copies of a character (or of a multi-byte UTF-8 sequence).
std::string Repeat(std::string_view unit, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += unit;
  return out;
}

void ExpectAll(bool (*rule)(std::string_view), const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    EXPECT_EQ(rule(c.text), c.valid) << "\"" << c.text << "\" (" << c.text.size() << " bytes)";
  }
}

const std::string kAlef = "\xD8\xA7";  // U+0627 ARABIC LETTER ALEF

TEST(FieldRules, PersonName) {
  ExpectAll(IsPersonName, {
                              {"Jane", true},
                              {"O'Brien-Smith", true},
                              {"J. R. R.", true},
                              {"a,.'_#;:/-z 09", true},
                              {kAlef + kAlef, true},
                              {"\xD8\x80", true},          // U+0600, first of the block
                              {"\xDB\xBF", true},          // U+06FF, last of the block
                              {"\xDC\x80", false},         // U+0700, just after it
                              {"\xD7\xBF", false},         // U+05FF, just before it
                              {"Jos\xC3\xA9", false},      // é: ASCII letters only [c2p]
                              {"", false},                 //
                              {Repeat("a", 128), true},    //
                              {Repeat("a", 129), false},   //
                              {Repeat(kAlef, 128), true},  // 256 bytes, 128 characters
                              {Repeat(kAlef, 129), false},
                              {"Jane\tDoe", false},
                              {"Jane\"", false},
                              {"Jane!", false},
                              {"Jane@", false},
                              {"Jane\\", false},
                              {std::string("Ja\0ne", 5), false},
                              {"\xD8", false},      // truncated UTF-8
                              {"\xC0\xA0", false},  // overlong space
                          });
}

TEST(FieldRules, TitleAndCardholderNameLengths) {
  ExpectAll(IsTitle, {{"Mr", true},
                      {"Dr.", true},
                      {"", false},
                      {Repeat("a", 40), true},
                      {Repeat("a", 41), false},
                      {Repeat(kAlef, 40), true},
                      {"Mr!", false}});
  ExpectAll(IsCardholderName, {{"JANE DOE", true},
                               {"", false},
                               {Repeat("A", 26), true},
                               {Repeat("A", 27), false},
                               {Repeat(kAlef, 26), true},
                               {Repeat(kAlef, 27), false},
                               {"JANE\nDOE", false}});
}

TEST(FieldRules, Language) {
  ExpectAll(IsLanguage, {{"en-US", true},
                         {"fr-fr", true},
                         {"de-De", true},
                         {"EN-US", false},
                         {"en_US", false},
                         {"en", false},
                         {"en-USA", false},
                         {"e1-US", false},
                         {"en-U1", false},
                         {"en-US ", false},
                         {"", false}});
}

TEST(FieldRules, CalendarDate) {
  ExpectAll(IsCalendarDate, {{"1990-02-28", true},
                             {"2000-02-29", true},   // divisible by 400: leap
                             {"1900-02-29", false},  // by 100, not 400: not leap
                             {"2024-02-29", true},
                             {"2023-02-29", false},
                             {"2023-04-30", true},
                             {"2023-04-31", false},
                             {"2023-12-31", true},
                             {"2023-13-01", false},
                             {"2023-00-10", false},
                             {"2023-01-00", false},
                             {"2023-01-32", false},
                             {"2023-1-01", false},
                             {"2023/01/01", false},
                             {"20230101", false},
                             {"2023-01-01T00:00:00Z", false},
                             {"+023-01-01", false},
                             {"", false}});
}

TEST(FieldRules, Email) {
  ExpectAll(IsEmail, {{"jane.doe@example.com", true},
                      {"a@b.c", true},  // the shortest that passes
                      {"j+tag@sub.example.co.uk", true},
                      {"j\xC3\xA9@exampl\xC3\xA9.fr", true},  // UTF-8 is not refused
                      {"jane.doe.example.com", false},        // no @
                      {"jane@doe@example.com", false},        // two @
                      {"@example.com", false},                // empty local part
                      {"jane@example", false},                // no dot in the domain
                      {"jane@.com", false},                   // dot first
                      {"jane@example.", false},               // dot last
                      {"jane@", false},
                      {"jane doe@example.com", false},
                      {"jane@exa mple.com", false},
                      {"jane\t@example.com", false},
                      {"jane\x7F@example.com", false},
                      {"jane\xC2\x85@example.com", false},  // U+0085, a C1 control
                      {"", false},
                      {"ab", false},
                      {Repeat("a", 248) + "@b.com", true},     // 254
                      {Repeat("a", 249) + "@b.com", false}});  // 255
}

TEST(FieldRules, PhoneParts) {
  ExpectAll(
      IsPhoneCountryCode,
      {{"1", true}, {"33", true}, {"999", true}, {"", false}, {"1234", false}, {"+33", false}});
  ExpectAll(IsPhoneNumber, {{"1234", true},
                            {"612345678", true},
                            {std::string(14, '9'), true},
                            {"123", false},
                            {std::string(15, '9'), false},
                            {"6123 45678", false},
                            {"", false}});
  EXPECT_TRUE(FitsE164("33", std::string(13, '1')));
  EXPECT_FALSE(FitsE164("33", std::string(14, '1')));
  EXPECT_TRUE(FitsE164("1", std::string(14, '1')));
  EXPECT_FALSE(FitsE164("123", std::string(13, '1')));
}

TEST(FieldRules, AddressTextAndPostalCode) {
  ExpectAll(IsAddressText, {{"1 rue de la Paix", true},
                            {"Stra\xC3\x9F"
                             "e 5",
                             true},  // free text: any letters
                            {"\"quoted\" & <tags>", true},
                            {"", false},
                            {Repeat("a", 64), true},
                            {Repeat("a", 65), false},
                            {Repeat("\xC3\xA9", 64), true},
                            {Repeat("\xC3\xA9", 65), false},
                            {"line\nbreak", false},
                            {"tab\there", false},
                            {"del\x7F", false},
                            {"\xFF", false}});
  ExpectAll(IsPostalCode, {{"75002", true},
                           {"SW1A 1AA", true},
                           {"", false},
                           {Repeat("9", 16), true},
                           {Repeat("9", 17), false}});
}

TEST(FieldRules, Reason) {
  ExpectAll(IsReason, {{"Lost card", true},
                       {"a", true},
                       {Repeat("a", 64), true},
                       {Repeat("a", 65), false},
                       {"", false},
                       {"lost-card", false},
                       {"lost_card", false},
                       {"perdue \xC3\xA0", false},
                       {"reason.", false}});
}

TEST(FieldRules, Identifiers) {
  ExpectAll(IsConsumerIdText, {{"cons_1", true},
                               {Repeat("a", 64), true},
                               {Repeat("a", 65), false},
                               {"", false},
                               {"a b", false},
                               {"a/b", false}});
  ExpectAll(IsCardProductIdText, {{"VISA_CLASSIC", true},
                                  {Repeat("a", 48), true},
                                  {Repeat("a", 49), false},
                                  {"", false},
                                  {"VISA.CLASSIC", false}});
}

TEST(FieldRules, CheckTextNamesTheFieldAndNotTheValue) {
  const std::string value = "not-an-email";
  auto bad = CheckText(kEmailRule, value, "/personalInformation/email");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, core::ErrorCode::kFieldInvalidFormat);
  EXPECT_EQ(bad.error().field, "/personalInformation/email");
  EXPECT_TRUE(bad.error().message.starts_with("email must be an email address"))
      << bad.error().message;
  EXPECT_EQ(bad.error().message.find(value), std::string::npos);

  EXPECT_TRUE(CheckText(kEmailRule, "jane@example.com", "/email"));
}

TEST(FieldRules, FieldErrorUsesTheLastPointerToken) {
  const core::Error e = FieldError("/a/b/mobilePhoneNumber", "is required");
  EXPECT_EQ(e.message, "mobilePhoneNumber is required");
  EXPECT_EQ(e.field, "/a/b/mobilePhoneNumber");
}

}  // namespace
}  // namespace c2p::domain
