#include "jose/jws.hpp"

#include <openssl/hmac.h>

#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "jose/base64url.hpp"
#include "jose/test_support.hpp"

namespace c2p::jose {
namespace {
namespace json = boost::json;
using testing::CachedRsaKey;
using testing::FlipBit;
using testing::Part;
using testing::ReplacePart;
using testing::SignEs256Raw;
using testing::SignRsaRaw;

// RFC 7515 appendix A.3: the P-256 key and the ES256 JWS of the example claims.
constexpr std::string_view kA3X = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
constexpr std::string_view kA3Y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
constexpr std::string_view kExamplePayload =
    "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";
constexpr std::string_view kA3Token =
    "eyJhbGciOiJFUzI1NiJ9."
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    "."
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

// RFC 7515 appendix A.2: the RSA key (public part) and the RS256 JWS of the same claims.
constexpr std::string_view kA2N =
    "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4"
    "QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-"
    "bSf63kpaSHSXndS5z5rexMdbB"
    "YUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-"
    "DWN"
    "moudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";
constexpr std::string_view kA2Token =
    "eyJhbGciOiJSUzI1NiJ9."
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    "."
    "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_"
    "O8W2Fp5jujG"
    "bds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_"
    "nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K"
    "0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-"
    "eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6"
    "LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";

EcKey A3Key() {
  auto key = EcKey::FromJwk({{"kty", "EC"}, {"crv", "P-256"}, {"x", kA3X}, {"y", kA3Y}});
  if (!key) throw std::logic_error("A.3 key");
  return std::move(*key);
}

RsaKey A2Key() {
  auto key = RsaKey::FromJwk({{"kty", "RSA"}, {"n", kA2N}, {"e", "AQAB"}});
  if (!key) throw std::logic_error(key.error().message);
  return std::move(*key);
}

VerificationKey Es256(const EcKey& key) { return *VerificationKey::Es256(key); }

TEST(Jws, VerifiesRfc7515A3Es256Example) {
  const EcKey key = A3Key();
  auto verified = VerifyJws(kA3Token, Es256(key));
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified->payload, kExamplePayload);
  EXPECT_EQ(json::serialize(verified->header), R"({"alg":"ES256"})");
}

TEST(Jws, VerifiesRfc7515A2Rs256Example) {
  const RsaKey key = A2Key();
  auto verified = VerifyJws(kA2Token, *VerificationKey::Rs256(key));
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified->payload, kExamplePayload);
}

TEST(Jws, Rfc7515A2TokenIsRefusedByAPs256PinnedKey) {
  const RsaKey key = A2Key();
  auto verified = VerifyJws(kA2Token, *VerificationKey::Ps256(key));
  ASSERT_FALSE(verified);
  EXPECT_NE(verified.error().message.find("alg"), std::string::npos);
}

TEST(Jws, Es256SignThenVerifyRoundTrips) {
  EcKey key = EcKey::Generate();
  key.set_kid("issuer-key-1");
  JwsSignOptions options;
  options.extra_header = {{"typ", "JWT"}};
  const std::string token = SignEs256(R"({"iss":"ISSUER0001"})", key, options);
  EXPECT_EQ(Base64UrlDecode(Part(token, 2))->size(), 64u);
  auto verified = VerifyJws(token, Es256(key));
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified->payload, R"({"iss":"ISSUER0001"})");
  EXPECT_EQ(json::serialize(verified->header),
            R"({"alg":"ES256","kid":"issuer-key-1","typ":"JWT"})");
  EXPECT_EQ(json::serialize(*PeekJwsHeader(token)), json::serialize(verified->header));
}

TEST(Jws, Es256SignaturesWithShortRAndSArePadded) {
  // About one signature in 128 has r or s below 2^248; sign until one does.
  const EcKey key = EcKey::Generate();
  const VerificationKey verifier = Es256(key);
  for (int i = 0; i < 5000; ++i) {
    const std::string token = SignEs256("payload " + std::to_string(i), key);
    const auto raw = *Base64UrlDecode(Part(token, 2));
    ASSERT_EQ(raw.size(), 64u);
    ASSERT_TRUE(VerifyJws(token, verifier)) << i;
    if (raw[0] == 0 || raw[32] == 0) return;
  }
  FAIL() << "no signature with a leading zero byte in 5000";
}

TEST(Jws, DetachedPayloadRoundTrips) {
  const EcKey key = EcKey::Generate();
  JwsSignOptions options;
  options.detached = true;
  const std::string payload = R"({"header":{"batchId":"B1"},"records":[]})";
  const std::string token = SignEs256(payload, key, options);
  EXPECT_EQ(Part(token, 1), "");
  auto verified = VerifyJws(token, Es256(key), payload);
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_TRUE(verified->payload.empty());
  EXPECT_FALSE(VerifyJws(token, Es256(key), payload + " "));
  EXPECT_FALSE(VerifyJws(token, Es256(key)));  // no payload to check against
}

TEST(Jws, DetachedVerifierAcceptsThePayloadInAnyPieces) {
  const EcKey key = EcKey::Generate();
  std::string payload;
  for (int i = 0; i < 5000; ++i) payload += static_cast<char>('a' + i % 26);
  JwsSignOptions options;
  options.detached = true;
  const std::string token = SignEs256(payload, key, options);
  for (std::size_t piece : {1u, 2u, 3u, 4u, 7u, 3072u, 3073u, 10000u}) {
    auto verifier = DetachedJwsVerifier::Start(token, Es256(key));
    ASSERT_TRUE(verifier) << verifier.error().message;
    for (std::size_t at = 0; at < payload.size(); at += piece) {
      verifier->Update(std::string_view(payload).substr(at, piece));
    }
    EXPECT_TRUE(verifier->Finish()) << "pieces of " << piece;
    EXPECT_THROW((void)verifier->Finish(), std::logic_error);
  }
}

TEST(Jws, DetachedSignerStreamsASignatureBothVerifiersAccept) {
  const EcKey key = EcKey::Generate();
  std::string payload = R"({"header":{"batchId":"B1"},"records":[)";
  for (int i = 0; i < 3000; ++i)
    payload += (i ? ",{\"rowId\":" : "{\"rowId\":") + std::to_string(i) + "}";
  payload += "]}";
  JwsSignOptions options;
  options.kid = "batch-key";
  // Piece sizes that cut base64 quanta everywhere, and one piece holding it all.
  for (std::size_t piece : {1u, 2u, 5u, 3072u, 4099u, 1000000u}) {
    DetachedJwsSigner signer = DetachedJwsSigner::Start(key, options);
    for (std::size_t at = 0; at < payload.size(); at += piece) {
      signer.Update(std::string_view(payload).substr(at, piece));
    }
    const std::string token = signer.Finish();
    EXPECT_THROW((void)signer.Finish(), std::logic_error);
    EXPECT_EQ(Part(token, 1), "") << "detached";
    auto verified = VerifyJws(token, Es256(key), payload);
    ASSERT_TRUE(verified) << verified.error().message;
    EXPECT_EQ(verified->header.at("alg"), "ES256");
    EXPECT_EQ(verified->header.at("kid"), "batch-key");
    auto streaming = DetachedJwsVerifier::Start(token, Es256(key));
    ASSERT_TRUE(streaming) << streaming.error().message;
    for (std::size_t at = 0; at < payload.size(); at += 7) {
      streaming->Update(std::string_view(payload).substr(at, 7));
    }
    EXPECT_TRUE(streaming->Finish()) << "pieces of " << piece;
    // One byte more or less is another payload.
    EXPECT_FALSE(VerifyJws(token, Es256(key), payload + " "));
    EXPECT_FALSE(VerifyJws(token, Es256(key), std::string_view(payload).substr(1)));
  }
}

TEST(Jws, DetachedSignerOutlivesItsKeyAndRefusesAPublicOne) {
  std::optional<DetachedJwsSigner> signer;
  std::string public_jwk;
  {
    const EcKey key = EcKey::Generate();
    signer.emplace(DetachedJwsSigner::Start(key));
    public_jwk = boost::json::serialize(key.ToPublicJwk());
    EXPECT_THROW(
        (void)DetachedJwsSigner::Start(*EcKey::FromJwk(boost::json::parse(public_jwk).as_object())),
        std::logic_error);
  }
  signer->Update("payload");
  const std::string token = signer->Finish();
  auto key = EcKey::FromJwk(boost::json::parse(public_jwk).as_object());
  ASSERT_TRUE(key);
  EXPECT_TRUE(VerifyJws(token, Es256(*key), "payload"));
}

TEST(Jws, DetachedVerificationRefusesAnAttachedToken) {
  const EcKey key = EcKey::Generate();
  const std::string token = SignEs256("payload", key);
  auto verified = VerifyJws(token, Es256(key), std::string_view("payload"));
  ASSERT_FALSE(verified);
  EXPECT_NE(verified.error().message.find("detached"), std::string::npos);
}

TEST(Jws, VerifiesPs256AndPinsItsSaltLength) {
  const RsaKey& key = CachedRsaKey(0);
  const std::string token = SignRsaRaw(R"({"alg":"PS256"})", "claims", key, true);
  auto verified = VerifyJws(token, *VerificationKey::Ps256(key));
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified->payload, "claims");
  // RFC 7518 §3.5: the salt is as long as the hash; other lengths are not PS256.
  EXPECT_FALSE(VerifyJws(SignRsaRaw(R"({"alg":"PS256"})", "claims", key, true, 20),
                         *VerificationKey::Ps256(key)));
  // PKCS#1 v1.5 under a PS256 header, and PSS under an RS256 header.
  EXPECT_FALSE(VerifyJws(SignRsaRaw(R"({"alg":"PS256"})", "claims", key, false),
                         *VerificationKey::Ps256(key)));
  EXPECT_FALSE(VerifyJws(SignRsaRaw(R"({"alg":"RS256"})", "claims", key, true),
                         *VerificationKey::Rs256(key)));
}

TEST(Jws, OneVerificationKeyServesSeveralThreads) {
  // The key's prepared context is shared and only duplicated per verification.
  const EcKey key = EcKey::Generate();
  const VerificationKey verifier = Es256(key);
  const std::string good = SignEs256("claims", key);
  const std::string bad = FlipBit(good, 2, 5);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (!VerifyJws(good, verifier) || VerifyJws(bad, verifier)) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(Jws, PeekHeaderReadsTheKidWithoutVerifying) {
  const std::string token =
      SignEs256Raw(R"({"alg":"none","kid":"k1"})", "x", EcKey::Generate().pkey());
  auto header = PeekJwsHeader(token);
  ASSERT_TRUE(header) << header.error().message;
  EXPECT_EQ(header->at("kid").as_string(), "k1");
  EXPECT_FALSE(PeekJwsHeader("a.b"));
  EXPECT_FALSE(PeekJwsHeader(Base64UrlEncode("[1]") + ".e30.AA"));
}

TEST(VerificationKey, RefusesKeysWhoseMetadataContradictsThePin) {
  EcKey ec = EcKey::Generate();
  ec.set_use("enc");
  ASSERT_FALSE(VerificationKey::Es256(ec));
  EXPECT_EQ(VerificationKey::Es256(ec).error().code, core::ErrorCode::kConfigInvalid);
  RsaKey rsa = A2Key();
  rsa.set_alg("RS256");
  EXPECT_FALSE(VerificationKey::Ps256(rsa));
  EXPECT_TRUE(VerificationKey::Rs256(rsa));
}

TEST(Jws, SignRefusesHeaderMembersItOwns) {
  const EcKey key = EcKey::Generate();
  for (std::string_view name : {"alg", "kid", "crit", "b64"}) {
    JwsSignOptions options;
    options.extra_header[name] = "x";
    EXPECT_THROW((void)SignEs256("p", key, options), std::invalid_argument) << name;
  }
  auto public_only = EcKey::FromJwk(key.ToPublicJwk());
  EXPECT_THROW((void)SignEs256("p", *public_only, {}), std::logic_error);
}

// The S2 suite (quality.md) at the JWS level: every token below must be refused by an
// ES256-pinned key with kid "k1", with kFieldInvalidFormat and a message that says why
// without quoting the token.
struct NegativeCase {
  std::string name;
  std::string token;
  std::string because;  // a word the message must contain
};

std::string Hs256(std::string_view header, std::string_view payload, std::string_view secret) {
  const std::string input = Base64UrlEncode(header) + "." + Base64UrlEncode(payload);
  std::array<std::uint8_t, EVP_MAX_MD_SIZE> mac{};
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), testing::Bytes(input).data(),
       input.size(), mac.data(), &size);
  return input + "." + Base64UrlEncode(std::span<const std::uint8_t>(mac.data(), size));
}

std::vector<NegativeCase> NegativeCases(const EcKey& key, const EcKey& other) {
  const std::string claims = R"({"iss":"ISSUER0001","sub":"ISSUER0001"})";
  const std::string good_header = R"({"alg":"ES256","kid":"k1"})";
  const std::string good = SignEs256Raw(good_header, claims, key.pkey());
  const std::string public_jwk = json::serialize(key.ToPublicJwk());
  std::string point = "\x04";  // SEC 1 uncompressed: the bytes a confused verifier might use
  for (std::string_view c : {"x", "y"}) {
    const auto bytes = *Base64UrlDecode(std::string(key.ToPublicJwk().at(c).as_string()));
    point.append(bytes.begin(), bytes.end());
  }
  const std::string zero_sig = Base64UrlEncode(std::vector<std::uint8_t>(64, 0));
  const std::string ff_sig = Base64UrlEncode(std::vector<std::uint8_t>(64, 0xFF));
  return {
      {"alg none",
       Base64UrlEncode(R"({"alg":"none","kid":"k1"})") + "." + Base64UrlEncode(claims) + ".",
       "alg"},
      {"alg none with a signature",
       SignEs256Raw(R"({"alg":"none","kid":"k1"})", claims, key.pkey()), "alg"},
      {"HS256 keyed with the public JWK",
       Hs256(R"({"alg":"HS256","kid":"k1"})", claims, public_jwk), "alg"},
      {"HS256 keyed with the public point", Hs256(R"({"alg":"HS256","kid":"k1"})", claims, point),
       "alg"},
      {"RS256 against an EC key",
       SignRsaRaw(R"({"alg":"RS256","kid":"k1"})", claims, CachedRsaKey(0), false), "alg"},
      {"PS256 against an EC key",
       SignRsaRaw(R"({"alg":"PS256","kid":"k1"})", claims, CachedRsaKey(0), true), "alg"},
      {"ES384 spelled", SignEs256Raw(R"({"alg":"ES384","kid":"k1"})", claims, key.pkey()), "alg"},
      {"alg missing", SignEs256Raw(R"({"kid":"k1"})", claims, key.pkey()), "alg"},
      {"alg not a string", SignEs256Raw(R"({"alg":["ES256"],"kid":"k1"})", claims, key.pkey()),
       "alg"},
      {"kid missing", SignEs256Raw(R"({"alg":"ES256"})", claims, key.pkey()), "kid"},
      {"kid of another key", SignEs256Raw(R"({"alg":"ES256","kid":"k2"})", claims, key.pkey()),
       "kid"},
      {"kid not a string", SignEs256Raw(R"({"alg":"ES256","kid":1})", claims, key.pkey()), "kid"},
      {"signed by another key", SignEs256Raw(good_header, claims, other.pkey()), "verify"},
      {"flipped signature bit", FlipBit(good, 2, 10), "verify"},
      {"flipped s bit", FlipBit(good, 2, 40), "verify"},
      {"flipped payload bit", FlipBit(good, 1, 3), "verify"},
      {"r and s zero", ReplacePart(good, 2, zero_sig), "verify"},
      {"r and s above the group order", ReplacePart(good, 2, ff_sig), "verify"},
      // 86 base64url characters less 2 is 63 whole bytes: a short signature, not bad base64.
      {"token cut short", good.substr(0, good.size() - 2), "length"},
      {"signature of 60 bytes",
       ReplacePart(good, 2,
                   Base64UrlEncode(
                       std::span<const std::uint8_t>(Base64UrlDecode(Part(good, 2))->data(), 60))),
       "length"},
      {"signature empty", ReplacePart(good, 2, ""), "length"},
      {"DER signature", ReplacePart(good, 2, Base64UrlEncode(std::vector<std::uint8_t>(70, 0x30))),
       "length"},
      {"truncated to two parts", good.substr(0, good.rfind('.')), "three parts"},
      {"extra part", good + ".e30", "three parts"},
      {"five parts", good + ".." + "AA", "three parts"},
      {"empty token", "", "three parts"},
      {"crit",
       SignEs256Raw(R"({"alg":"ES256","kid":"k1","crit":["exp"],"exp":1})", claims, key.pkey()),
       "crit"},
      {"b64 false", SignEs256Raw(R"({"alg":"ES256","kid":"k1","b64":false})", claims, key.pkey()),
       "b64"},
      {"header not base64url", ReplacePart(good, 0, "eyJhbGciOiJFUzI1NiJ9+"), "base64url"},
      {"header padded", ReplacePart(good, 0, Part(good, 0) + "="), "base64url"},
      {"payload not base64url", ReplacePart(good, 1, Part(good, 1) + "*"), "base64url"},
      {"signature not base64url", ReplacePart(good, 2, Part(good, 2) + "="), "base64url"},
      {"header an array", SignEs256Raw(R"(["ES256"])", claims, key.pkey()), "JSON object"},
      {"header not JSON", SignEs256Raw(R"({"alg":"ES256")", claims, key.pkey()), "JSON object"},
      {"header with a duplicate alg",
       SignEs256Raw(R"({"alg":"none","alg":"ES256","kid":"k1"})", claims, key.pkey()),
       "JSON object"},
      {"oversize", SignEs256Raw(good_header, std::string(13000, 'x'), key.pkey()), "longer"},
  };
}

TEST(Jws, NegativeSuiteIsRefused) {
  EcKey key = EcKey::Generate();
  key.set_kid("k1");
  const EcKey other = EcKey::Generate();
  const VerificationKey verifier = Es256(key);
  // The unmodified token verifies, so each refusal below is due to its one change.
  ASSERT_TRUE(VerifyJws(SignEs256Raw(R"({"alg":"ES256","kid":"k1"})", "{}", key.pkey()), verifier));
  for (const NegativeCase& c : NegativeCases(key, other)) {
    auto verified = VerifyJws(c.token, verifier);
    ASSERT_FALSE(verified) << c.name;
    EXPECT_EQ(verified.error().code, core::ErrorCode::kFieldInvalidFormat) << c.name;
    EXPECT_NE(verified.error().message.find(c.because), std::string::npos)
        << c.name << ": " << verified.error().message;
    EXPECT_TRUE(verified.error().field.empty()) << c.name;
    for (std::size_t i = 0; i < 3; ++i) {
      const std::string part = Part(c.token, i);
      if (part.size() >= 8) {
        EXPECT_EQ(verified.error().message.find(part), std::string::npos) << c.name;
      }
    }
  }
}

}  // namespace
}  // namespace c2p::jose
