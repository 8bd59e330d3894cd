#include "jose/key_kinds.hpp"

#include <openssl/evp.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <array>
#include <fstream>
#include <regex>
#include <string>

#include "jose/jwk.hpp"
#include "tests/support/scratch_dir.hpp"

namespace c2p::jose {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;

using TempDir = c2p::testing::ScratchDir;

constexpr std::array<KeyKind, 6> kAllKinds = {KeyKind::kIssuerSigning, KeyKind::kJwe,
                                              KeyKind::kPan,           KeyKind::kPanHmac,
                                              KeyKind::kTokenMac,      KeyKind::kWebhook};

unsigned Mode(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string Member(const json::object& jwk, std::string_view name) {
  const json::value* v = jwk.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

TEST(KeyKinds, NamesRoundTrip) {
  for (KeyKind kind : kAllKinds) {
    auto parsed = ParseKeyKind(KeyKindName(kind));
    ASSERT_TRUE(parsed) << KeyKindName(kind);
    EXPECT_EQ(*parsed, kind);
  }
  auto unknown = ParseKeyKind("rsa");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, core::ErrorCode::kConfigInvalid);
}

TEST(KeyKinds, EveryKindWritesASecretFileAndRefusesToOverwriteIt) {
  for (KeyKind kind : kAllKinds) {
    SCOPED_TRACE(std::string(KeyKindName(kind)));
    TempDir dir;
    const fs::path out = dir / "key";
    auto kid = GenerateKeyFile(kind, out);
    ASSERT_TRUE(kid) << kid.error().message;
    ASSERT_TRUE(fs::is_regular_file(out));
    EXPECT_EQ(Mode(out), 0600u);
    EXPECT_EQ(kid->empty(), !KeyKindHasKid(kind));

    const std::string before = ReadText(out);
    auto again = GenerateKeyFile(kind, out);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, core::ErrorCode::kIo);
    EXPECT_EQ(ReadText(out), before);

    ASSERT_TRUE(GenerateKeyFile(kind, out, {}, {}, Overwrite::kReplace));
    EXPECT_NE(ReadText(out), before);
  }
}

TEST(KeyKinds, IssuerSigningKeyIsAnEs256KeyPairNamedByItsThumbprint) {
  TempDir dir;
  auto kid =
      GenerateKeyFile(KeyKind::kIssuerSigning, dir / "issuer.jwk", {}, dir / "issuer.pub.jwk");
  ASSERT_TRUE(kid) << kid.error().message;

  auto private_jwk = ReadJwkFile(dir / "issuer.jwk");
  ASSERT_TRUE(private_jwk);
  EXPECT_EQ(Member(*private_jwk, "use"), "sig");
  EXPECT_EQ(Member(*private_jwk, "alg"), "ES256");
  EXPECT_EQ(Member(*private_jwk, "kid"), *kid);
  auto key = EcKey::FromJwk(*private_jwk);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_TRUE(key->has_private());
  EXPECT_EQ(key->Thumbprint(), *kid);

  EXPECT_EQ(Mode(dir / "issuer.pub.jwk"), 0644u);
  auto public_jwk = ReadJwkFile(dir / "issuer.pub.jwk");
  ASSERT_TRUE(public_jwk);
  EXPECT_FALSE(public_jwk->contains("d"));
  EXPECT_EQ(*public_jwk, key->ToPublicJwk());
}

TEST(KeyKinds, JweKeyIsAnEcdhEsKeyPair) {
  TempDir dir;
  auto kid = GenerateKeyFile(KeyKind::kJwe, dir / "jwe.jwk", "jwe-2024", dir / "jwe.pub.jwk");
  ASSERT_TRUE(kid) << kid.error().message;
  EXPECT_EQ(*kid, "jwe-2024");
  auto public_jwk = ReadJwkFile(dir / "jwe.pub.jwk");
  ASSERT_TRUE(public_jwk);
  EXPECT_EQ(Member(*public_jwk, "use"), "enc");
  EXPECT_EQ(Member(*public_jwk, "alg"), "ECDH-ES");
  EXPECT_EQ(Member(*public_jwk, "kid"), "jwe-2024");
  auto key = EcKey::FromJwk(*ReadJwkFile(dir / "jwe.jwk"));
  ASSERT_TRUE(key);
  EXPECT_TRUE(key->has_private());
}

TEST(KeyKinds, SymmetricKindsAre32ByteOctKeysWithTheirAlg) {
  const std::array<std::pair<KeyKind, std::string_view>, 3> kinds = {
      {{KeyKind::kPan, "A256GCM"}, {KeyKind::kPanHmac, "HS256"}, {KeyKind::kTokenMac, "HS256"}}};
  for (const auto& [kind, alg] : kinds) {
    SCOPED_TRACE(std::string(KeyKindName(kind)));
    TempDir dir;
    auto kid = GenerateKeyFile(kind, dir / "k.jwk");
    ASSERT_TRUE(kid);
    EXPECT_EQ(kid->rfind(std::string(KeyKindName(kind)) + "-", 0), 0u) << *kid;
    auto key = OctKey::FromJwk(*ReadJwkFile(dir / "k.jwk"));
    ASSERT_TRUE(key) << key.error().message;
    EXPECT_EQ(key->bytes().size(), 32u);
    EXPECT_EQ(key->alg(), alg);
    EXPECT_EQ(key->kid(), *kid);
  }
}

TEST(KeyKinds, WebhookSecretFollowsStandardWebhooks) {
  TempDir dir;
  ASSERT_TRUE(GenerateKeyFile(KeyKind::kWebhook, dir / "whsec"));
  const std::string text = ReadText(dir / "whsec");
  ASSERT_TRUE(std::regex_match(text, std::regex("whsec_[A-Za-z0-9+/]{43}=\n"))) << text.size();
  std::array<unsigned char, 48> raw{};
  const std::string b64 = text.substr(6, 44);
  // 44 characters with one '=' decode to 33 bytes per EVP_DecodeBlock, the last one padding.
  ASSERT_EQ(EVP_DecodeBlock(raw.data(), reinterpret_cast<const unsigned char*>(b64.data()), 44),
            33);
  auto secret = ReadSecretTextFile(dir / "whsec");
  ASSERT_TRUE(secret);
  EXPECT_EQ(secret->as_text(), text.substr(0, text.size() - 1));
}

TEST(KeyKinds, RejectsRequestsThatMakeNoSense) {
  TempDir dir;
  auto expect_config_error = [&](const core::Result<std::string>& r) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::ErrorCode::kConfigInvalid);
  };
  expect_config_error(GenerateKeyFile(KeyKind::kPan, dir / "a", {}, dir / "b"));
  expect_config_error(GenerateKeyFile(KeyKind::kWebhook, dir / "a", "kid1"));
  expect_config_error(GenerateKeyFile(KeyKind::kJwe, dir / "a", "bad kid!"));
  expect_config_error(GenerateKeyFile(KeyKind::kJwe, dir / "a", std::string(65, 'k')));
  expect_config_error(GenerateKeyFile(KeyKind::kJwe, dir / "a", {}, dir / "." / "a"));
  expect_config_error(GenerateKeyFile(KeyKind::kJwe, {}));
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(KeyKinds, WritesNothingWhenThePublicFileExists) {
  TempDir dir;
  std::ofstream(dir / "pub.jwk") << "{}";
  auto kid = GenerateKeyFile(KeyKind::kIssuerSigning, dir / "priv.jwk", {}, dir / "pub.jwk");
  ASSERT_FALSE(kid);
  EXPECT_EQ(kid.error().code, core::ErrorCode::kIo);
  EXPECT_FALSE(fs::exists(dir / "priv.jwk"));
}

TEST(KeyKinds, RemovesThePrivateFileWhenThePublicOneCannotBeWritten) {
  TempDir dir;
  auto kid = GenerateKeyFile(KeyKind::kJwe, dir / "priv.jwk", {}, dir / "missing" / "pub.jwk");
  ASSERT_FALSE(kid);
  EXPECT_EQ(kid.error().code, core::ErrorCode::kIo);
  EXPECT_FALSE(fs::exists(dir / "priv.jwk"));
}

}  // namespace
}  // namespace c2p::jose
