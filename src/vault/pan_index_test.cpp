#include "vault/pan_index.hpp"

#include <openssl/hmac.h>

#include <gtest/gtest.h>

#include "vault/test_keys.hpp"

namespace c2p::vault {
namespace {

using testing::RandomKey;
using testing::Ring;

const core::SecretBytes kPan(std::string_view("4111111111111111"));

TEST(PanIndex, DeterministicHexOfTheDocumentedMac) {
  const auto aes = RandomKey();
  const core::SecretBytes index_key(std::string_view("0123456789abcdef0123456789abcdef"));
  const KeyRing ring = Ring({{"k1", &aes}}, index_key);
  const std::string index = PanIndex(ring, "ISSUER0001", kPan);
  EXPECT_EQ(index, PanIndex(ring, "ISSUER0001", kPan));
  ASSERT_EQ(index.size(), 64u);
  EXPECT_EQ(index.find_first_not_of("0123456789abcdef"), std::string::npos);

  // HMAC-SHA-256(key, 00 0A "ISSUER0001" PAN), by OpenSSL's one-shot HMAC.
  const std::string message = std::string("\x00\x0A", 2) + "ISSUER0001" + "4111111111111111";
  unsigned char mac[32];
  unsigned int mac_size = 0;
  HMAC(EVP_sha256(), index_key.data(), static_cast<int>(index_key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &mac_size);
  ASSERT_EQ(mac_size, 32u);
  std::string expected;
  for (unsigned char b : mac) {
    constexpr char kHex[] = "0123456789abcdef";
    expected += kHex[b >> 4];
    expected += kHex[b & 0xF];
  }
  EXPECT_EQ(index, expected);
}

TEST(PanIndex, IssuersAndPansAreSeparated) {
  const auto aes = RandomKey();
  const auto index_key = RandomKey();
  const KeyRing ring = Ring({{"k1", &aes}}, index_key);
  const std::string a = PanIndex(ring, "ISSUER0001", kPan);
  EXPECT_NE(a, PanIndex(ring, "ISSUER0002", kPan));
  EXPECT_NE(a,
            PanIndex(ring, "ISSUER0001", core::SecretBytes(std::string_view("5555555555554444"))));
  // Issuer and PAN cannot trade digits: ("ISSUER0001", "4111…") vs ("ISSUER00014", "111…").
  EXPECT_NE(a,
            PanIndex(ring, "ISSUER00014", core::SecretBytes(std::string_view("111111111111111"))));
}

TEST(PanIndex, DependsOnTheIndexKeyOnly) {
  const auto aes1 = RandomKey(), aes2 = RandomKey();
  const auto index_key = RandomKey();
  const KeyRing one = Ring({{"k1", &aes1}}, index_key);
  const KeyRing rotated = Ring({{"k2", &aes2}, {"k1", &aes1}}, index_key);
  const KeyRing other = Ring({{"k1", &aes1}}, RandomKey());
  // Rotating the encryption keys keeps every index; another index key changes them.
  EXPECT_EQ(PanIndex(one, "ISSUER0001", kPan), PanIndex(rotated, "ISSUER0001", kPan));
  EXPECT_NE(PanIndex(one, "ISSUER0001", kPan), PanIndex(other, "ISSUER0001", kPan));
}

}  // namespace
}  // namespace c2p::vault
