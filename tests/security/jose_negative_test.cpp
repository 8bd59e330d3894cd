// S2 and S3 (guide/quality.md) end to end, against a real c2pd: hostile token assertions at
// the token endpoint and hostile JWEs in a card registration, each refused with its
// documented error (400 invalid_grant; 400 INVALID_ENCRYPTED_DATA on /encryptedData),
// never a 500, never echoing the input, never granting or storing anything.
//
// Already covered over the wire by tests/e2e/auth_e2e_test.cpp (NegativeSuiteS2OverTheWire)
// and not repeated here: alg none and HS256 with a made-up signature, unknown kid, another
// issuer's key, expired, exp too far ahead, wrong sub, wrong aud, bad signature, truncated,
// replayed jti. The JWE level itself is src/jose/jwe_negative_test.cpp; this suite proves
// the same refusals reach the API as the documented error.

#include "jose/base64url.hpp"
#include "jose/hmac.hpp"
#include "jose/test_support.hpp"
#include "tests/e2e/registry_fixture.hpp"

namespace c2p::testing {
namespace {

using jose::testing::FlipBit;
using jose::testing::Part;
using jose::testing::ReplacePart;
using jose::testing::SignEs256Raw;
using jose::testing::SignRsaRaw;

const std::string kGrant = "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer";

class JoseNegative : public RegistryE2e {
 protected:
  static jose::EcKey IssuerKey() {
    return *jose::EcKey::FromJwk(*jose::ReadJwkFile(dir_ + "/a.jwk"));
  }
  static std::string Claims(json::object extra = {}) {
    json::object claims{
        {"iss", kIssuerA}, {"sub", kIssuerA}, {"iat", NowSeconds()}, {"exp", NowSeconds() + 300}};
    for (auto& [k, v] : extra) claims[k] = v;
    return json::serialize(claims);
  }
  static std::string Es256(const std::string& header, const std::string& payload) {
    return SignEs256Raw(header, payload, IssuerKey().pkey());
  }
  static std::optional<HttpResponse> PostAssertion(const std::string& assertion) {
    return Fetch(port_, "POST", "/authz/v1/oauth2/token",
                 "grant_type=" + kGrant + "&assertion=" + assertion,
                 "Content-Type: application/x-www-form-urlencoded\r\n");
  }
  // c2pd's JWE header of a compact JWE, edited and re-encoded (the tag no longer matches
  // either: the refusal must come before or at the authentication check).
  static std::string EditHeader(const std::string& jwe,
                                const std::function<void(json::object&)>& edit) {
    auto decoded = jose::Base64UrlDecode(Part(jwe, 0));
    json::object header = json::parse(std::string(decoded->begin(), decoded->end())).as_object();
    edit(header);
    return ReplacePart(jwe, 0, jose::Base64UrlEncode(json::serialize(header)));
  }
};

TEST_F(JoseNegative, HostileAssertionsAreInvalidGrant) {
  const std::string good = Es256(R"({"alg":"ES256","kid":"a-key"})", Claims());
  {
    auto control = PostAssertion(good);
    ASSERT_TRUE(control);
    ASSERT_EQ(control->status, 200) << control->body;  // the unedited builder works
  }
  const jose::EcKey attacker = jose::EcKey::Generate();
  const jose::RsaKey rsa = jose::RsaKey::Generate(2048);
  const std::string payload = Claims();
  const std::string input =
      jose::Base64UrlEncode(std::string_view(R"({"alg":"HS256","kid":"a-key"})")) + "." +
      jose::Base64UrlEncode(payload);
  // HS256 keyed with the issuer's public key (the RS/HS key-confusion attack).
  const std::string public_jwk = ReadFile(dir_ + "/a.pub.jwk");
  const jose::HmacSha256 confused(
      {reinterpret_cast<const std::uint8_t*>(public_jwk.data()), public_jwk.size()});
  const auto mac = confused.Sign(input);
  const std::string attacker_jwk = json::serialize(attacker.ToPublicJwk());

  const std::vector<std::pair<std::string, std::string>> cases = {
      {"alg RS256 with a real RSA signature",
       SignRsaRaw(R"({"alg":"RS256","kid":"a-key"})", payload, rsa, false)},
      {"alg PS256", SignRsaRaw(R"({"alg":"PS256","kid":"a-key"})", payload, rsa, true)},
      {"alg ES384 over an ES256 signature", Es256(R"({"alg":"ES384","kid":"a-key"})", payload)},
      {"alg None (case variant)",
       jose::Base64UrlEncode(std::string_view(R"({"alg":"None","kid":"a-key"})")) + "." +
           jose::Base64UrlEncode(payload) + "."},
      {"HS256 keyed with the public key", input + "." + jose::Base64UrlEncode(mac)},
      {"no kid", Es256(R"({"alg":"ES256"})", payload)},
      {"embedded jwk of the attacker",
       SignEs256Raw(R"({"alg":"ES256","kid":"a-key","jwk":)" + attacker_jwk + "}", payload,
                    attacker.pkey())},
      {"jku to the attacker's keys",
       SignEs256Raw(R"({"alg":"ES256","kid":"a-key","jku":"http://127.0.0.1:9/keys"})", payload,
                    attacker.pkey())},
      {"crit header", Es256(R"({"alg":"ES256","kid":"a-key","crit":["exp"],"exp":1})", payload)},
      {"iat in the future",
       Es256(R"({"alg":"ES256","kid":"a-key"})",
             Claims({{"iat", NowSeconds() + 300}, {"exp", NowSeconds() + 600}}))},
      {"wrong iss", Es256(R"({"alg":"ES256","kid":"a-key"})", Claims({{"iss", kIssuerB}}))},
      {"unknown issuer", Es256(R"({"alg":"ES256","kid":"a-key"})",
                               Claims({{"iss", "ISSUER9999"}, {"sub", "ISSUER9999"}}))},
      {"aud array without c2p",
       Es256(R"({"alg":"ES256","kid":"a-key"})", Claims({{"aud", json::array{"x", "y"}}}))},
      {"no exp",
       Es256(R"({"alg":"ES256","kid":"a-key"})", R"({"iss":"ISSUER0001","sub":"ISSUER0001"})")},
      {"exp a string", Es256(R"({"alg":"ES256","kid":"a-key"})", Claims({{"exp", "soon"}}))},
      {"duplicate iss",
       Es256(R"({"alg":"ES256","kid":"a-key"})",
             R"({"iss":"ISSUER0002","iss":"ISSUER0001","sub":"ISSUER0001","exp":)" +
                 std::to_string(NowSeconds() + 300) + "}")},
      {"payload not JSON", Es256(R"({"alg":"ES256","kid":"a-key"})", "not json")},
      {"payload an array", Es256(R"({"alg":"ES256","kid":"a-key"})", "[1,2]")},
      {"jti over 256 chars",
       Es256(R"({"alg":"ES256","kid":"a-key"})", Claims({{"jti", std::string(300, 'j')}}))},
      {"a JWE instead of a JWS", good + "." + Part(good, 2) + "." + Part(good, 2)},
      {"signature of another payload",
       ReplacePart(good, 1, jose::Base64UrlEncode(Claims({{"x", 1}})))},
  };
  for (const auto& [name, assertion] : cases) {
    auto r = PostAssertion(assertion);
    ASSERT_TRUE(r) << name;
    EXPECT_EQ(r->status, 400) << name << ": " << r->body;
    EXPECT_EQ(Body(*r).contains("error") ? Body(*r).at("error") : json::value(),
              json::value("invalid_grant"))
        << name << ": " << r->body;
    EXPECT_EQ(r->body.find("access_token"), std::string::npos) << name;
    EXPECT_EQ(r->body.find(Part(assertion, 1).substr(0, 40)), std::string::npos)
        << name << ": echoes the assertion";
  }
  // Oversize: the token endpoint's body limit (16 KiB, the longest JWS c2p reads) refuses
  // a signed assertion over it, and a huge body, before reading them: 413.
  for (const std::string& oversize :
       {Es256(R"({"alg":"ES256","kid":"a-key"})", Claims({{"pad", std::string(17000, 'p')}})),
        std::string(1024 * 1024, 'A')}) {
    auto huge = PostAssertion(oversize);
    ASSERT_TRUE(huge);
    EXPECT_EQ(huge->status, 413);
    EXPECT_EQ(ErrorCodeOf(*huge), "PAYLOAD_TOO_LARGE");
  }
}

TEST_F(JoseNegative, HostileJwesAreInvalidEncryptedDataAndStoreNothing) {
  ASSERT_EQ(Call("PUT", Consumer(kIssuerA, "jwe_neg"), "{}").status, 201);
  const std::string pan = Pan("411111000000770");
  const std::string good = Jwe(pan);
  auto with = [&](const std::string& key, json::value value) {
    return EditHeader(good, [&](json::object& h) { h[key] = value; });
  };
  const std::string plain = R"({"pan":")" + pan + R"(","exp":"1230"})";
  const auto bytes = jose::testing::Bytes(plain);
  const jose::EcKey other = jose::EcKey::Generate();
  const jose::RsaKey rsa = jose::RsaKey::Generate(2048);
  auto epk_x = [&](json::object& h) {
    auto x = jose::Base64UrlDecode(std::string(h.at("epk").at("x").as_string()));
    (*x)[5] ^= 0x01;  // no longer on P-256 (with overwhelming probability)
    h["epk"].as_object()["x"] = jose::Base64UrlEncode(*x);
  };

  const std::vector<std::pair<std::string, std::string>> cases = {
      {"wrong kid", with("kid", "jwe-9")},
      {"alg RSA1_5", with("alg", "RSA1_5")},
      {"alg dir", with("alg", "dir")},
      {"alg RSA-OAEP", with("alg", "RSA-OAEP")},
      {"alg A256KW", with("alg", "A256KW")},
      {"alg ECDH-ES+A256KW", with("alg", "ECDH-ES+A256KW")},
      {"enc A128GCM", with("enc", "A128GCM")},
      {"enc A256CBC-HS512", with("enc", "A256CBC-HS512")},
      {"zip DEF", with("zip", "DEF")},
      {"crit", with("crit", json::array{"x"})},
      {"epk off the curve", EditHeader(good, epk_x)},
      {"no epk", EditHeader(good, [](json::object& h) { h.erase("epk"); })},
      {"header tampered (an extra member)", with("x", 1)},
      {"tag tampered", FlipBit(good, 4)},
      {"ciphertext tampered", FlipBit(good, 3)},
      {"IV tampered", FlipBit(good, 2)},
      {"encrypted key added", ReplacePart(good, 1, jose::Base64UrlEncode(std::string(32, 'k')))},
      {"encrypted to another key under c2pd's kid", jose::EncryptEcdhEs(bytes, other, "jwe-1")},
      {"RSA-OAEP-256 under c2pd's EC kid", jose::EncryptRsaOaep256(bytes, rsa, "jwe-1")},
      {"truncated to four parts", good.substr(0, good.rfind('.'))},
      {"truncated in the middle", good.substr(0, good.size() / 2)},
      {"only the header", Part(good, 0)},
      {"empty", ""},
      {"oversize (8193 chars)", good + std::string(8193 - good.size(), 'A')},
  };
  int n = 0;
  for (const auto& [name, jwe] : cases) {
    const std::string card = "jwe_neg_" + std::to_string(++n);
    const std::string body =
        R"({"consumerId":"jwe_neg","cardProductId":"VISA_CLASSIC","encryptedData":")" + jwe + "\"}";
    auto r = Call("PUT", Card(kIssuerA, card), body);
    EXPECT_EQ(r.status, 400) << name << ": " << r.body;
    EXPECT_EQ(ErrorCodeOf(r), "INVALID_ENCRYPTED_DATA") << name << ": " << r.body;
    EXPECT_EQ(FieldOf(r), "/encryptedData") << name;
    EXPECT_EQ(r.body.find(pan), std::string::npos) << name;
    for (std::size_t i = 0; i < 5; ++i) {
      const std::string part = Part(jwe, i);
      if (part.size() >= 12) {
        EXPECT_EQ(r.body.find(part), std::string::npos) << name;
      }
    }
    EXPECT_EQ(Call("GET", Card(kIssuerA, card)).status, 404) << name;
  }
  // The unedited JWE registers: every refusal above was its edit's doing.
  EXPECT_EQ(Call("PUT", Card(kIssuerA, "jwe_neg_ok"),
                 R"({"consumerId":"jwe_neg","cardProductId":"VISA_CLASSIC","encryptedData":")" +
                     good + "\"}")
                .status,
            201);
}

TEST_F(JoseNegative, NoRequestOfTheSuiteWasA500) {
  const std::string log = ReadFile(dir_ + "/c2pd.out");
  EXPECT_NE(log.find("\"status\":400"), std::string::npos);
  EXPECT_EQ(log.find("\"status\":500"), std::string::npos);
  EXPECT_EQ(log.find("\"level\":\"error\""), std::string::npos);
}

}  // namespace
}  // namespace c2p::testing
