#include "core/luhn.hpp"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace c2p::core {
namespace {

struct LuhnCase {
  std::string_view digits;
  bool valid;
};

TEST(Luhn, KnownNumbers) {
  const LuhnCase cases[] = {
      {"79927398713", true},           // the textbook example
      {"79927398710", false},          // same payload, wrong check digit
      {"4111111111111111", true},      // Visa test PAN
      {"4111111111111112", false},     //
      {"5555555555554444", true},      // Mastercard test PAN
      {"378282246310005", true},       // 15 digits (odd length)
      {"6011111111111117", true},      //
      {"4000000000000000006", true},   // 19 digits
      {"4000000000000000007", false},  //
      {"0", true},                     // a lone zero is its own check digit
      {"00000000000", true},           //
      {"1", false},                    //
      {"18", true},                    // 1 doubled = 2, 2 + 8 = 10
      {"59", true},                    // 5 doubled = 10 -> 1, 1 + 9 = 10
  };
  for (const auto& c : cases) {
    EXPECT_EQ(PassesLuhn(c.digits), c.valid) << c.digits;
  }
}

TEST(Luhn, NonDigitsAndEmptyAreInvalid) {
  EXPECT_FALSE(PassesLuhn(""));
  EXPECT_FALSE(PassesLuhn("4111 1111 1111 1111"));
  EXPECT_FALSE(PassesLuhn("-79927398713"));
  EXPECT_FALSE(PassesLuhn("7992739871a"));
  // A character whose code makes the arithmetic come out right is still not a digit:
  // ':' is '9' + 1.
  EXPECT_FALSE(PassesLuhn("4111111111111:11"));
}

TEST(Luhn, EverySingleDigitErrorIsDetected) {
  const std::string base = "4111111111111111";
  for (std::size_t i = 0; i < base.size(); ++i) {
    for (char d = '0'; d <= '9'; ++d) {
      if (d == base[i]) continue;
      std::string changed = base;
      changed[i] = d;
      EXPECT_FALSE(PassesLuhn(changed)) << "position " << i << " digit " << d;
    }
  }
}

}  // namespace
}  // namespace c2p::core
