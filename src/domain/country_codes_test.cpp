#include "domain/country_codes.hpp"

#include <gtest/gtest.h>

namespace c2p::domain {
namespace {

TEST(CountryCodes, KnowsAssignedCodes) {
  for (std::string_view code : {"AD", "FR", "US", "GB", "DE", "AE", "SA", "ZW", "AX", "SS"}) {
    EXPECT_TRUE(IsCountryCode(code)) << code;
  }
  EXPECT_EQ(CountryCount(), 249u);
}

TEST(CountryCodes, RefusesUnassignedReservedAndMalformed) {
  for (std::string_view code : {"UK", "EU", "XK", "ZZ", "AA", "fr", "Fr", "F", "FRA", "", "1A"}) {
    EXPECT_FALSE(IsCountryCode(code)) << code;
  }
}

TEST(CountryCodes, MapsToAlpha3) {
  EXPECT_EQ(CountryAlpha3("FR"), "FRA");
  EXPECT_EQ(CountryAlpha3("GB"), "GBR");
  EXPECT_EQ(CountryAlpha3("US"), "USA");
  EXPECT_EQ(CountryAlpha3("AD"), "AND");  // first in the table
  EXPECT_EQ(CountryAlpha3("ZW"), "ZWE");  // last
  EXPECT_EQ(CountryAlpha3("UK"), std::nullopt);
}

TEST(CountryCodes, MapsBackToAlpha2) {
  EXPECT_EQ(CountryAlpha2("FRA"), "FR");
  EXPECT_EQ(CountryAlpha2("GBR"), "GB");
  EXPECT_EQ(CountryAlpha2("ZWE"), "ZW");
  EXPECT_EQ(CountryAlpha2("FR"), std::nullopt);
  EXPECT_EQ(CountryAlpha2("fra"), std::nullopt);
  EXPECT_EQ(CountryAlpha2(""), std::nullopt);
}

TEST(CountryCodes, RuleNamesTheField) {
  auto bad = CheckText(kCountryCodeRule, "UK", "/billingAddress/countryCode");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "/billingAddress/countryCode");
  EXPECT_EQ(bad.error().message, "countryCode must be an ISO 3166-1 alpha-2 country code");
}

TEST(CountryCodes, KnowsAlpha3Codes) {
  EXPECT_TRUE(IsCountryAlpha3("FRA"));
  EXPECT_TRUE(IsCountryAlpha3("USA"));
  EXPECT_FALSE(IsCountryAlpha3("FR"));
  EXPECT_FALSE(IsCountryAlpha3("fra"));
  EXPECT_FALSE(IsCountryAlpha3("XXX"));
  EXPECT_FALSE(IsCountryAlpha3(""));
}

}  // namespace
}  // namespace c2p::domain
