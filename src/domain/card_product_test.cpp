#include "domain/card_product.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace c2p::domain {
namespace {

struct RangeCase {
  std::string pan;
  bool inside;
};

TEST(BinRange, ComparesThePrefixOfTheRangesLength) {
  const BinRange range{"411111", "411119"};
  const RangeCase cases[] = {
      {"4111110000000000", true},  // low edge
      {"4111119999999999", true},  // high edge
      {"4111150000000000", true},
      {"4111100000000000", false},  // just below
      {"4111120000000000", true},
      {"4111200000000000", false},  // just above
      {"5111110000000000", false},
      {"41111", false},  // shorter than the range
      {"411111", true},  // exactly the range's length
      {"", false},
  };
  for (const auto& c : cases) EXPECT_EQ(InBinRange(range, c.pan), c.inside) << c.pan;
}

TEST(BinRange, LongerRangesAndSingleBins) {
  EXPECT_TRUE(InBinRange({"45000000", "45999999"}, "4512345678901234"));
  EXPECT_FALSE(InBinRange({"45000000", "45999999"}, "4412345678901234"));
  EXPECT_TRUE(InBinRange({"555555", "555555"}, "5555555555554444"));
  EXPECT_FALSE(InBinRange({"555555", "555555"}, "5555565555554444"));
  // Malformed ranges match nothing.
  EXPECT_FALSE(InBinRange({"", ""}, "4111111111111111"));
  EXPECT_FALSE(InBinRange({"41", "4199"}, "4111111111111111"));
}

std::vector<CardProduct> Products() {
  return {
      {"VISA_CLASSIC", "ISSUER0001", Network::kVisa, {{"411111", "411111"}, {"400000", "400099"}}},
      {"MC_GOLD", "ISSUER0001", Network::kMastercard, {{"510000", "559999"}}},
      {"VISA_CLASSIC", "ISSUER0002", Network::kMastercard, {{"555555", "555555"}}},
  };
}

TEST(CardProducts, TheMatchingProductDecidesTheNetwork) {
  const auto products = Products();
  auto visa = MatchCardProduct(products, "ISSUER0001", "VISA_CLASSIC",
                               core::SecretBytes(std::string_view("4000001234567899")));
  ASSERT_TRUE(visa) << visa.error().message;
  EXPECT_EQ((*visa)->network, Network::kVisa);
  auto mc = MatchCardProduct(products, "ISSUER0001", "MC_GOLD",
                             core::SecretBytes(std::string_view("5555555555554444")));
  ASSERT_TRUE(mc);
  EXPECT_EQ((*mc)->network, Network::kMastercard);
  EXPECT_EQ((*mc)->id, "MC_GOLD");
}

TEST(CardProducts, SameIdAtAnotherIssuerIsAnotherProduct) {
  const auto products = Products();
  auto other = MatchCardProduct(products, "ISSUER0002", "VISA_CLASSIC",
                                core::SecretBytes(std::string_view("5555555555554444")));
  ASSERT_TRUE(other);
  EXPECT_EQ((*other)->issuer, "ISSUER0002");
  EXPECT_EQ((*other)->network, Network::kMastercard);
  // ISSUER0002 cannot use ISSUER0001's MC_GOLD.
  auto foreign = MatchCardProduct(products, "ISSUER0002", "MC_GOLD",
                                  core::SecretBytes(std::string_view("5555555555554444")));
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, core::ErrorCode::kInvalidCardProduct);
}

TEST(CardProducts, RefusalsAreInvalidCardProductWithoutThePan) {
  const auto products = Products();
  auto unknown = MatchCardProduct(products, "ISSUER0001", "AMEX",
                                  core::SecretBytes(std::string_view("4111111111111111")));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, core::ErrorCode::kInvalidCardProduct);
  EXPECT_EQ(unknown.error().field, "/cardProductId");
  EXPECT_EQ(unknown.error().message, "unknown card product");

  auto outside = MatchCardProduct(products, "ISSUER0001", "VISA_CLASSIC",
                                  core::SecretBytes(std::string_view("5555555555554444")));
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().code, core::ErrorCode::kInvalidCardProduct);
  EXPECT_EQ(outside.error().field, "/cardProductId");
  EXPECT_EQ(outside.error().message.find("5555"), std::string::npos);
  EXPECT_NE(outside.error().message, unknown.error().message);
}

}  // namespace
}  // namespace c2p::domain
