#include "jose/hmac.hpp"

#include <gtest/gtest.h>

#include <string>

namespace c2p::jose {
namespace {

std::string Hex(const Mac256& mac) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (auto b : mac) {
    out += kHex[b >> 4];
    out += kHex[b & 0x0F];
  }
  return out;
}

std::span<const std::uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// RFC 4231 test case 2 (a key shorter than the block) and 6 (longer than the block).
TEST(HmacSha256, Rfc4231Vectors) {
  EXPECT_EQ(Hex(HmacSha256(Bytes("Jefe")).Sign("what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  const std::string long_key(131, '\xaa');
  EXPECT_EQ(Hex(HmacSha256(Bytes(long_key))
                    .Sign("Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HmacSha256, PartsAreTheirConcatenationAndTheKeyIsReusable) {
  const HmacSha256 mac(Bytes("0123456789abcdef0123456789abcdef"));
  const Mac256 whole = mac.Sign("header.payload");
  EXPECT_EQ(mac.Sign({Bytes("header"), Bytes("."), Bytes("payload")}), whole);
  EXPECT_EQ(mac.Sign("header.payload"), whole);  // the keyed context is not consumed
  EXPECT_NE(mac.Sign("header.payloaD"), whole);
}

TEST(MacEquals, ComparesContentAndSize) {
  const Mac256 a{1, 2, 3};
  Mac256 b = a;
  EXPECT_TRUE(MacEquals(a, b));
  b[31] = 9;
  EXPECT_FALSE(MacEquals(a, b));
  EXPECT_FALSE(MacEquals(a, std::span<const std::uint8_t>(a).first(31)));
}

}  // namespace
}  // namespace c2p::jose
