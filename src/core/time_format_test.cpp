#include "core/time_format.hpp"

#include <gtest/gtest.h>

namespace c2p::core {
namespace {

TEST(TimeFormat, FormatsWithMillisecondsInUtc) {
  EXPECT_EQ(FormatIsoMillis(FromUnixMillis(1768631282492)), "2026-01-17T06:28:02.492Z");
  EXPECT_EQ(FormatIsoMillis(FromUnixMillis(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIsoMillis(FromUnixMillis(-1)), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatIsoMillis(FromUnixMillis(951782400007)), "2000-02-29T00:00:00.007Z");
}

TEST(TimeFormat, FormatThenParseRoundTripsAcrossTheYears) {
  // system_clock counts nanoseconds in 64 bits: years 1678 to 2261.
  for (std::int64_t ms = -9'000'000'000'000; ms < 9'000'000'000'000; ms += 12'345'678'917) {
    const std::string text = FormatIsoMillis(FromUnixMillis(ms));
    auto back = ParseIsoMillis(text);
    ASSERT_TRUE(back) << text;
    EXPECT_EQ(ToUnixMillis(*back), ms) << text;
  }
}

TEST(TimeFormat, ParseRoundTrips) {
  auto t = ParseIsoMillis("2026-01-17T06:28:02.492Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(ToUnixMillis(*t), 1768631282492);
}

TEST(TimeFormat, ParseRejectsOtherShapesAndImpossibleDates) {
  EXPECT_FALSE(ParseIsoMillis("2026-01-17T06:28:02Z"));
  EXPECT_FALSE(ParseIsoMillis("2026-02-30T06:28:02.492Z"));
  EXPECT_FALSE(ParseIsoMillis("2026-01-17T24:00:00.000Z"));
  EXPECT_FALSE(ParseIsoMillis("2026-01-17 06:28:02.492Z"));
}

}  // namespace
}  // namespace c2p::core
