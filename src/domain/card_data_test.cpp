#include "domain/card_data.hpp"

#include <string>

#include <gtest/gtest.h>

namespace c2p::domain {
namespace {

using namespace std::chrono_literals;

// 2026-01-17T06:28:02Z.
const core::SystemTime kNow = core::FromUnixMillis(1'768'631'282'000);

core::Result<CardData> Parse(std::string_view text, core::SystemTime now = kNow) {
  return ParseCardData(core::SecretBytes(text), now);
}

std::string Body(std::string_view pan, std::string_view exp) {
  return R"({"pan":")" + std::string(pan) + R"(","exp":")" + std::string(exp) + R"("})";
}

TEST(CardData, ReadsTheSpecExample) {
  auto card = Parse(R"({ "pan": "4111111111111111", "exp": "1228", "name": "JANE DOE" })");
  ASSERT_TRUE(card) << card.error().message;
  EXPECT_EQ(card->pan.as_text(), "4111111111111111");
  EXPECT_EQ(card->exp, (CardExpiry{2028, 12}));
  ASSERT_TRUE(card->name);
  EXPECT_EQ(card->name->as_text(), "JANE DOE");
  EXPECT_EQ(card->PanLast4(), "1111");
  EXPECT_EQ(card->exp.ToMmYy(), "1228");
  EXPECT_EQ(card->exp.ToDisplay(), "12/28");
}

TEST(CardData, NameIsOptional) {
  auto card = Parse(Body("5555555555554444", "0127"));
  ASSERT_TRUE(card);
  EXPECT_FALSE(card->name);
}

struct PanCase {
  std::string pan;
  bool valid;
};

TEST(CardData, PanLengthAndLuhn) {
  const PanCase cases[] = {
      {"411111111117", true},           // 12 digits, the minimum
      {"41111111112", false},           // 11 digits, Luhn-valid
      {"4000000000000000006", true},    // 19 digits, the maximum
      {"40000000000000000002", false},  // 20 digits, Luhn-valid
      {"4111111111111112", false},      // Luhn fails
      {"4111 1111 1111 1111", false},  {"4111-1111-1111-1111", false}, {"", false},
      {"411111111111111a", false},
  };
  for (const auto& c : cases) {
    auto card = Parse(Body(c.pan, "1228"));
    EXPECT_EQ(static_cast<bool>(card), c.valid) << c.pan;
    if (!card) {
      EXPECT_EQ(card.error().code, core::ErrorCode::kInvalidCardData);
      EXPECT_EQ(card.error().field, "/encryptedData");
      if (!c.pan.empty()) {
        EXPECT_EQ(card.error().message.find(c.pan), std::string::npos);
      }
    }
  }
  auto luhn = Parse(Body("4111111111111112", "1228"));
  ASSERT_FALSE(luhn);
  EXPECT_EQ(luhn.error().message, "pan fails the Luhn check");
}

struct ExpCase {
  std::string exp;
  bool valid;
};

TEST(CardData, ExpiryBoundaries) {
  const ExpCase cases[] = {
      {"0126", true},   // this month: valid to its last day
      {"1225", false},  // last month
      {"0226", true},   // next month
      {"1299", true},   // 2099
      {"0125", false},  // a year ago
      {"0026", false},  // month 00
      {"1326", false},  // month 13
      {"126", false},  {"01/26", false}, {"012026", false}, {"ab26", false}, {"", false},
  };
  for (const auto& c : cases) {
    auto card = Parse(Body("4111111111111111", c.exp));
    EXPECT_EQ(static_cast<bool>(card), c.valid) << c.exp;
    if (!card) {
      EXPECT_EQ(card.error().code, core::ErrorCode::kInvalidCardData) << c.exp;
    }
  }
}

TEST(CardData, ExpiryChangesAtTheMonthBoundaryInUtc) {
  // 2026-01-31T23:59:59.999Z and 2026-02-01T00:00:00.000Z.
  const auto last_moment = core::FromUnixMillis(1'769'903'999'999);
  const auto next_month = core::FromUnixMillis(1'769'904'000'000);
  EXPECT_TRUE(Parse(Body("4111111111111111", "0126"), last_moment));
  auto expired = Parse(Body("4111111111111111", "0126"), next_month);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().message, "the card has expired");
}

TEST(CardData, WithoutAClockAPastExpiryIsRead) {
  auto card = ParseCardData(core::SecretBytes(Body("4111111111111111", "0120")), std::nullopt);
  ASSERT_TRUE(card);
  EXPECT_EQ(card->exp, (CardExpiry{2020, 1}));
  EXPECT_FALSE(ParseCardData(core::SecretBytes(Body("4111111111111111", "1320")), std::nullopt));
}

TEST(CardData, ParseExpiryAndIsExpired) {
  EXPECT_EQ(ParseExpiry("0130"), (CardExpiry{2030, 1}));
  EXPECT_EQ(ParseExpiry("1200"), (CardExpiry{2000, 12}));
  EXPECT_FALSE(ParseExpiry("0030"));
  EXPECT_FALSE(IsExpired(CardExpiry{2026, 1}, kNow));
  EXPECT_TRUE(IsExpired(CardExpiry{2025, 12}, kNow));
  EXPECT_FALSE(IsExpired(CardExpiry{2027, 1}, kNow));
  EXPECT_EQ((CardExpiry{2030, 1}).ToDisplay(), "01/30");
}

TEST(CardData, CardholderName) {
  const auto with_name = [](std::string name) {
    return R"({"pan":"4111111111111111","exp":"1228","name":")" + name + R"("})";
  };
  EXPECT_TRUE(Parse(with_name(std::string(26, 'A'))));
  EXPECT_FALSE(Parse(with_name(std::string(27, 'A'))));
  EXPECT_FALSE(Parse(with_name("")));
  EXPECT_FALSE(Parse(with_name("JANE\\nDOE")));
  EXPECT_FALSE(Parse(with_name("JANE!")));
  auto arabic = Parse(with_name("\xD8\xA7\xD8\xA8"));
  ASSERT_TRUE(arabic);
  EXPECT_EQ(arabic->name->as_text(), "\xD8\xA7\xD8\xA8");
  // An escaped form of an allowed character is the same character.
  auto escaped = Parse(with_name("\\u0627\\u0628"));
  ASSERT_TRUE(escaped);
  EXPECT_EQ(escaped->name->as_text(), "\xD8\xA7\xD8\xA8");
}

TEST(CardData, StructureRefusalsAreInvalidCardData) {
  const std::string cases[] = {
      "",
      "not json",
      R"(["4111111111111111", "1228"])",
      R"({"pan": 4111111111111111, "exp": "1228"})",
      R"({"pan": "4111111111111111", "exp": "1228", "cvv": "123"})",
      R"({"pan": "4111111111111111", "exp": "1228", "pan": "4111111111111111"})",
      R"({"exp": "1228"})",
      R"({"pan": "4111111111111111"})",
  };
  for (const auto& text : cases) {
    auto card = Parse(text);
    ASSERT_FALSE(card) << text;
    EXPECT_EQ(card.error().code, core::ErrorCode::kInvalidCardData) << text;
    EXPECT_EQ(card.error().field, "/encryptedData");
    EXPECT_EQ(card.error().message.find("4111"), std::string::npos) << card.error().message;
  }
}

TEST(CardData, EscapedPanDigitsAreDigits) {
  auto card = Parse(R"({"pan":"\u00341111111111111111","exp":"1228"})");
  // \u0034 is '4': 17 digits, 41111111111111111 fails Luhn; the point is that it parsed.
  ASSERT_FALSE(card);
  EXPECT_EQ(card.error().message, "pan fails the Luhn check");
  EXPECT_TRUE(Parse(R"({"pan":"\u0034111111111111111","exp":"1228"})"));
}

TEST(CardData, SerializeReadsBackTheSame) {
  for (std::string_view text : {R"({"pan":"4111111111111111","exp":"1228","name":"JANE DOE"})",
                                R"({"pan":"5555555555554444","exp":"0126"})"}) {
    auto card = Parse(text);
    ASSERT_TRUE(card);
    const core::SecretBytes again = SerializeCardData(*card);
    EXPECT_EQ(again.as_text(), text);
    auto reread = ParseCardData(again, kNow);
    ASSERT_TRUE(reread);
    EXPECT_EQ(reread->pan.as_text(), card->pan.as_text());
    EXPECT_EQ(reread->exp, card->exp);
    EXPECT_EQ(reread->name.has_value(), card->name.has_value());
  }
}

}  // namespace
}  // namespace c2p::domain
