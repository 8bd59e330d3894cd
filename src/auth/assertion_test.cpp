#include "auth/assertion.hpp"

#include <openssl/hmac.h>

#include <functional>

#include <gtest/gtest.h>
#include <boost/json/serialize.hpp>

#include "jose/test_support.hpp"

namespace c2p::auth {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

constexpr const char* kIssuer = "ISSUER0001";
constexpr const char* kOther = "ISSUER0002";
const core::SystemTime kNow = core::FromUnixMillis(1'768'631'282'000);
const std::int64_t kT = 1'768'631'282;

struct Keys {
  jose::EcKey issuer = jose::EcKey::Generate();
  jose::EcKey other = jose::EcKey::Generate();
  jose::EcKey stranger = jose::EcKey::Generate();  // onboarded nowhere
  Keys() {
    issuer.set_kid("k1");
    other.set_kid("k1");  // the same kid at another issuer must not matter
    stranger.set_kid("k1");
  }
};

const Keys& TestKeys() {
  static const Keys keys;
  return keys;
}

AssertionVerifier MakeVerifier() {
  const Keys& k = TestKeys();
  std::vector<IssuerAssertionKeys> issuers;
  issuers.push_back({std::string(kIssuer), {*jose::VerificationKey::Es256(k.issuer)}});
  issuers.push_back({std::string(kOther), {*jose::VerificationKey::Es256(k.other)}});
  return AssertionVerifier(std::move(issuers), AssertionPolicy{.audience = "c2p-test"});
}

json::object Claims() {
  return {{"iss", kIssuer}, {"sub", kIssuer}, {"iat", kT}, {"exp", kT + 300}};
}

std::string Sign(const json::object& claims, const jose::EcKey& key = TestKeys().issuer) {
  return jose::SignEs256(json::serialize(claims), key);
}

std::string SignHeader(std::string_view header, const json::object& claims,
                       const jose::EcKey& key = TestKeys().issuer) {
  return jose::testing::SignEs256Raw(header, json::serialize(claims), key.pkey());
}

json::object With(json::object claims, std::string_view name, json::value v) {
  claims[name] = std::move(v);
  return claims;
}

json::object Without(json::object claims, std::string_view name) {
  claims.erase(name);
  return claims;
}

TEST(AssertionVerifier, AcceptsAValidAssertion) {
  auto v = MakeVerifier();
  auto issuer = v.Verify(Sign(Claims()), kNow);
  ASSERT_TRUE(issuer) << issuer.error().description;
  EXPECT_EQ(*issuer, kIssuer);
}

TEST(AssertionVerifier, AcceptsTheBoundariesOfTheTimeRules) {
  auto v = MakeVerifier();
  for (const auto& claims : {
           With(Claims(), "exp", kT - 59),            // expired, but inside the 60 s skew
           With(Claims(), "exp", kT + 15 * 60 + 60),  // 15 min + skew ahead
           With(Claims(), "iat", kT + 60),            // issued "in the future" within skew
           Without(Claims(), "iat"),                  // iat is optional
           With(Claims(), "exp", static_cast<double>(kT) + 10.5),  // fractional NumericDate
           With(Claims(), "aud", "c2p-test"),
           With(Claims(), "aud", json::array{"elsewhere", "c2p-test"}),
           With(Claims(), "nbf", kT),
       }) {
    auto issuer = v.Verify(Sign(claims), kNow);
    EXPECT_TRUE(issuer) << json::serialize(claims) << ": " << issuer.error().description;
  }
}

TEST(AssertionVerifier, KidSelectsTheKeyWithinTheClaimedIssuer) {
  auto v = MakeVerifier();
  json::object other{{"iss", kOther}, {"sub", kOther}, {"exp", kT + 60}};
  auto issuer = v.Verify(Sign(other, TestKeys().other), kNow);
  ASSERT_TRUE(issuer) << issuer.error().description;
  EXPECT_EQ(*issuer, kOther);
}

// guide/quality.md S2: every case is 400 invalid_grant.
struct NegativeCase {
  const char* name;
  std::function<std::string()> make;
};

TEST(AssertionVerifier, NegativeSuiteS2) {
  const Keys& k = TestKeys();
  const std::string payload = json::serialize(Claims());
  const std::vector<NegativeCase> cases = {
      {"alg none",
       [&] {
         return jose::Base64UrlEncode(std::string_view(R"({"alg":"none","kid":"k1"})")) + "." +
                jose::Base64UrlEncode(payload) + ".";
       }},
      {"alg HS256 keyed with the public key",
       [&] {
         const std::string header = R"({"alg":"HS256","kid":"k1"})";
         const std::string input =
             jose::Base64UrlEncode(header) + "." + jose::Base64UrlEncode(payload);
         const std::string pub = json::serialize(k.issuer.ToPublicJwk());
         std::array<unsigned char, 32> mac{};
         unsigned len = 0;
         HMAC(EVP_sha256(), pub.data(), static_cast<int>(pub.size()),
              reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac.data(), &len);
         return input + "." + jose::Base64UrlEncode(mac);
       }},
      {"alg RS256",
       [&] {
         return jose::testing::SignRsaRaw(R"({"alg":"RS256","kid":"k1"})", payload,
                                          jose::testing::CachedRsaKey(0), false);
       }},
      {"alg ES384 label on an ES256 signature",
       [&] { return SignHeader(R"({"alg":"ES384","kid":"k1"})", Claims()); }},
      {"missing kid", [&] { return SignHeader(R"({"alg":"ES256"})", Claims()); }},
      {"unknown kid", [&] { return SignHeader(R"({"alg":"ES256","kid":"k2"})", Claims()); }},
      {"key onboarded nowhere", [&] { return Sign(Claims(), k.stranger); }},
      {"another issuer's key for this issuer", [&] { return Sign(Claims(), k.other); }},
      {"unknown issuer",
       [&] { return Sign(With(With(Claims(), "iss", "NOBODY0001"), "sub", "NOBODY0001")); }},
      {"expired", [&] { return Sign(With(Claims(), "exp", kT - 61)); }},
      {"exp more than 15 min ahead",
       [&] { return Sign(With(Claims(), "exp", kT + 15 * 60 + 61)); }},
      {"missing exp", [&] { return Sign(Without(Claims(), "exp")); }},
      {"exp as a string",
       [&] { return Sign(With(Claims(), "exp", json::string(std::to_string(kT + 60)))); }},
      {"iat in the future", [&] { return Sign(With(Claims(), "iat", kT + 61)); }},
      {"nbf in the future", [&] { return Sign(With(Claims(), "nbf", kT + 61)); }},
      {"wrong sub", [&] { return Sign(With(Claims(), "sub", kOther)); }},
      {"missing sub", [&] { return Sign(Without(Claims(), "sub")); }},
      {"missing iss", [&] { return Sign(Without(Claims(), "iss")); }},
      {"wrong aud", [&] { return Sign(With(Claims(), "aud", "someone-else")); }},
      {"aud array without us",
       [&] {
         return Sign(With(Claims(), "aud", json::array{"a", "b"}));
       }},
      {"aud of the wrong type", [&] { return Sign(With(Claims(), "aud", 7)); }},
      {"jti not a string", [&] { return Sign(With(Claims(), "jti", 42)); }},
      {"bad signature", [&] { return jose::testing::FlipBit(Sign(Claims()), 2, 10); }},
      {"payload changed after signing",
       [&] {
         return jose::testing::ReplacePart(
             Sign(Claims()), 1,
             jose::Base64UrlEncode(json::serialize(With(Claims(), "exp", kT + 600))));
       }},
      {"truncated signature",
       [&] {
         std::string t = Sign(Claims());
         t.resize(t.size() - 10);
         return t;
       }},
      {"truncated to two parts",
       [&] {
         std::string t = Sign(Claims());
         return t.substr(0, t.rfind('.'));
       }},
      {"empty", [] { return std::string(); }},
      {"payload not JSON",
       [&] {
         return jose::testing::SignEs256Raw(R"({"alg":"ES256","kid":"k1"})", "nope",
                                            k.issuer.pkey());
       }},
      {"crit header",
       [&] { return SignHeader(R"({"alg":"ES256","kid":"k1","crit":["x"],"x":1})", Claims()); }},
  };
  auto v = MakeVerifier();
  for (const auto& c : cases) {
    auto result = v.Verify(c.make(), kNow);
    ASSERT_FALSE(result) << c.name;
    EXPECT_EQ(result.error().error, GrantError::kInvalidGrant) << c.name;
    EXPECT_FALSE(result.error().description.empty()) << c.name;
  }
}

TEST(AssertionVerifier, ReplayedJtiIsRefusedUntilTheAssertionCouldNoLongerBeValid) {
  auto v = MakeVerifier();
  const std::string a = Sign(With(Claims(), "jti", "abc"));
  ASSERT_TRUE(v.Verify(a, kNow));
  auto again = v.Verify(a, kNow + 1s);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().description, "jti already used");
  // Another assertion with the same jti is a replay too.
  EXPECT_FALSE(v.Verify(Sign(With(With(Claims(), "jti", "abc"), "exp", kT + 400)), kNow));
  // The same jti from another issuer is not.
  json::object other{{"iss", kOther}, {"sub", kOther}, {"exp", kT + 60}, {"jti", "abc"}};
  EXPECT_TRUE(v.Verify(Sign(other, TestKeys().other), kNow));
}

TEST(AssertionVerifier, AFailedAssertionDoesNotBurnItsJti) {
  auto v = MakeVerifier();
  const auto claims = With(Claims(), "jti", "xyz");
  EXPECT_FALSE(v.Verify(jose::testing::FlipBit(Sign(claims), 2, 3), kNow));
  EXPECT_TRUE(v.Verify(Sign(claims), kNow));
}

TEST(AssertionVerifier, ClaimedIssuerIsOnlyAConfiguredOne) {
  auto v = MakeVerifier();
  EXPECT_EQ(v.ClaimedIssuer(Sign(Claims())), kIssuer);
  EXPECT_EQ(v.ClaimedIssuer(Sign(With(Claims(), "iss", "NOBODY0001"))), "");
  EXPECT_EQ(v.ClaimedIssuer("garbage"), "");
}

TEST(AssertionVerifier, ConfigurationErrorsAreCaughtAtConstruction) {
  const Keys& k = TestKeys();
  std::vector<IssuerAssertionKeys> twice;
  twice.push_back({std::string(kIssuer), {*jose::VerificationKey::Es256(k.issuer)}});
  twice.push_back({std::string(kIssuer), {*jose::VerificationKey::Es256(k.other)}});
  EXPECT_THROW(AssertionVerifier(std::move(twice), {}), std::invalid_argument);

  std::vector<IssuerAssertionKeys> same_kid;
  same_kid.push_back(
      {std::string(kIssuer),
       {*jose::VerificationKey::Es256(k.issuer), *jose::VerificationKey::Es256(k.other)}});
  EXPECT_THROW(AssertionVerifier(std::move(same_kid), {}), std::invalid_argument);

  jose::EcKey no_kid = jose::EcKey::Generate();
  std::vector<IssuerAssertionKeys> without;
  without.push_back({std::string(kIssuer), {*jose::VerificationKey::Es256(no_kid)}});
  EXPECT_THROW(AssertionVerifier(std::move(without), {}), std::invalid_argument);
}

}  // namespace
}  // namespace c2p::auth
