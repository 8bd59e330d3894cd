#include "auth/assertion_keys.hpp"

#include <openssl/pem.h>

#include <fstream>

#include <gtest/gtest.h>
#include <boost/json/serialize.hpp>

#include "jose/jwk.hpp"
#include "jose/key_file.hpp"
#include "tests/support/scratch_dir.hpp"

namespace c2p::auth {
namespace {

std::string PublicPem(const jose::EcKey& key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  EXPECT_EQ(PEM_write_bio_PUBKEY(bio.get(), key.pkey()), 1);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

void Write(const std::filesystem::path& p, std::string_view text) {
  std::ofstream(p, std::ios::binary) << text;
}

TEST(LoadAssertionKey, JwkKeepsItsKid) {
  c2p::testing::ScratchDir dir;
  jose::EcKey key = jose::EcKey::Generate();
  key.set_kid("issuer-key-1");
  ASSERT_TRUE(jose::WriteJwkFile(dir.path() / "k.jwk", key.ToPublicJwk(), false));
  auto loaded = LoadAssertionKey(dir.path() / "k.jwk");
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->kid(), "issuer-key-1");
  EXPECT_EQ(loaded->alg(), jose::JwsAlg::kEs256);
}

TEST(LoadAssertionKey, PemAndKidlessJwkAreKnownByThumbprint) {
  c2p::testing::ScratchDir dir;
  const jose::EcKey key = jose::EcKey::Generate();
  Write(dir.path() / "k.pem", PublicPem(key));
  auto pem = LoadAssertionKey(dir.path() / "k.pem");
  ASSERT_TRUE(pem) << pem.error().message;
  EXPECT_EQ(pem->kid(), key.Thumbprint());

  ASSERT_TRUE(jose::WriteJwkFile(dir.path() / "k.jwk", key.ToPublicJwk(), false));
  auto jwk = LoadAssertionKey(dir.path() / "k.jwk");
  ASSERT_TRUE(jwk);
  EXPECT_EQ(jwk->kid(), key.Thumbprint());
}

TEST(LoadAssertionKey, RefusesWhatIsNotAnEs256PublicKey) {
  c2p::testing::ScratchDir dir;
  jose::EcKey enc = jose::EcKey::Generate();
  enc.set_use("enc");
  ASSERT_TRUE(jose::WriteJwkFile(dir.path() / "enc.jwk", enc.ToPublicJwk(), false));
  Write(dir.path() / "junk.pem", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
  Write(dir.path() / "junk.jwk", "{\"kty\":\"EC\"}");
  Write(dir.path() / "text", "hello");
  for (const char* name : {"enc.jwk", "junk.pem", "junk.jwk", "text", "missing"}) {
    auto loaded = LoadAssertionKey(dir.path() / name);
    EXPECT_FALSE(loaded) << name;
  }
}

}  // namespace
}  // namespace c2p::auth
