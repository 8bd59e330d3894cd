#include "vault/seal.hpp"

#include <string>

#include <gtest/gtest.h>

#include "vault/associated_data.hpp"
#include "vault/test_keys.hpp"

namespace c2p::vault {
namespace {

using testing::RandomKey;
using testing::Ring;

const core::SecretBytes kPan(std::string_view("4111111111111111"));
const std::string kAad = CardAssociatedData("ISSUER0001", "crd_1", kPanField);

class SealTest : public ::testing::Test {
 protected:
  core::SecretBytes v1_ = RandomKey();
  core::SecretBytes v2_ = RandomKey();
  core::SecretBytes index_ = RandomKey();
  KeyRing ring_ = Ring({{"v1", &v1_}}, index_);
};

TEST_F(SealTest, RoundTrip) {
  const SealedBlob blob = Seal(ring_, kPan, kAad);
  auto opened = Open(ring_, blob, kAad);
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(opened->as_text(), kPan.as_text());
}

TEST_F(SealTest, BlobFollowsTheDocumentedLayout) {
  const SealedBlob blob = Seal(ring_, kPan, kAad);
  ASSERT_EQ(blob.size(), 2 + 2 + 12 + kPan.size() + 16);
  EXPECT_EQ(blob[0], 'v');
  EXPECT_EQ(blob[1], 2);
  EXPECT_EQ(blob[2], 'v');
  EXPECT_EQ(blob[3], '1');
  // The PAN does not appear in clear.
  const std::string bytes(blob.begin(), blob.end());
  EXPECT_EQ(bytes.find("4111"), std::string::npos);
}

TEST_F(SealTest, EachSealUsesAFreshNonce) {
  const SealedBlob a = Seal(ring_, kPan, kAad);
  const SealedBlob b = Seal(ring_, kPan, kAad);
  EXPECT_NE(a, b);
  EXPECT_TRUE(Open(ring_, a, kAad));
  EXPECT_TRUE(Open(ring_, b, kAad));
}

TEST_F(SealTest, EmptyPlaintext) {
  const SealedBlob blob = Seal(ring_, core::SecretBytes(), kAad);
  auto opened = Open(ring_, blob, kAad);
  ASSERT_TRUE(opened);
  EXPECT_TRUE(opened->empty());
}

TEST_F(SealTest, WrongAssociatedDataFails) {
  const SealedBlob blob = Seal(ring_, kPan, kAad);
  for (const std::string& other :
       {CardAssociatedData("ISSUER0002", "crd_1", kPanField),
        CardAssociatedData("ISSUER0001", "crd_2", kPanField),
        CardAssociatedData("ISSUER0001", "crd_1", kExpField),
        ConsumerAssociatedData("ISSUER0001", "crd_1", kPanField), std::string()}) {
    auto opened = Open(ring_, blob, other);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, core::ErrorCode::kInternal);
    EXPECT_EQ(opened.error().message, "sealed value failed authentication");
  }
}

TEST_F(SealTest, AnyAlteredByteFails) {
  const SealedBlob blob = Seal(ring_, kPan, kAad);
  for (std::size_t i = 0; i < blob.size(); ++i) {
    SealedBlob bad = blob;
    bad[i] ^= 0x01;
    auto opened = Open(ring_, bad, kAad);
    EXPECT_FALSE(opened) << "byte " << i;
  }
  // Truncated and extended blobs too.
  EXPECT_FALSE(Open(ring_, std::span(blob).first(blob.size() - 1), kAad));
  SealedBlob longer = blob;
  longer.push_back(0);
  EXPECT_FALSE(Open(ring_, longer, kAad));
}

TEST_F(SealTest, UnknownVersionFails) {
  const KeyRing other = Ring({{"v9", &v2_}}, index_);
  const SealedBlob blob = Seal(other, kPan, kAad);
  auto opened = Open(ring_, blob, kAad);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, core::ErrorCode::kInternal);
  EXPECT_EQ(opened.error().message, "sealed value names a key version that is not configured");
}

TEST_F(SealTest, SameVersionWithAnotherKeyFails) {
  const KeyRing impostor = Ring({{"v1", &v2_}}, index_);
  EXPECT_FALSE(Open(impostor, Seal(ring_, kPan, kAad), kAad));
}

TEST_F(SealTest, RotationKeepsOldVersionsOpenAndResealsToTheCurrent) {
  const SealedBlob old_blob = Seal(ring_, kPan, kAad);
  EXPECT_EQ(SealedVersion(old_blob), "v1");

  const KeyRing rotated = Ring({{"v2", &v2_}, {"v1", &v1_}}, index_);
  EXPECT_EQ(rotated.current_version(), "v2");
  auto still = Open(rotated, old_blob, kAad);
  ASSERT_TRUE(still);
  EXPECT_EQ(still->as_text(), kPan.as_text());

  const SealedBlob fresh = Seal(rotated, kPan, kAad);
  EXPECT_EQ(SealedVersion(fresh), "v2");

  auto resealed = Reseal(rotated, old_blob, kAad);
  ASSERT_TRUE(resealed);
  EXPECT_EQ(SealedVersion(*resealed), "v2");

  // Once v1 is removed, only resealed rows open.
  const KeyRing v2_only = Ring({{"v2", &v2_}}, index_);
  EXPECT_FALSE(Open(v2_only, old_blob, kAad));
  auto reopened = Open(v2_only, *resealed, kAad);
  ASSERT_TRUE(reopened);
  EXPECT_EQ(reopened->as_text(), kPan.as_text());
}

TEST_F(SealTest, ResealKeepsTheBinding) {
  const SealedBlob blob = Seal(ring_, kPan, kAad);
  EXPECT_FALSE(Reseal(ring_, blob, "other"));
}

TEST(SealedVersion, MalformedHeaders) {
  const std::vector<std::vector<std::uint8_t>> bad = {
      {},
      {'v'},
      {'x', 1, 'a'},                // wrong marker
      {'v', 0},                     // empty version
      {'v', 65},                    // version longer than allowed
      {'v', 2, 'v', '1', 0, 0, 0},  // too short for nonce and tag
  };
  for (const auto& blob : bad) {
    auto version = SealedVersion(blob);
    ASSERT_FALSE(version);
    EXPECT_EQ(version.error().code, core::ErrorCode::kInternal);
  }
  std::vector<std::uint8_t> minimal = {'v', 1, 'k'};
  minimal.resize(3 + 12 + 16);
  EXPECT_EQ(SealedVersion(minimal), "k");
}

}  // namespace
}  // namespace c2p::vault
