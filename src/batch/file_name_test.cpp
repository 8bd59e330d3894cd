#include "batch/file_name.hpp"

#include <gtest/gtest.h>

#include "batch/file_error.hpp"

namespace c2p::batch {
namespace {

TEST(FileName, ParsesFromTheRight) {
  auto plain = ParseFileName("B20260117-1-1768600000.json");
  ASSERT_TRUE(plain);
  EXPECT_EQ(*plain, (FileName{"B20260117", "1", 1768600000}));
  // A batchId holding '-' and an issuer prefix: the prefix is everything before seq.
  auto dashed = ParseFileName("ISSUER0001-B-2026-01-007-1768600000.json");
  ASSERT_TRUE(dashed);
  EXPECT_EQ(*dashed, (FileName{"ISSUER0001-B-2026-01", "007", 1768600000}));
}

TEST(FileName, RefusesOtherNames) {
  for (const char* bad :
       {"B1-1-17.JSON", "B1-1-17", "B1-1-17.json.part", "../B1-1-17.json", "a/B1-1-17.json",
        "B1-1-17_OUT.json", "B1-1.json", "-1-17.json", "B1--17.json", "B1-1-.json", "B1-x-17.json",
        "B1-1-1x.json", "B.1-1-17.json", "B 1-1-17.json", ".json",
        "B1-1-1234567890123456789.json"}) {
    EXPECT_FALSE(ParseFileName(bad)) << bad;
  }
  EXPECT_FALSE(ParseFileName("B1-" + std::string(49, '1') + "-17.json"));
  EXPECT_TRUE(ParseFileName("B1-" + std::string(48, '1') + "-17.json"));
}

TEST(FileName, MatchesTheHeaderWithOrWithoutTheIssuer) {
  const FileName plain{"B-1", "7", 0};
  EXPECT_TRUE(NameMatches(plain, "ISSUER0001", "B-1", "7"));
  EXPECT_FALSE(NameMatches(plain, "ISSUER0001", "B-1", "07"));
  EXPECT_FALSE(NameMatches(plain, "ISSUER0001", "B", "7"));
  const FileName prefixed{"ISSUER0001-B-1", "7", 0};
  EXPECT_TRUE(NameMatches(prefixed, "ISSUER0001", "B-1", "7"));
  EXPECT_TRUE(NameMatches(prefixed, "ISSUER0001", "ISSUER0001-B-1", "7"));
  EXPECT_FALSE(NameMatches(prefixed, "ISSUER0002", "B-1", "7"));
  EXPECT_FALSE(NameMatches(prefixed, "ISSUER0001", "1", "7"));
  EXPECT_FALSE(NameMatches(prefixed, "ISSUER0001", "", "7"));
}

TEST(FileName, OutNameKeepsTheName) {
  EXPECT_EQ(OutName("B1-1-17.json"), "B1-1-17_OUT.json");
  EXPECT_EQ(OutName("B1-1-17"), "B1-1-17_OUT.json");
}

TEST(FileError, NamesTheSpecCodes) {
  EXPECT_EQ(FileErrorName(FileError::kInvalidHeader), "INVALID_HEADER");
  EXPECT_EQ(FileErrorName(FileError::kInvalidJson), "INVALID_JSON_FILE");
  EXPECT_EQ(FileErrorName(FileError::kMissingHeaderField), "MANDATORY_PARAMETER_MISSING_HEADER");
  EXPECT_EQ(FileErrorName(FileError::kMissingSignature), "MISSING_SIGNATURE");
  EXPECT_EQ(static_cast<int>(FileError::kDuplicateRowId), 107);
}

}  // namespace
}  // namespace c2p::batch
