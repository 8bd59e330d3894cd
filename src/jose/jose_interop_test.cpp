// Cross-checks with an independent JOSE implementation, Debian's python3-jwcrypto: what it
// makes, c2p accepts; what c2p makes, it accepts. Keys travel as JWK files. Skipped only
// when no python3 with jwcrypto is installed.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <boost/json/serialize.hpp>

#include "jose/jwe.hpp"
#include "jose/jws.hpp"
#include "jose/key_file.hpp"
#include "jose/test_support.hpp"

namespace c2p::jose {
namespace {
namespace json = boost::json;
using c2p::testing::ScratchDir;
using testing::Bytes;
using testing::RunJwcrypto;
using testing::Text;
using testing::WriteFile;

constexpr std::string_view kPayload = R"({"iss":"ISSUER0001","sub":"ISSUER0001","exp":1900000000})";
constexpr std::string_view kCardData =
    R"({"pan":"4111111111111111","exp":"1228","name":"JANE DOE"})";

class JwcryptoInterop : public ::testing::Test {
 protected:
  // Writes a JWK (wiping secrets from the copy) and returns its path.
  std::string Jwk(const std::string& name, json::object jwk, bool secret) {
    const auto path = dir_ / name;
    EXPECT_TRUE(WriteJwkFile(path, jwk, secret));
    WipeJwkSecrets(jwk);
    return path.string();
  }
  std::string File(const std::string& name, std::string_view content) {
    WriteFile(dir_ / name, content);
    return (dir_ / name).string();
  }
  // Runs the jwcrypto script; skips the test when jwcrypto is missing.
  std::optional<std::string> Run(const std::vector<std::string>& args) {
    auto run = RunJwcrypto(dir_, args);
    if (!run) return std::nullopt;
    EXPECT_EQ(run->status, 0) << args.front() << " failed:\n" << run->output;
    if (run->status != 0) return std::nullopt;
    return run->output;
  }

  ScratchDir dir_;
};

#define C2P_JWCRYPTO_OR_SKIP(var, args)                                                  \
  auto var = Run(args);                                                                  \
  if (!var) {                                                                            \
    if (HasFailure()) return;                                                            \
    GTEST_SKIP() << "python3 with jwcrypto not found (Debian package python3-jwcrypto)"; \
  }

TEST_F(JwcryptoInterop, TheirEs256Ps256AndRs256TokensVerifyHere) {
  EcKey ec = EcKey::Generate();
  ec.set_kid("ec-sig");
  const RsaKey& rsa = testing::CachedRsaKey(0);
  const std::string ec_file = Jwk("ec.jwk", ec.ToPrivateJwk(), true);
  const std::string rsa_file = Jwk("rsa.jwk", rsa.ToPrivateJwk(), true);
  const std::string payload = File("payload", kPayload);

  struct Case {
    std::string alg;
    std::string key_file;
    VerificationKey key;
  };
  auto rsa_public = RsaKey::FromJwk(rsa.ToPublicJwk());
  ASSERT_TRUE(rsa_public);
  rsa_public->set_kid("rsa-sig");
  const std::vector<Case> cases = {{"ES256", ec_file, *VerificationKey::Es256(ec)},
                                   {"PS256", rsa_file, *VerificationKey::Ps256(*rsa_public)},
                                   {"RS256", rsa_file, *VerificationKey::Rs256(*rsa_public)}};
  for (const Case& c : cases) {
    const std::string kid = c.key.kid();
    C2P_JWCRYPTO_OR_SKIP(token,
                         (std::vector<std::string>{"sign", c.alg, c.key_file, payload, kid}));
    auto verified = VerifyJws(*token, c.key);
    ASSERT_TRUE(verified) << c.alg << ": " << verified.error().message;
    EXPECT_EQ(verified->payload, kPayload);
    EXPECT_EQ(verified->header.at("alg").as_string(), c.alg);
  }
}

TEST_F(JwcryptoInterop, OurEs256TokensVerifyThere) {
  EcKey ec = EcKey::Generate();
  ec.set_kid("ec-sig");
  std::string tokens;
  // Enough signatures that some have r or s with a leading zero byte (padding matters).
  for (int i = 0; i < 300; ++i) tokens += SignEs256(std::string(kPayload), ec) + "\n";
  const std::string public_file = Jwk("ec.pub.jwk", ec.ToPublicJwk(), false);
  C2P_JWCRYPTO_OR_SKIP(payloads,
                       (std::vector<std::string>{"verify", public_file, File("tokens", tokens)}));
  std::string expected;
  for (int i = 0; i < 300; ++i) expected += std::string(kPayload) + "\n";
  EXPECT_EQ(*payloads, expected);
}

TEST_F(JwcryptoInterop, TheirJwesDecryptHere) {
  EcKey ec = EcKey::Generate();
  ec.set_kid("ec-enc");
  RsaKey rsa = std::move(*RsaKey::FromJwk(testing::CachedRsaKey(1).ToPrivateJwk()));
  rsa.set_kid("rsa-enc");
  JweDecryptionKeys keys;
  ASSERT_TRUE(keys.AddEcdhEs(ec));
  ASSERT_TRUE(keys.AddRsaOaep256(rsa));
  const std::string plaintext = File("plaintext", kCardData);
  const std::vector<std::vector<std::string>> runs = {
      {"encrypt", "ECDH-ES", Jwk("ec.pub.jwk", ec.ToPublicJwk(), false), plaintext, "ec-enc"},
      {"encrypt", "RSA-OAEP-256", Jwk("rsa.pub.jwk", rsa.ToPublicJwk(), false), plaintext,
       "rsa-enc"}};
  for (const auto& args : runs) {
    C2P_JWCRYPTO_OR_SKIP(jwe, args);
    auto decrypted = DecryptJwe(*jwe, keys);
    ASSERT_TRUE(decrypted) << args[1] << ": " << decrypted.error().message;
    EXPECT_EQ(Text(*decrypted), kCardData);
  }
}

TEST_F(JwcryptoInterop, OurJwesDecryptThere) {
  EcKey ec = EcKey::Generate();
  ec.set_kid("ec-enc");
  RsaKey rsa = std::move(*RsaKey::FromJwk(testing::CachedRsaKey(1).ToPrivateJwk()));
  rsa.set_kid("rsa-enc");
  const std::vector<std::vector<std::string>> runs = {
      {"decrypt", Jwk("ec.jwk", ec.ToPrivateJwk(), true),
       File("ec.jwe", EncryptEcdhEs(Bytes(kCardData), ec))},
      {"decrypt", Jwk("rsa.jwk", rsa.ToPrivateJwk(), true),
       File("rsa.jwe", EncryptRsaOaep256(Bytes(kCardData), rsa))}};
  for (const auto& args : runs) {
    C2P_JWCRYPTO_OR_SKIP(plaintext, args);
    EXPECT_EQ(*plaintext, kCardData);
  }
}

}  // namespace
}  // namespace c2p::jose
