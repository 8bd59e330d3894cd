// The S3 suite (quality.md) at the JWE level: every JWE below must be refused with
// kInvalidEncryptedData, without crashing, and with a message that quotes neither the
// plaintext nor the input.

#include <openssl/rsa.h>

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include <boost/json/serialize.hpp>

#include "jose/base64url.hpp"
#include "jose/jwe.hpp"
#include "jose/jwe_internal.hpp"
#include "jose/test_support.hpp"

namespace c2p::jose {
namespace {
namespace json = boost::json;
using testing::Bytes;
using testing::FlipBit;
using testing::Part;
using testing::ReplacePart;

constexpr std::string_view kPan = "4111111111111111";
constexpr std::string_view kCardData = R"({"pan":"4111111111111111","exp":"1228"})";
using Edit = std::function<void(json::object&)>;

std::vector<std::uint8_t> Decoded(const json::object& header, std::string_view name) {
  const json::value* v = header.if_contains(name);
  if (v == nullptr || !v->is_string()) return {};
  auto bytes = Base64UrlDecode(std::string(v->get_string()));
  return bytes ? *bytes : std::vector<std::uint8_t>{};
}

// An ECDH-ES JWE to `recipient` whose header is edited before sealing, so the tag is
// valid for the edited header and only the edit can be the reason for a refusal.
std::string EcdhJwe(const EcKey& recipient, const Edit& edit = {},
                    std::string_view plaintext = kCardData) {
  const EcKey ephemeral = EcKey::Generate();
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, ephemeral.pkey(), nullptr);
  core::SecretBytes z(32);
  std::size_t z_size = z.size();
  if (ctx == nullptr || EVP_PKEY_derive_init(ctx) != 1 ||
      EVP_PKEY_derive_set_peer(ctx, recipient.pkey()) != 1 ||
      EVP_PKEY_derive(ctx, z.data(), &z_size) != 1) {
    throw std::runtime_error("test ECDH failed");
  }
  EVP_PKEY_CTX_free(ctx);
  json::object header = detail::StartHeader("ECDH-ES", recipient.kid());
  header["epk"] = ephemeral.ToPublicJwk();
  if (edit) edit(header);
  const core::SecretBytes cek =
      detail::ConcatKdf(z.view(), "A256GCM", Decoded(header, "apu"), Decoded(header, "apv"), 256);
  return detail::SealCompact(header, {}, cek, Bytes(plaintext));
}

// An RSA-OAEP-256 JWE to `recipient` with an edited header, as EcdhJwe.
std::string RsaJwe(const RsaKey& recipient, const Edit& edit = {}) {
  const core::SecretBytes cek = detail::RandomSecret(32);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, recipient.pkey(), nullptr);
  std::vector<std::uint8_t> wrapped(recipient.modulus_bytes());
  std::size_t size = wrapped.size();
  if (ctx == nullptr || EVP_PKEY_encrypt_init(ctx) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) != 1 ||
      EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha256()) != 1 ||
      EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) != 1 ||
      EVP_PKEY_encrypt(ctx, wrapped.data(), &size, cek.data(), cek.size()) != 1) {
    throw std::runtime_error("test RSA-OAEP failed");
  }
  EVP_PKEY_CTX_free(ctx);
  json::object header = detail::StartHeader("RSA-OAEP-256", recipient.kid());
  if (edit) edit(header);
  return detail::SealCompact(header, wrapped, cek, Bytes(kCardData));
}

Edit Set(std::string name, json::value value) {
  return [name, value](json::object& header) { header[name] = value; };
}
Edit Erase(std::string name) {
  return [name](json::object& header) { header.erase(name); };
}
Edit SetEpk(std::string name, std::string value) {
  return [name, value](json::object& header) { header["epk"].as_object()[name] = value; };
}

std::string Encoded(std::size_t size, std::uint8_t byte) {
  return Base64UrlEncode(std::vector<std::uint8_t>(size, byte));
}

// A header re-encoded with one more member: the AAD no longer matches the tag.
std::string WithTamperedHeader(const std::string& jwe) {
  const std::vector<std::uint8_t> bytes = *Base64UrlDecode(Part(jwe, 0));
  std::string header(bytes.begin(), bytes.end());
  header.insert(header.size() - 1, R"(,"x":1)");
  return ReplacePart(jwe, 0, Base64UrlEncode(header));
}

struct NegativeCase {
  std::string name;
  std::string jwe;
  std::string because;  // the message must contain it
};

std::vector<NegativeCase> Cases(const EcKey& ec, const RsaKey& rsa) {
  const EcKey stranger = [] {
    EcKey key = EcKey::Generate();
    key.set_kid("ec-1");  // claims our kid
    return key;
  }();
  const std::string good = EcdhJwe(ec);
  const std::string good_rsa = RsaJwe(rsa);
  // Another curve's point, the P-256 field prime, and (0, 0): none is a P-256 point.
  const std::string p384_x = Encoded(48, 0x11);
  const std::string field_prime = Base64UrlEncode(
      std::vector<std::uint8_t>{0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
                                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF,
                                0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF});
  std::string off_curve_y;
  {
    std::vector<std::uint8_t> y =
        *Base64UrlDecode(std::string(ec.ToPublicJwk().at("y").as_string()));
    y.back() ^= 0x01;
    off_curve_y = Base64UrlEncode(y);
  }
  const std::string big = EcdhJwe(ec, {}, std::string(6200, 'x'));

  return {
      {"RSA1_5", RsaJwe(rsa, Set("alg", "RSA1_5")), "alg is not accepted"},
      {"RSA-OAEP with SHA-1", RsaJwe(rsa, Set("alg", "RSA-OAEP")), "alg is not accepted"},
      {"RSA-OAEP-384", RsaJwe(rsa, Set("alg", "RSA-OAEP-384")), "alg is not accepted"},
      {"dir", EcdhJwe(ec, Set("alg", "dir")), "alg is not accepted"},
      {"A256KW", RsaJwe(rsa, Set("alg", "A256KW")), "alg is not accepted"},
      {"ECDH-ES+A256KW", EcdhJwe(ec, Set("alg", "ECDH-ES+A256KW")), "alg is not accepted"},
      {"ECDH-ES+A128KW", EcdhJwe(ec, Set("alg", "ECDH-ES+A128KW")), "alg is not accepted"},
      {"A256GCMKW", EcdhJwe(ec, Set("alg", "A256GCMKW")), "alg is not accepted"},
      {"PBES2", EcdhJwe(ec, Set("alg", "PBES2-HS256+A128KW")), "alg is not accepted"},
      {"alg none", EcdhJwe(ec, Set("alg", "none")), "alg is not accepted"},
      {"alg missing", EcdhJwe(ec, Erase("alg")), "alg is missing"},
      {"alg not a string", EcdhJwe(ec, Set("alg", 1)), "alg is missing"},
      {"enc A128GCM", EcdhJwe(ec, Set("enc", "A128GCM")), "enc"},
      {"enc A256CBC-HS512", RsaJwe(rsa, Set("enc", "A256CBC-HS512")), "enc"},
      {"enc missing", EcdhJwe(ec, Erase("enc")), "enc"},
      {"zip", EcdhJwe(ec, Set("zip", "DEF")), "zip"},
      {"unknown crit", EcdhJwe(ec, Set("crit", json::array{"exp"})), "crit"},
      {"empty crit", RsaJwe(rsa, Set("crit", json::array{})), "crit"},
      {"kid unknown", EcdhJwe(ec, Set("kid", "ec-2")), "kid does not name"},
      {"kid missing", EcdhJwe(ec, Erase("kid")), "kid is missing"},
      {"kid not a string", EcdhJwe(ec, Set("kid", json::array{"ec-1"})), "kid is missing"},
      {"ECDH-ES to the RSA key", EcdhJwe(ec, Set("kid", "rsa-1")), "not the one of the key"},
      {"RSA-OAEP-256 to the EC key", RsaJwe(rsa, Set("kid", "ec-1")), "not the one of the key"},
      {"flipped tag bit", FlipBit(good, 4, 15), "cannot be decrypted"},
      {"flipped ciphertext bit", FlipBit(good, 3, 0), "cannot be decrypted"},
      {"flipped IV bit", FlipBit(good, 2, 11), "cannot be decrypted"},
      {"flipped RSA tag bit", FlipBit(good_rsa, 4, 0), "cannot be decrypted"},
      {"tampered header (AAD)", WithTamperedHeader(good), "cannot be decrypted"},
      {"encrypted to another key", EcdhJwe(stranger), "cannot be decrypted"},
      {"RSA key wrap of garbage", ReplacePart(good_rsa, 1, Encoded(256, 0x5A)),
       "cannot be decrypted"},
      {"RSA key wrap of the wrong size", ReplacePart(good_rsa, 1, Encoded(255, 0x5A)),
       "modulus size"},
      {"IV of 16 bytes", ReplacePart(good, 2, Encoded(16, 1)), "IV must be 12 bytes"},
      {"IV of 8 bytes", ReplacePart(good, 2, Encoded(8, 1)), "IV must be 12 bytes"},
      {"tag of 12 bytes", ReplacePart(good, 4, Part(good, 4).substr(0, 16)),
       "tag must be 16 bytes"},
      {"no tag", ReplacePart(good, 4, ""), "tag must be 16 bytes"},
      {"off-curve epk", EcdhJwe(ec, SetEpk("y", off_curve_y)), "not a point on P-256"},
      {"epk x is the field prime", EcdhJwe(ec, SetEpk("x", field_prime)), "not a point on P-256"},
      {"epk (0, 0)",
       EcdhJwe(ec,
               [](json::object& h) {
                 h["epk"].as_object()["x"] = Encoded(32, 0);
                 h["epk"].as_object()["y"] = Encoded(32, 0);
               }),
       "not a point on P-256"},
      {"epk on P-384",
       EcdhJwe(ec,
               [&](json::object& h) {
                 h["epk"].as_object()["crv"] = "P-384";
                 h["epk"].as_object()["x"] = p384_x;
                 h["epk"].as_object()["y"] = p384_x;
               }),
       "not a P-256 key"},
      {"epk with P-384-sized coordinates", EcdhJwe(ec, SetEpk("x", p384_x)), "32 bytes"},
      {"epk X25519",
       EcdhJwe(ec,
               [](json::object& h) {
                 h["epk"] = json::object{{"kty", "OKP"}, {"crv", "X25519"}, {"x", Encoded(32, 9)}};
               }),
       "not a P-256 key"},
      {"epk missing", EcdhJwe(ec, Erase("epk")), "epk is missing"},
      {"epk a string", EcdhJwe(ec, Set("epk", "key")), "epk is missing"},
      {"epk with a private key", EcdhJwe(ec, SetEpk("d", Encoded(32, 1))), "private key"},
      {"epk coordinate not base64url", EcdhJwe(ec, SetEpk("x", "+/+/")), "32 bytes"},
      {"apu not a string", EcdhJwe(ec, Set("apu", 5)), "apu/apv"},
      {"apv not base64url", EcdhJwe(ec, Set("apv", "a=")), "apu/apv"},
      {"ECDH-ES with an encrypted key", ReplacePart(good, 1, Encoded(32, 1)), "must be empty"},
      {"4 parts", good.substr(0, good.rfind('.')), "five parts"},
      {"6 parts", good + ".AAAA", "five parts"},
      {"1 part", Part(good, 0), "five parts"},
      {"empty", "", "five parts"},
      {"oversize", big, "longer than 8192"},
      {"header not base64url", ReplacePart(good, 0, Part(good, 0) + "!"),
       "header is not base64url"},
      {"IV not base64url", ReplacePart(good, 2, "AAAA=AAAAAAAAAAA"), "IV is not base64url"},
      {"tag not base64url", ReplacePart(good, 4, "AAAAAAAAAAAAAAAAAAAAA*"), "tag is not base64url"},
      {"ciphertext not base64url", ReplacePart(good, 3, "A"), "ciphertext is not base64url"},
      {"key not base64url", ReplacePart(good_rsa, 1, "A+"), "encrypted key is not base64url"},
      {"header an array", ReplacePart(good, 0, Base64UrlEncode(R"(["ECDH-ES"])")), "JSON object"},
      {"header with duplicate alg",
       ReplacePart(good, 0, Base64UrlEncode(R"({"alg":"dir","alg":"ECDH-ES","enc":"A256GCM"})")),
       "JSON object"},
  };
}

TEST(Jwe, NegativeSuiteIsRefused) {
  EcKey ec = EcKey::Generate();
  ec.set_kid("ec-1");
  RsaKey rsa = std::move(*RsaKey::FromJwk(testing::CachedRsaKey(0).ToPrivateJwk()));
  rsa.set_kid("rsa-1");
  JweDecryptionKeys keys;
  ASSERT_TRUE(keys.AddEcdhEs(ec));
  ASSERT_TRUE(keys.AddRsaOaep256(rsa));
  // The unedited builders produce JWEs that decrypt, so each refusal is due to its edit.
  ASSERT_TRUE(DecryptJwe(EcdhJwe(ec), keys));
  ASSERT_TRUE(DecryptJwe(RsaJwe(rsa), keys));
  ASSERT_TRUE(DecryptJwe(EcdhJwe(ec, Set("apu", "QWxpY2U")), keys));

  for (const NegativeCase& c : Cases(ec, rsa)) {
    auto decrypted = DecryptJwe(c.jwe, keys);
    ASSERT_FALSE(decrypted) << c.name;
    EXPECT_EQ(decrypted.error().code, core::ErrorCode::kInvalidEncryptedData) << c.name;
    EXPECT_NE(decrypted.error().message.find(c.because), std::string::npos)
        << c.name << ": " << decrypted.error().message;
    EXPECT_EQ(decrypted.error().message.find(kPan), std::string::npos) << c.name;
    for (std::size_t i = 0; i < 5; ++i) {
      const std::string part = Part(c.jwe, i);
      if (part.size() >= 8) {
        EXPECT_EQ(decrypted.error().message.find(part), std::string::npos) << c.name;
      }
    }
  }
}

}  // namespace
}  // namespace c2p::jose
