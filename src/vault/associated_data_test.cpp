#include "vault/associated_data.hpp"

#include <string>

#include <gtest/gtest.h>

namespace c2p::vault {
namespace {

TEST(AssociatedData, DocumentedEncoding) {
  EXPECT_EQ(CardAssociatedData("ISSUER0001", "crd_1", "pan"),
            std::string("C\x00\x0A"
                        "ISSUER0001"
                        "\x00\x05"
                        "crd_1"
                        "\x00\x03"
                        "pan",
                        1 + 2 + 10 + 2 + 5 + 2 + 3));
  EXPECT_EQ(ConsumerAssociatedData("ISSUER0001", "c", "personalInformation")[0], 'P');
}

TEST(AssociatedData, DistinctBindingsGiveDistinctBytes) {
  const std::string base = CardAssociatedData("ISSUER0001", "crd_1", kPanField);
  EXPECT_NE(base, CardAssociatedData("ISSUER0002", "crd_1", kPanField));
  EXPECT_NE(base, CardAssociatedData("ISSUER0001", "crd_2", kPanField));
  EXPECT_NE(base, CardAssociatedData("ISSUER0001", "crd_1", kExpField));
  EXPECT_NE(base, ConsumerAssociatedData("ISSUER0001", "crd_1", kPanField));
  // Moving a boundary between parts changes the bytes (length prefixes).
  EXPECT_NE(CardAssociatedData("ISSUER0001", "ab", "c"),
            CardAssociatedData("ISSUER0001", "a", "bc"));
}

}  // namespace
}  // namespace c2p::vault
