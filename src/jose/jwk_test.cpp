#include "jose/jwk.hpp"

#include <sys/wait.h>

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include <boost/json/serialize.hpp>

#include "jose/base64url.hpp"
#include "jose/key_file.hpp"
#include "tests/support/scratch_dir.hpp"

namespace c2p::jose {
namespace {
namespace json = boost::json;

// The P-256 key of RFC 7515 appendix A.3.
constexpr std::string_view kA3X = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
constexpr std::string_view kA3Y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
constexpr std::string_view kA3D = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI";

json::object A3Jwk(bool with_d) {
  json::object jwk{{"kty", "EC"}, {"crv", "P-256"}, {"x", kA3X}, {"y", kA3Y}};
  if (with_d) jwk["d"] = kA3D;
  return jwk;
}

std::string Member(const json::object& jwk, std::string_view name) {
  return std::string(jwk.at(name).as_string());
}

void ExpectRejected(const json::object& jwk, std::string_view field) {
  auto key = EcKey::FromJwk(jwk);
  ASSERT_FALSE(key) << json::serialize(jwk);
  EXPECT_EQ(key.error().code, core::ErrorCode::kFieldInvalidFormat);
  EXPECT_EQ(key.error().field, field);
}

TEST(EcKey, ThumbprintOfRfc7515A3Key) {
  // Derived independently when this test was written, with python3's hashlib:
  //   s = '{"crv":"P-256","kty":"EC","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",'
  //       '"y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}'
  //   base64.urlsafe_b64encode(hashlib.sha256(s.encode()).digest()).rstrip(b'=')
  // and confirmed with jwcrypto's JWK(...).thumbprint().
  auto key = EcKey::FromJwk(A3Jwk(false));
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->Thumbprint(), "oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U");
}

TEST(EcKey, LoadsRfc7515A3PrivateKey) {
  auto key = EcKey::FromJwk(A3Jwk(true));
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_TRUE(key->has_private());
  EXPECT_EQ(json::value(key->ToPrivateJwk()), json::value(A3Jwk(true)));
}

TEST(EcKey, ThumbprintIgnoresMetadata) {
  json::object jwk = A3Jwk(false);
  jwk["kid"] = "some-kid";
  jwk["use"] = "sig";
  jwk["alg"] = "ES256";
  auto key = EcKey::FromJwk(jwk);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->Thumbprint(), "oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U");
  EXPECT_EQ(key->kid(), "some-kid");
  EXPECT_EQ(json::value(key->ToPublicJwk()), json::value(jwk));
}

TEST(EcKey, GeneratedKeyRoundTripsThroughItsPrivateJwk) {
  EcKey key = EcKey::Generate();
  key.set_kid(key.Thumbprint());
  key.set_use("sig");
  key.set_alg("ES256");
  ASSERT_TRUE(key.has_private());
  const json::object private_jwk = key.ToPrivateJwk();
  EXPECT_EQ(Base64UrlDecode(Member(private_jwk, "d"))->size(), 32u);
  auto loaded = EcKey::FromJwk(private_jwk);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_TRUE(loaded->has_private());
  EXPECT_EQ(json::value(loaded->ToPublicJwk()), json::value(key.ToPublicJwk()));
  EXPECT_EQ(json::value(loaded->ToPrivateJwk()), json::value(private_jwk));
  EXPECT_EQ(loaded->Thumbprint(), key.Thumbprint());
}

TEST(EcKey, PublicJwkHasNoPrivateMember) {
  const EcKey key = EcKey::Generate();
  const json::object jwk = key.ToPublicJwk();
  EXPECT_FALSE(jwk.contains("d"));
  auto loaded = EcKey::FromJwk(jwk);
  ASSERT_TRUE(loaded);
  EXPECT_FALSE(loaded->has_private());
  EXPECT_THROW((void)loaded->ToPrivateJwk(), std::logic_error);
}

TEST(EcKey, RejectsPointOffTheCurve) {
  auto y = Base64UrlDecode(kA3Y);
  ASSERT_TRUE(y);
  y->back() ^= 0x01;
  json::object jwk = A3Jwk(false);
  jwk["y"] = Base64UrlEncode(*y);
  ExpectRejected(jwk, "/x");
}

TEST(EcKey, RejectsCoordinateBeyondTheField) {
  json::object jwk = A3Jwk(false);
  jwk["x"] = Base64UrlEncode(std::vector<std::uint8_t>(32, 0xFF));
  ExpectRejected(jwk, "/x");
}

TEST(EcKey, RejectsWrongCoordinateLengths) {
  auto x = Base64UrlDecode(kA3X);
  ASSERT_TRUE(x);
  std::vector<std::uint8_t> short_x(x->begin() + 1, x->end());
  std::vector<std::uint8_t> long_x(*x);
  long_x.insert(long_x.begin(), 0x00);  // same number, one leading zero too many

  json::object jwk = A3Jwk(false);
  jwk["x"] = Base64UrlEncode(short_x);
  ExpectRejected(jwk, "/x");
  jwk["x"] = Base64UrlEncode(long_x);
  ExpectRejected(jwk, "/x");
  jwk = A3Jwk(false);
  jwk["y"] = "";
  ExpectRejected(jwk, "/y");
}

TEST(EcKey, RejectsWrongPrivateKeyLength) {
  auto d = Base64UrlDecode(kA3D);
  ASSERT_TRUE(d);
  json::object jwk = A3Jwk(true);
  jwk["d"] = Base64UrlEncode(std::span<const std::uint8_t>(d->data(), 31));
  ExpectRejected(jwk, "/d");
  std::vector<std::uint8_t> long_d(*d);
  long_d.insert(long_d.begin(), 0x00);
  jwk["d"] = Base64UrlEncode(long_d);
  ExpectRejected(jwk, "/d");
}

TEST(EcKey, RejectsPrivateKeyOfAnotherPoint) {
  const EcKey other = EcKey::Generate();
  json::object jwk = A3Jwk(false);
  jwk["d"] = other.ToPrivateJwk().at("d");
  ExpectRejected(jwk, "/d");
}

TEST(EcKey, RejectsZeroPrivateKey) {
  json::object jwk = A3Jwk(false);
  jwk["d"] = Base64UrlEncode(std::vector<std::uint8_t>(32, 0x00));
  ExpectRejected(jwk, "/d");
}

TEST(EcKey, RejectsOtherKeyTypesAndCurves) {
  json::object jwk = A3Jwk(false);
  jwk["kty"] = "RSA";
  ExpectRejected(jwk, "/kty");
  jwk["kty"] = "OKP";
  ExpectRejected(jwk, "/kty");
  jwk = A3Jwk(false);
  jwk["crv"] = "P-384";
  ExpectRejected(jwk, "/crv");
  jwk["crv"] = "secp256k1";
  ExpectRejected(jwk, "/crv");
  jwk = A3Jwk(false);
  jwk.erase("crv");
  ExpectRejected(jwk, "/crv");
  jwk = A3Jwk(false);
  jwk["x"] = 5;
  ExpectRejected(jwk, "/x");
}

TEST(EcKey, RejectsBadBase64) {
  json::object jwk = A3Jwk(false);
  jwk["x"] = std::string(kA3X) + "=";
  ExpectRejected(jwk, "/x");
  jwk = A3Jwk(true);
  jwk["d"] = "jpsQnnGQmL+YBIffH1136cspYG6-0iY7X1fCE9-E9LI";
  ExpectRejected(jwk, "/d");
}

TEST(EcKey, RejectsUnsupportedOrMismatchedAlgAndUse) {
  json::object jwk = A3Jwk(false);
  jwk["alg"] = "ES384";
  ExpectRejected(jwk, "/alg");
  jwk = A3Jwk(false);
  jwk["use"] = "wrap";
  ExpectRejected(jwk, "/use");
  jwk = A3Jwk(false);
  jwk["use"] = "enc";
  jwk["alg"] = "ES256";
  ExpectRejected(jwk, "/alg");
}

TEST(OctKey, RoundTripsThroughItsJwk) {
  OctKey key = OctKey::Generate(32);
  key.set_kid("pan-1");
  key.set_alg("A256GCM");
  const json::object jwk = key.ToJwk();
  EXPECT_EQ(Member(jwk, "kty"), "oct");
  EXPECT_EQ(Member(jwk, "kid"), "pan-1");
  EXPECT_EQ(Member(jwk, "alg"), "A256GCM");
  auto loaded = OctKey::FromJwk(jwk);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->kid(), "pan-1");
  EXPECT_EQ(loaded->alg(), "A256GCM");
  ASSERT_EQ(loaded->bytes().size(), 32u);
  EXPECT_EQ(loaded->bytes().as_text(), key.bytes().as_text());
  EXPECT_EQ(json::value(loaded->ToJwk()), json::value(jwk));
}

TEST(OctKey, GeneratesDistinctKeys) {
  EXPECT_NE(OctKey::Generate(32).bytes().as_text(), OctKey::Generate(32).bytes().as_text());
  EXPECT_THROW(OctKey::Generate(0), std::invalid_argument);
}

TEST(OctKey, RejectsBadJwks) {
  const std::string k32 = Base64UrlEncode(std::vector<std::uint8_t>(32, 0x42));
  const std::string k16 = Base64UrlEncode(std::vector<std::uint8_t>(16, 0x42));
  const std::string k8 = Base64UrlEncode(std::vector<std::uint8_t>(8, 0x42));
  auto rejected = [](const json::object& jwk, std::string_view field) {
    auto key = OctKey::FromJwk(jwk);
    ASSERT_FALSE(key) << json::serialize(jwk);
    EXPECT_EQ(key.error().field, field);
  };
  rejected({{"kty", "EC"}, {"k", k32}}, "/kty");
  rejected({{"kty", "oct"}}, "/k");
  rejected({{"kty", "oct"}, {"k", k8}}, "/k");
  rejected({{"kty", "oct"}, {"k", k16}, {"alg", "A256GCM"}}, "/k");
  rejected({{"kty", "oct"}, {"k", k16}, {"alg", "HS256"}}, "/k");
  rejected({{"kty", "oct"}, {"k", k32}, {"alg", "A128GCM"}}, "/alg");
  rejected({{"kty", "oct"}, {"k", k32}, {"alg", "HS256"}, {"use", "enc"}}, "/alg");
  rejected({{"kty", "oct"}, {"k", k32 + "="}}, "/k");
  rejected({{"kty", "oct"}, {"k", k32}, {"kid", ""}}, "/kid");
  rejected({{"kty", "oct"}, {"k", k32}, {"kid", 7}}, "/kid");
  EXPECT_TRUE(OctKey::FromJwk({{"kty", "oct"}, {"k", k16}}));
}

TEST(Jwk, WipeJwkSecretsRemovesPrivateMembers) {
  json::object ec = EcKey::Generate().ToPrivateJwk();
  WipeJwkSecrets(ec);
  EXPECT_FALSE(ec.contains("d"));
  EXPECT_TRUE(ec.contains("x"));
  json::object oct = OctKey::Generate(32).ToJwk();
  WipeJwkSecrets(oct);
  EXPECT_FALSE(oct.contains("k"));
}

// Debian's python3-jwcrypto installs into /usr/bin/python3's path; a python3 earlier on
// PATH (pyenv, venv) may not have it, so that one is tried first.
constexpr std::array<const char*, 2> kPythons = {"/usr/bin/python3", "python3"};
constexpr int kNoJwcrypto = 77;

// Loads the private JWK (argv[1]) and public JWK (argv[2]) with jwcrypto, checks that the
// private one is a P-256 key pair cryptography accepts (it verifies d against x/y), signs
// with it and verifies with the public one, then prints jwcrypto's RFC 7638 thumbprint.
constexpr char kCrossCheckScript[] = R"py(
import json, sys
try:
    from jwcrypto import jwk, jws
    from cryptography.hazmat.primitives.asymmetric import ec
except ImportError:
    sys.exit(77)
priv = jwk.JWK.from_json(open(sys.argv[1]).read())
pub = jwk.JWK.from_json(open(sys.argv[2]).read())
assert priv.has_private and not pub.has_private
assert priv["kty"] == "EC" and priv["crv"] == "P-256"
op = priv.get_op_key("sign")
assert isinstance(op, ec.EllipticCurvePrivateKey) and op.curve.name == "secp256r1"
signed = jws.JWS(b"c2p cross-check")
signed.add_signature(priv, alg="ES256", protected=json.dumps({"alg": "ES256"}))
check = jws.JWS()
check.deserialize(signed.serialize())
check.verify(pub)
print(priv.thumbprint())
)py";

struct PythonRun {
  int status = -1;
  std::string output;
};

PythonRun RunPython(const char* python, const std::string& args) {
  const std::string command =
      std::string(python) + " -c '" + kCrossCheckScript + "' " + args + " 2>&1";
  PythonRun run;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 512> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    run.output.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

TEST(EcKey, JwcryptoAcceptsGeneratedKeyAndAgreesOnThumbprint) {
  c2p::testing::ScratchDir dir;
  EcKey key = EcKey::Generate();
  key.set_kid(key.Thumbprint());
  key.set_use("sig");
  key.set_alg("ES256");
  json::object private_jwk = key.ToPrivateJwk();
  ASSERT_TRUE(WriteJwkFile(dir / "private.jwk", private_jwk, true));
  ASSERT_TRUE(WriteJwkFile(dir / "public.jwk", key.ToPublicJwk(), false));
  WipeJwkSecrets(private_jwk);
  const std::string args =
      "'" + (dir / "private.jwk").string() + "' '" + (dir / "public.jwk").string() + "'";

  for (const char* python : kPythons) {
    const PythonRun run = RunPython(python, args);
    // 127: no such interpreter; kNoJwcrypto: the interpreter lacks jwcrypto.
    if (run.status == 127 || run.status == kNoJwcrypto) continue;
    ASSERT_EQ(run.status, 0) << python << " failed:\n" << run.output;
    EXPECT_EQ(run.output, key.Thumbprint() + "\n");
    return;
  }
  GTEST_SKIP() << "python3 with jwcrypto not found (Debian package python3-jwcrypto)";
}

}  // namespace
}  // namespace c2p::jose
