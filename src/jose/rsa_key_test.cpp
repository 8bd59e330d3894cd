#include "jose/rsa_key.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <boost/json/serialize.hpp>

#include "jose/base64url.hpp"
#include "jose/jwk.hpp"
#include "jose/test_support.hpp"

namespace c2p::jose {
namespace {
namespace json = boost::json;

// The RSA key of RFC 7515 appendix A.2 (a published test key).
json::object A2Jwk(bool with_private) {
  json::object jwk{{"kty", "RSA"},
                   {"n",
                    "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-"
                    "4qPCJrcS2mJPMEzP1Pt0Bm4d"
                    "4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-"
                    "bSf63kpaSHSXndS5z5rexMd"
                    "bBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_"
                    "I5IhlJH7aGhyxXFvUK-"
                    "DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"},
                   {"e", "AQAB"}};
  if (!with_private) return jwk;
  jwk["d"] =
      "Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-"
      "7YwVol2NXOoA"
      "Je46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_"
      "V51gfpR"
      "LI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_"
      "jTj3ccPDVZF"
      "D9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ";
  jwk["p"] =
      "4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3KhooKeQTa9AB0Hw_"
      "Py5PJd"
      "TJNPY8cQn7ouZ2KKDcmnPGBY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDwGUc";
  jwk["q"] =
      "uQPEfgmVtjL0Uyyx88GZFF1fOunH3-"
      "7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZSe7zFYHj7C6ul7TjeLQeZD_"
      "YwD66t62wDmpe_HlB-TnBA-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdc";
  jwk["dp"] =
      "BwKfV3Akq5_MFZDFZCnW-wzl-CCo83WoZvnLQwCTeDv8uzluRSnm71I3QCLdhrqE2e9YkxvuxdBfpT_PI7Yz-"
      "FOKnu1R6H"
      "sJeDCjn12Sk3vmAktV2zb34MCdy7cpdTh_YVr7tss2u6vneTwrA86rZtu5Mbr1C1XsmvkxHQAdYo0";
  jwk["dq"] =
      "h_96-mK1R_"
      "7glhsum81dZxjTnYynPbZpHziZjeeHcXYsXaaMwkOlODsWa7I9xXDoRwbKgB719rrmI2oKr6N3Do9U0ajaHF"
      "-NKJnwgjMd2w9cjz3_-kyNlxAr2v4IKhGNpmM5iIgOS1VZnOZ68m6_pbLBSp3nssTdlqvd0tIiTHU";
  jwk["qi"] =
      "IYd7DHOhrWvxkwPQsRM2tOgrjbcrfvtQJipd-DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7fhd_"
      "QJQ3ydy5cY7YIB"
      "i87w93IKLEdfnbJtoOPLUW0ITrJReOgo1cq9SbsxYawBgfp_gh6A5603k2-ZQwVK0JKSHuLFkuQ3U";
  return jwk;
}

void ExpectRejected(const json::object& jwk, std::string_view field) {
  auto key = RsaKey::FromJwk(jwk);
  ASSERT_FALSE(key) << "expected a refusal on " << field;
  EXPECT_EQ(key.error().code, core::ErrorCode::kFieldInvalidFormat);
  EXPECT_EQ(key.error().field, field) << key.error().message;
}

std::string Encoded(std::vector<std::uint8_t> bytes) { return Base64UrlEncode(bytes); }

TEST(RsaKey, LoadsRfc7515A2PrivateKeyAndWritesItBack) {
  auto key = RsaKey::FromJwk(A2Jwk(true));
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_TRUE(key->has_private());
  EXPECT_EQ(key->bits(), 2048);
  EXPECT_EQ(key->modulus_bytes(), 256u);
  EXPECT_EQ(json::value(key->ToPrivateJwk()), json::value(A2Jwk(true)));
  EXPECT_EQ(json::value(key->ToPublicJwk()), json::value(A2Jwk(false)));
}

TEST(RsaKey, ThumbprintOfRfc7638Example) {
  // RFC 7638 §3.1: the key and its SHA-256 thumbprint.
  auto key =
      RsaKey::FromJwk({{"kty", "RSA"},
                       {"n",
                        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFF"
                        "xuhDR1L6tSoc_BJECP"
                        "ebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-"
                        "65YGjQR0_FDW2QvzqY"
                        "368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-"
                        "bFTWhAI4vMQFh6WeZu0f"
                        "M4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"},
                       {"e", "AQAB"},
                       {"alg", "RS256"},
                       {"kid", "2011-04-29"}});
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->Thumbprint(), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  EXPECT_EQ(key->kid(), "2011-04-29");
  EXPECT_EQ(key->alg(), "RS256");
}

TEST(RsaKey, GeneratedKeyRoundTripsThroughItsPrivateJwk) {
  const RsaKey& key = testing::CachedRsaKey(0);
  EXPECT_EQ(key.bits(), 2048);
  json::object jwk = key.ToPrivateJwk();
  auto loaded = RsaKey::FromJwk(jwk);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_TRUE(loaded->has_private());
  EXPECT_EQ(json::value(loaded->ToPrivateJwk()), json::value(jwk));
  EXPECT_EQ(loaded->Thumbprint(), key.Thumbprint());
  WipeJwkSecrets(jwk);
  for (std::string_view member : {"d", "p", "q", "dp", "dq", "qi"})
    EXPECT_FALSE(jwk.contains(member));
  EXPECT_EQ(json::value(jwk), json::value(key.ToPublicJwk()));
}

TEST(RsaKey, PublicKeyHasNoPrivateMembers) {
  auto key = RsaKey::FromJwk(A2Jwk(false));
  ASSERT_TRUE(key);
  EXPECT_FALSE(key->has_private());
  EXPECT_THROW((void)key->ToPrivateJwk(), std::logic_error);
}

TEST(RsaKey, GenerateRefusesSizesOutsideTheRange) {
  EXPECT_THROW((void)RsaKey::Generate(1024), std::invalid_argument);
  EXPECT_THROW((void)RsaKey::Generate(8192), std::invalid_argument);
}

TEST(RsaKey, RejectsBadModulus) {
  json::object jwk = A2Jwk(false);
  auto n = *Base64UrlDecode(jwk.at("n").as_string());
  std::vector<std::uint8_t> padded = n;
  padded.insert(padded.begin(), 0x00);
  jwk["n"] = Encoded(padded);
  ExpectRejected(jwk, "/n");
  jwk["n"] = Encoded(std::vector<std::uint8_t>(128, 0xC3));  // 1024 bits
  ExpectRejected(jwk, "/n");
  jwk["n"] = Encoded(std::vector<std::uint8_t>(513, 0xC3));  // 4104 bits
  ExpectRejected(jwk, "/n");
  std::vector<std::uint8_t> even = n;
  even.back() &= 0xFE;
  jwk["n"] = Encoded(even);
  ExpectRejected(jwk, "/n");
  jwk["n"] = "";
  ExpectRejected(jwk, "/n");
  jwk["n"] = 5;
  ExpectRejected(jwk, "/n");
  jwk.erase("n");
  ExpectRejected(jwk, "/n");
}

TEST(RsaKey, RejectsBadExponent) {
  json::object jwk = A2Jwk(false);
  for (const std::vector<std::uint8_t>& e : std::vector<std::vector<std::uint8_t>>{
           {0x01},                                                  // 1
           {0x01, 0x00, 0x00},                                      // even
           {0x00, 0x01, 0x00, 0x01},                                // leading zero
           {0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01},  // 65 bits
           {}}) {
    jwk["e"] = Encoded(e);
    ExpectRejected(jwk, "/e");
  }
}

TEST(RsaKey, RejectsIncompleteOrWrongPrivateKeys) {
  json::object jwk = A2Jwk(true);
  jwk.erase("qi");
  ExpectRejected(jwk, "/qi");
  jwk = A2Jwk(false);
  jwk["d"] = A2Jwk(true).at("d");
  ExpectRejected(jwk, "/p");
  jwk = A2Jwk(true);
  jwk["oth"] = json::array();
  ExpectRejected(jwk, "/oth");
  // d of another key: the pairwise check fails.
  jwk = A2Jwk(true);
  jwk["d"] = testing::CachedRsaKey(0).ToPrivateJwk().at("d");
  ExpectRejected(jwk, "/d");
  // p and q swapped breaks the CRT values.
  jwk = A2Jwk(true);
  std::swap(jwk["p"], jwk["q"]);
  ExpectRejected(jwk, "/d");
  jwk = A2Jwk(true);
  jwk["dp"] = "AQ";
  ExpectRejected(jwk, "/d");
}

TEST(RsaKey, RejectsOtherKeyTypesAndMetadata) {
  json::object jwk = A2Jwk(false);
  jwk["kty"] = "EC";
  ExpectRejected(jwk, "/kty");
  jwk = A2Jwk(false);
  jwk["alg"] = "RSA1_5";
  ExpectRejected(jwk, "/alg");
  jwk["alg"] = "RSA-OAEP";
  ExpectRejected(jwk, "/alg");
  jwk["alg"] = "PS256";
  jwk["use"] = "enc";
  ExpectRejected(jwk, "/alg");
  jwk = A2Jwk(false);
  jwk["use"] = "enc";
  jwk["alg"] = "RSA-OAEP-256";
  EXPECT_TRUE(RsaKey::FromJwk(jwk));
}

TEST(RsaKey, ErrorsNeverQuoteKeyMaterial) {
  json::object jwk = A2Jwk(true);
  jwk["d"] = testing::CachedRsaKey(0).ToPrivateJwk().at("d");
  auto key = RsaKey::FromJwk(jwk);
  ASSERT_FALSE(key);
  const std::string d(jwk.at("d").as_string());
  EXPECT_EQ(key.error().message.find(d.substr(0, 16)), std::string::npos);
}

}  // namespace
}  // namespace c2p::jose
