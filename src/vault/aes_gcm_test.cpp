#include "vault/aes_gcm.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace c2p::vault {
namespace {

std::vector<std::uint8_t> Hex(std::string_view hex) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

struct Vector {
  const char* name;
  std::string_view key, nonce, aad, plaintext, ciphertext, tag;
};

// McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", revised, Appendix B: the
// AES-256 test cases with a 96-bit IV (13, 14, 16), which NIST's GCM validation reuses.
const Vector kVectors[] = {
    {"test case 13", "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "", "", "", "530f8afbc74536b9a963b4f1c4cb738b"},
    {"test case 14", "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "", "00000000000000000000000000000000",
     "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"},
    {"test case 16", "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
     "cafebabefacedbaddecaf888", "feedfacedeadbeeffeedfacedeadbeefabaddad2",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
     "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
     "76fc6ece0f4e1768cddf8853bb2d551b"},
};

TEST(AesGcm, KnownAnswers) {
  for (const auto& v : kVectors) {
    const auto key = Hex(v.key), nonce = Hex(v.nonce), aad = Hex(v.aad);
    const auto plaintext = Hex(v.plaintext);
    std::vector<std::uint8_t> ciphertext(plaintext.size());
    std::vector<std::uint8_t> tag(kGcmTagBytes);
    AesGcmEncrypt(key, nonce, {aad}, plaintext, ciphertext, tag);
    EXPECT_EQ(ciphertext, Hex(v.ciphertext)) << v.name;
    EXPECT_EQ(tag, Hex(v.tag)) << v.name;

    std::vector<std::uint8_t> opened(ciphertext.size());
    ASSERT_TRUE(AesGcmDecrypt(key, nonce, {aad}, ciphertext, tag, opened)) << v.name;
    EXPECT_EQ(opened, plaintext) << v.name;
  }
}

TEST(AesGcm, AadInPiecesIsTheConcatenation) {
  const auto& v = kVectors[2];
  const auto key = Hex(v.key), nonce = Hex(v.nonce), aad = Hex(v.aad);
  const auto plaintext = Hex(v.plaintext);
  std::vector<std::uint8_t> ciphertext(plaintext.size());
  std::vector<std::uint8_t> tag(kGcmTagBytes);
  const std::span<const std::uint8_t> all(aad);
  AesGcmEncrypt(key, nonce, {all.first(7), {}, all.subspan(7)}, plaintext, ciphertext, tag);
  EXPECT_EQ(tag, Hex(v.tag));
}

TEST(AesGcm, FailedAuthenticationWipesTheOutput) {
  const auto& v = kVectors[2];
  const auto key = Hex(v.key), nonce = Hex(v.nonce), aad = Hex(v.aad);
  auto tag = Hex(v.tag);
  tag[0] ^= 1;
  std::vector<std::uint8_t> opened(Hex(v.ciphertext).size(), 0xAA);
  EXPECT_FALSE(AesGcmDecrypt(key, nonce, {aad}, Hex(v.ciphertext), tag, opened));
  EXPECT_EQ(opened, std::vector<std::uint8_t>(opened.size(), 0));
}

TEST(AesGcm, WrongSizesAreBugs) {
  const std::vector<std::uint8_t> short_key(16), nonce(12), data(4), out(4), tag(16);
  std::vector<std::uint8_t> out_buf(4), tag_buf(16);
  EXPECT_THROW(AesGcmEncrypt(short_key, nonce, {}, data, out_buf, tag_buf), std::invalid_argument);
  const std::vector<std::uint8_t> key(32), long_nonce(16);
  EXPECT_THROW(AesGcmEncrypt(key, long_nonce, {}, data, out_buf, tag_buf), std::invalid_argument);
  std::vector<std::uint8_t> small_out(3);
  EXPECT_THROW(AesGcmEncrypt(key, nonce, {}, data, small_out, tag_buf), std::invalid_argument);
}

}  // namespace
}  // namespace c2p::vault
