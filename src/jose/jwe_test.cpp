#include "jose/jwe.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <boost/json/serialize.hpp>

#include "core/strict_json.hpp"
#include "jose/base64url.hpp"
#include "jose/jwe_internal.hpp"
#include "jose/test_support.hpp"

namespace c2p::jose {
namespace {
namespace json = boost::json;
using testing::Bytes;
using testing::Part;
using testing::Text;

constexpr std::string_view kCardData =
    R"({"pan":"4111111111111111","exp":"1228","name":"JANE DOE"})";

// RFC 7520 §5.2: the 4096-bit RSA key of Figure 84 ("alg":"RSA-OAEP" removed: c2p's key
// parser refuses that alg) and the compact JWE of Figure 92, which uses RSA-OAEP (SHA-1).
json::object Rfc7520Key() {
  return {
      {"kty", "RSA"},
      {"kid", "samwise.gamgee@hobbiton.example"},
      {"use", "enc"},
      {"e", "AQAB"},
      {"n",
       "wbdxI55VaanZXPY29Lg5hdmv2XhvqAhoxUkanfzf2-5zVUxa6prHRrI4pP1AhoqJRlZfYtWWd5mmHRG2pAHIlh0ySJ"
       "9wi0BioZBl1XP2e-C-FyXJGcTy0HdKQWlrfhTm42EW7Vv04r4gfao6uxjLGwfpGrZLarohiWCPnkNrg71S2CuNZSQB"
       "IPGjXfkmIy2tl_VWgGnL22GplyXj5YlBLdxXp3XeStsqo571utNfoUTU8E4qdzJ3U1DItoVkPGsMwlmmnJiwA7sXRI"
       "tBCivR4M5qnZtdw-7v4WuR4779ubDuJ5nalMv2S66-RPcnFAzWSKxtBDnFJJDGIUe7Tzizjg1nms0Xq_yPub_UOlWn"
       "0ec85FCft1hACpWG8schrOBeNqHBODFskYpUc2LC5JA2TaPF2dA67dg1TTsC_FupfQ2kNGcE1LgprxKHcVWYQb86B-"
       "HozjHZcqtauBzFNV5tbTuB-TpkcvJfNcFLlH3b8mb-H_ox35FjqBSAjLKyoeqfKTpVjvXhd09knwgJf6VKq6UC418_"
       "TOljMVfFTWXUxlnfhOOnzW6HSSzD1c9WrCuVzsUMv54szidQ9wf1cYWf3g5qFDxDQKis99gcDaiCAwM3yEBIzuNeeC"
       "a5dartHDb1xEB_HcHSeYbghbMjGfasvKn0aZRsnTyC0xhWBlsolZE"},
      {"d",
       "n7fzJc3_WG59VEOBTkayzuSMM780OJQuZjN_KbH8lOZG25ZoA7T4Bxcc0xQn5oZE5uSCIwg91oCt0JvxPcpmqzaJZg"
       "1nirjcWZ-oBtVk7gCAWq-B3qhfF3izlbkosrzjHajIcY33HBhsy4_WerrXg4MDNE4HYojy68TcxT2LYQRxUOCf5TtJ"
       "XvM8olexlSGtVnQnDRutxEUCwiewfmmrfveEogLx9EA-KMgAjTiISXxqIXQhWUQX1G7v_mV_Hr2YuImYcNcHkRvp9E"
       "7ook0876DhkO8v4UOZLwA1OlUX98mkoqwc58A_Y2lBYbVx1_s5lpPsEqbbH-nqIjh1fL0gdNfihLxnclWtW7pCztLn"
       "ImZAyeCWAG7ZIfv-Rn9fLIv9jZ6r7r-MSH9sqbuziHN2grGjD_jfRluMHa0l84fFKl6bcqN1JWxPVhzNZo01yDF-1L"
       "iQnqUYSepPf6X3a2SOdkqBRiquE6EvLuSYIDpJq3jDIsgoL8Mo1LoomgiJxUwL_GWEOGu28gplyzm-9Q0U0nyhEf1u"
       "hSR8aJAQWAiFImWH5W_IQT9I7-yrindr_2fWQ_i1UgMsGzA7aOGzZfPljRy6z-tY_KuBG00-28S_aWvjyUc-Alp8AU"
       "yKjBZ-7CWH32fGWK48j1t-zomrwjL_mnhsPbGs0c9WsWgRzI-K8gE"},
      {"p",
       "7_2v3OQZzlPFcHyYfLABQ3XP85Es4hCdwCkbDeltaUXgVy9l9etKghvM4hRkOvbb01kYVuLFmxIkCDtpi-zLCYAdXK"
       "rAK3PtSbtzld_XZ9nlsYa_QZWpXB_IrtFjVfdKUdMz94pHUhFGFj7nr6NNxfpiHSHWFE1zD_AC3mY46J961Y2LRnre"
       "VwAGNw53p07Db8yD_92pDa97vqcZOdgtybH9q6uma-RFNhO1AoiJhYZj69hjmMRXx-x56HO9cnXNbmzNSCFCKnQmn4"
       "GQLmRj9sfbZRqL94bbtE4_e0Zrpo8RNo8vxRLqQNwIy85fc6BRgBJomt8QdQvIgPgWCv5HoQ"},
      {"q",
       "zqOHk1P6WN_rHuM7ZF1cXH0x6RuOHq67WuHiSknqQeefGBA9PWs6ZyKQCO-O6mKXtcgE8_Q_hA2kMRcKOcvHil1hqM"
       "CNSXlflM7WPRPZu2qCDcqssd_uMbP-DqYthH_EzwL9KnYoH7JQFxxmcv5An8oXUtTwk4knKjkIYGRuUwfQTus0w1Nf"
       "jFAyxOOiAQ37ussIcE6C6ZSsM3n41UlbJ7TCqewzVJaPJN5cxjySPZPD3Vp01a9YgAD6a3IIaKJdIxJS1ImnfPevSJ"
       "QBE79-EXe2kSwVgOzvt-gsmM29QQ8veHy4uAqca5dZzMs7hkkHtw1z0jHV90epQJJlXXnH8Q"},
      {"dp",
       "19oDkBh1AXelMIxQFm2zZTqUhAzCIr4xNIGEPNoDt1jK83_FJA-xnx5kA7-1erdHdms_Ef67HsONNv5A60JaR7w8LH"
       "nDiBGnjdaUmmuO8XAxQJ_ia5mxjxNjS6E2yD44USo2JmHvzeeNczq25elqbTPLhUpGo1IZuG72FZQ5gTjXoTXC2-xt"
       "CDEUZfaUNh4IeAipfLugbpe0JAFlFfrTDAMUFpC3iXjxqzbEanflwPvj6V9iDSgjj8SozSM0dLtxvu0LIeIQAeEgT_"
       "yXcrKGmpKdSO08kLBx8VUjkbv_3Pn20Gyu2YEuwpFlM_H1NikuxJNKFGmnAq9LcnwwT0jvoQ"},
      {"dq",
       "S6p59KrlmzGzaQYQM3o0XfHCGvfqHLYjCO557HYQf72O9kLMCfd_1VBEqeD-1jjwELKDjck8kOBl5UvohK1oDfSP1D"
       "leAy-cnmL29DqWmhgwM1ip0CCNmkmsmDSlqkUXDi6sAaZuntyukyflI-qSQ3C_BafPyFaKrt1fgdyEwYa08pESKwwW"
       "isy7KnmoUvaJ3SaHmohFS78TJ25cfc10wZ9hQNOrIChZlkiOdFCtxDqdmCqNacnhgE3bZQjGp3n83ODSz9zwJcSUvO"
       "DlXBPc2AycH6Ci5yjbxt4Ppox_5pjm6xnQkiPgj01GpsUssMmBN7iHVsrE7N2iznBNCeOUIQ"},
      {"qi",
       "FZhClBMywVVjnuUud-05qd5CYU0dK79akAgy9oX6RX6I3IIIPckCciRrokxglZn-omAY5CnCe4KdrnjFOT5YUZE7G_"
       "Pg44XgCXaarLQf4hl80oPEf6-jJ5Iy6wPRx7G2e8qLxnh9cOdf-kRqgOS3F48Ucvw3ma5V6KGMwQqWFeV31XtZ8l5c"
       "VI-I3NzBS7qltpUVgz2Ju021eyc7IlqgzR98qKONl27DuEES0aK0WE97jnsyO27Yp88Wa2RiBrEocM89QZI1seJiGD"
       "izHRUP4UZxw9zsXww46wy0P6f9grnYp7t8LkyDDk8eoI4KX6SNMNVcyVS9IWjlq8EzqZEKIA"},
  };
}
constexpr std::string_view kRfc7520Figure92 =
    "eyJhbGciOiJSU0EtT0FFUCIsImtpZCI6InNhbXdpc2UuZ2FtZ2VlQGhvYmJpdG9uLmV4YW1wbGUiLCJlbmMiOiJBMjU2"
    "R0NNIn0.rT99rwrBTbTI7IJM8fU3Eli7226HEB7IchCxNuh7lCiud48LxeolRdtFF4nzQibeYOl5S_PJsAXZwSXtDePz"
    "9hk-BbtsTBqC2UsPOdwjC9NhNupNNu9uHIVftDyucvI6hvALeZ6OGnhNV4v1zx2k7O1D89mAzfw-_kT3tkuorpDU-CpB"
    "ENfIHX1Q58-Aad3FzMuo3Fn9buEP2yXakLXYa15BUXQsupM4A1GD4_H4Bd7V3u9h8Gkg8BpxKdUV9ScfJQTcYm6eJEBz"
    "3aSwIaK4T3-dwWpuBOhROQXBosJzS1asnuHtVMt2pKIIfux5BC6huIvmY7kzV7W7aIUrpYm_3H4zYvyMeq5pGqFmW2k8"
    "zpO878TRlZx7pZfPYDSXZyS0CfKKkMozT_qiCwZTSz4duYnt8hS4Z9sGthXn9uDqd6wycMagnQfOTs_lycTWmY-aqWVD"
    "KhjYNRf03NiwRtb5BE-tOdFwCASQj3uuAgPGrO2AWBe38UjQb0lvXn1SpyvYZ3WFc7WOJYaTa7A8DRn6MC6T-xDmMuxC"
    "0G7S2rscw5lQQU06MvZTlFOt0UvfuKBa03cxA_nIBIhLMjY2kOTxQMmpDPTr6Cbo8aKaOnx6ASE5Jx9paBpnNmOOKH35"
    "j_QlrQhDWUN6A2Gg8iFayJ69xDEdHAVCGRzN3woEI2ozDRs.-nBoKLH0YkLZPSI9.o4k2cnGN8rSSw3IDo1YuySkqeS_"
    "t2m1GXklSgqBdpACm6UJuJowOHC5ytjqYgRL-I-soPlwqMUf4UgRWWeaOGNw6vGW-xyM01lTYxrXfVzIIaRdhYtEMRBv"
    "BWbEwP7ua1DRfvaOjgZv6Ifa3brcAM64d8p5lhhNcizPersuhw5f-pGYzseva-TUaL8iWnctc-sSwy7SQmRkfhDjwbz0"
    "fz6kFovEgj64X1I5s7E6GLp5fnbYGLa1QUiML7Cc2GxgvI7zqWo0YIEc7aCflLG1-8BboVWFdZKLK9vNoycrYHumwzKl"
    "uLWEbSVmaPpOslY2n525DxDfWaVFUfKQxMF56vn4B9QMpWAbnypNimbM8zVOw.UCGiqJxhBI3IFVdPalHHvA";

EcKey EcWithKid(std::string kid) {
  EcKey key = EcKey::Generate();
  key.set_kid(std::move(kid));
  return key;
}

json::object HeaderOf(std::string_view compact) {
  const std::vector<std::uint8_t> bytes = *Base64UrlDecode(Part(compact, 0));
  return core::ParseStrictJson(std::string(bytes.begin(), bytes.end()))->as_object();
}

TEST(ConcatKdf, MatchesRfc7518AppendixC) {
  // RFC 7518 appendix C: Z of the example key agreement, "A128GCM", apu "Alice", apv "Bob".
  const std::vector<std::uint8_t> z = {158, 86,  217, 29,  129, 113, 53,  211, 114, 131, 66,
                                       131, 191, 132, 38,  156, 251, 49,  110, 163, 218, 128,
                                       106, 72,  246, 218, 167, 121, 140, 254, 144, 196};
  const core::SecretBytes key = detail::ConcatKdf(z, "A128GCM", Bytes("Alice"), Bytes("Bob"), 128);
  EXPECT_EQ(Base64UrlEncode(key.view()), "VqqN6vgjbSBcIijNcacQGg");
}

TEST(ConcatKdf, DerivesMoreThanOneHashOfKey) {
  const std::vector<std::uint8_t> z(32, 7);
  const core::SecretBytes k256 = detail::ConcatKdf(z, "A256GCM", {}, {}, 256);
  const core::SecretBytes k512 = detail::ConcatKdf(z, "A256GCM", {}, {}, 512);
  ASSERT_EQ(k512.size(), 64u);
  // keydatalen is hashed in, so the first block differs from the 256-bit key's.
  EXPECT_NE(Text(k512).substr(0, 32), Text(k256));
  EXPECT_THROW((void)detail::ConcatKdf(z, "A256GCM", {}, {}, 100), std::invalid_argument);
}

TEST(Jwe, EcdhEsRoundTrips) {
  const EcKey key = EcWithKid("c2p-jwe-1");
  JweDecryptionKeys keys;
  ASSERT_TRUE(keys.AddEcdhEs(key));
  for (std::string_view plaintext : {kCardData, std::string_view(""), std::string_view("x")}) {
    const std::string jwe = EncryptEcdhEs(Bytes(plaintext), key);
    auto decrypted = DecryptJwe(jwe, keys);
    ASSERT_TRUE(decrypted) << decrypted.error().message;
    EXPECT_EQ(Text(*decrypted), plaintext);
  }
}

TEST(Jwe, EcdhEsOutputHasTheExpectedShape) {
  const EcKey key = EcWithKid("c2p-jwe-1");
  const std::string jwe = EncryptEcdhEs(Bytes(kCardData), key);
  const json::object header = HeaderOf(jwe);
  EXPECT_EQ(header.at("alg").as_string(), "ECDH-ES");
  EXPECT_EQ(header.at("enc").as_string(), "A256GCM");
  EXPECT_EQ(header.at("kid").as_string(), "c2p-jwe-1");
  const json::object& epk = header.at("epk").as_object();
  EXPECT_EQ(epk.at("kty").as_string(), "EC");
  EXPECT_EQ(epk.at("crv").as_string(), "P-256");
  EXPECT_FALSE(epk.contains("d"));
  EXPECT_EQ(Part(jwe, 1), "");
  EXPECT_EQ(Base64UrlDecode(Part(jwe, 2))->size(), 12u);
  EXPECT_EQ(Base64UrlDecode(Part(jwe, 3))->size(), kCardData.size());
  EXPECT_EQ(Base64UrlDecode(Part(jwe, 4))->size(), 16u);
  // A fresh ephemeral key and IV every time.
  EXPECT_NE(HeaderOf(EncryptEcdhEs(Bytes(kCardData), key)).at("epk"), header.at("epk"));
  EXPECT_EQ(HeaderOf(EncryptEcdhEs(Bytes(kCardData), key, "other")).at("kid").as_string(), "other");
}

TEST(Jwe, RsaOaep256RoundTrips) {
  RsaKey key = std::move(*RsaKey::FromJwk(testing::CachedRsaKey(1).ToPrivateJwk()));
  key.set_kid("network-key");
  JweDecryptionKeys keys;
  ASSERT_TRUE(keys.AddRsaOaep256(key));
  const std::string jwe = EncryptRsaOaep256(Bytes(kCardData), key);
  const json::object header = HeaderOf(jwe);
  EXPECT_EQ(json::serialize(header),
            R"({"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"network-key"})");
  EXPECT_EQ(Base64UrlDecode(Part(jwe, 1))->size(), 256u);
  auto decrypted = DecryptJwe(jwe, keys);
  ASSERT_TRUE(decrypted) << decrypted.error().message;
  EXPECT_EQ(Text(*decrypted), kCardData);
}

TEST(Jwe, Rfc7520RsaOaepSha1VectorIsRefusedWhileTheSameKeyWorks) {
  auto key = RsaKey::FromJwk(Rfc7520Key());
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->bits(), 4096);
  JweDecryptionKeys keys;
  ASSERT_TRUE(keys.AddRsaOaep256(*key));
  auto refused = DecryptJwe(kRfc7520Figure92, keys);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::ErrorCode::kInvalidEncryptedData);
  EXPECT_EQ(refused.error().message, "JWE alg is not accepted");
  // The key itself is fine: RSA-OAEP-256 to it decrypts.
  auto decrypted = DecryptJwe(EncryptRsaOaep256(Bytes(kCardData), *key), keys);
  ASSERT_TRUE(decrypted) << decrypted.error().message;
  EXPECT_EQ(Text(*decrypted), kCardData);
  // And the key parser itself refuses the vector's "alg":"RSA-OAEP".
  json::object with_alg = Rfc7520Key();
  with_alg["alg"] = "RSA-OAEP";
  EXPECT_FALSE(RsaKey::FromJwk(with_alg));
}

TEST(Jwe, LargestPlaintextUnderTheLimitDecrypts) {
  const EcKey key = EcWithKid("k");
  JweDecryptionKeys keys;
  ASSERT_TRUE(keys.AddEcdhEs(key));
  std::string plaintext(5900, 'p');
  const std::string jwe = EncryptEcdhEs(Bytes(plaintext), key);
  ASSERT_LE(jwe.size(), kMaxJweCompactBytes);
  auto decrypted = DecryptJwe(jwe, keys);
  ASSERT_TRUE(decrypted) << decrypted.error().message;
  EXPECT_EQ(decrypted->size(), plaintext.size());
}

TEST(Jwe, KeySetPicksTheKeyByKid) {
  const EcKey a = EcWithKid("a");
  const EcKey b = EcWithKid("b");
  RsaKey r = std::move(*RsaKey::FromJwk(testing::CachedRsaKey(0).ToPrivateJwk()));
  r.set_kid("r");
  JweDecryptionKeys keys;
  ASSERT_TRUE(keys.AddEcdhEs(a));
  ASSERT_TRUE(keys.AddEcdhEs(b));
  ASSERT_TRUE(keys.AddRsaOaep256(r));
  EXPECT_EQ(keys.size(), 3u);
  EXPECT_EQ(Text(*DecryptJwe(EncryptEcdhEs(Bytes("to b"), b), keys)), "to b");
  EXPECT_EQ(Text(*DecryptJwe(EncryptEcdhEs(Bytes("to a"), a), keys)), "to a");
  EXPECT_EQ(Text(*DecryptJwe(EncryptRsaOaep256(Bytes("to r"), r), keys)), "to r");
  // Encrypted to b but labelled a: the tag does not authenticate under a's key.
  auto wrong = DecryptJwe(EncryptEcdhEs(Bytes("to b"), b, "a"), keys);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().message, "JWE cannot be decrypted");
}

TEST(Jwe, OneKeySetServesSeveralThreads) {
  // The keys' prepared contexts are shared and only duplicated per decryption.
  const EcKey ec = EcWithKid("e");
  RsaKey rsa = std::move(*RsaKey::FromJwk(testing::CachedRsaKey(0).ToPrivateJwk()));
  rsa.set_kid("r");
  JweDecryptionKeys keys;
  ASSERT_TRUE(keys.AddEcdhEs(ec));
  ASSERT_TRUE(keys.AddRsaOaep256(rsa));
  const std::string to_ec = EncryptEcdhEs(Bytes(kCardData), ec);
  const std::string to_rsa = EncryptRsaOaep256(Bytes(kCardData), rsa);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        auto a = DecryptJwe(to_ec, keys);
        auto b = DecryptJwe(to_rsa, keys);
        if (!a || !b || Text(*a) != kCardData || Text(*b) != kCardData) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(JweDecryptionKeys, RefusesKeysThatCannotDecryptOrBeFound) {
  JweDecryptionKeys keys;
  EcKey no_kid = EcKey::Generate();
  EXPECT_EQ(keys.AddEcdhEs(no_kid).error().code, core::ErrorCode::kConfigInvalid);
  EcKey public_only = std::move(*EcKey::FromJwk(EcWithKid("p").ToPublicJwk()));
  EXPECT_FALSE(keys.AddEcdhEs(public_only));
  EcKey signing = EcWithKid("s");
  signing.set_use("sig");
  EXPECT_FALSE(keys.AddEcdhEs(signing));
  EcKey es256 = EcWithKid("s2");
  es256.set_alg("ES256");
  EXPECT_FALSE(keys.AddEcdhEs(es256));
  ASSERT_TRUE(keys.AddEcdhEs(EcWithKid("dup")));
  EXPECT_FALSE(keys.AddEcdhEs(EcWithKid("dup")));
  RsaKey rs256 = std::move(*RsaKey::FromJwk(testing::CachedRsaKey(0).ToPrivateJwk()));
  rs256.set_kid("r");
  rs256.set_alg("RS256");
  EXPECT_FALSE(keys.AddRsaOaep256(rs256));
  auto public_rsa = RsaKey::FromJwk(testing::CachedRsaKey(0).ToPublicJwk());
  public_rsa->set_kid("rp");
  EXPECT_FALSE(keys.AddRsaOaep256(*public_rsa));
  EXPECT_EQ(keys.size(), 1u);
}

}  // namespace
}  // namespace c2p::jose
