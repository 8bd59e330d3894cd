// The token endpoint and bearer access, against a real c2pd process (spec/api.md §3,
// guide/quality.md S2): what an issuer backend sees over the socket.

#include <openssl/pem.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/time_format.hpp"
#include "jose/base64url.hpp"
#include "jose/jwk.hpp"
#include "jose/jws.hpp"
#include "jose/key_file.hpp"
#include "tests/support/c2pd_contract.hpp"
#include "tests/support/ports.hpp"
#include "tests/support/process.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/test_certs.hpp"
#include "tests/support/test_postgres.hpp"
#include "tests/support/tls_client.hpp"

namespace c2p::testing {
namespace {

namespace json = boost::json;
constexpr const char* kIssuerA = "ISSUERAAAA";
constexpr const char* kIssuerB = "ISSUERBBBB";
const std::string kGrant = "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer";

std::int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class AuthE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = NamedTestDir("auth-e2e");
    Generate("token-mac", "mac1.jwk", "mac-1");
    Generate("token-mac", "mac2.jwk", "mac-2");
    for (const char* kind : {"jwe", "pan", "pan-hmac"}) Generate(kind, std::string(kind) + ".jwk");
    Generate("issuer-signing", "a.jwk", "a-key-1", "a.pub.jwk");
    Generate("issuer-signing", "b.jwk", "", "b.pub.jwk");
    // Issuer B onboarded its key as PEM: known by its thumbprint.
    auto b = jose::EcKey::FromJwk(*jose::ReadJwkFile(dir_ + "/b.jwk"));
    ASSERT_TRUE(b);
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    ASSERT_EQ(PEM_write_bio_PUBKEY(bio.get(), b->pkey()), 1);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    std::ofstream(dir_ + "/b.pem") << std::string(data, static_cast<std::size_t>(n));
    // The assertion ids c2pd remembers (replay refusal) live in the store: on PostgreSQL
    // too when C2P_E2E_STORE says so (auth_e2e_test_postgres).
    if (const char* store = std::getenv("C2P_E2E_STORE");
        store != nullptr && std::string(store) == "postgresql") {
      pg_ = std::make_unique<PostgresDatabase>();
      ASSERT_EQ(pg_->error(), "");
    }
  }
  static void TearDownTestSuite() { pg_.reset(); }

  static std::string StoreUrl() { return pg_ ? pg_->url() : "sqlite:" + dir_ + "/c2p.db"; }

  static void Generate(const std::string& kind, const std::string& out, const std::string& kid = {},
                       const std::string& public_out = {}) {
    ASSERT_EQ(GenerateKeyFile(dir_, kind, out, kid, public_out), "");
  }

  void SetUp() override { port_ = FreePort(); }
  void TearDown() override {
    if (daemon_) daemon_->Stop();
  }

  void Start(const std::string& mac = "mac1.jwk", const std::string& retired = {},
             const std::string& tls_section = {}) {
    if (daemon_) daemon_->Stop();
    const std::string path = dir_ + "/c2pd.toml";
    std::ofstream(path) << "[server]\nport = " << port_ << "\nthreads = 2\n"
                        << tls_section << "[store]\nurl = \"" << StoreUrl() << "\"\n"
                        << "[keys]\ntoken_mac = \"" << mac << "\"\n"
                        << (retired.empty() ? "" : "token_mac_retired = [\"" + retired + "\"]\n")
                        << "jwe = [\"jwe.jwk\"]\npan = [\"pan.jwk\"]\npan_hmac = \"pan-hmac.jwk\"\n"
                        << "[auth]\naudience = \"https://c2p.example/authz/v1/oauth2/token\"\n"
                        << "[[issuers]]\nid = \"" << kIssuerA << "\"\n"
                        << "assertion_keys = [\"a.pub.jwk\"]\ntoken_rate_limit_per_second = 1000\n"
                        << "[[issuers]]\nid = \"" << kIssuerB << "\"\n"
                        << "assertion_keys = [\"b.pem\"]\ntoken_rate_limit_per_second = 3\n";
    daemon_ = Process::Start({BinDir() + "/c2pd", "--config", path}, dir_ + "/c2pd.out");
    ASSERT_TRUE(daemon_);
    if (tls_section.empty()) {
      ASSERT_TRUE(WaitC2pdReady(port_)) << ReadFile(dir_ + "/c2pd.out");
    }
  }

  static jose::EcKey Key(const std::string& file) {
    return *jose::EcKey::FromJwk(*jose::ReadJwkFile(dir_ + "/" + file));
  }

  static std::string Assertion(const std::string& issuer, const std::string& key_file,
                               json::object extra = {}, const std::string& kid = {}) {
    json::object claims{{"iss", issuer}, {"sub", issuer}, {"iat", Now()}, {"exp", Now() + 300}};
    for (auto& [k, v] : extra) claims[k] = v;
    jose::JwsSignOptions options;
    options.kid = kid;
    return jose::SignEs256(json::serialize(claims), Key(key_file), options);
  }

  std::optional<HttpResponse> PostToken(const std::string& assertion) {
    return Fetch(port_, "POST", "/authz/v1/oauth2/token",
                 "grant_type=" + kGrant + "&assertion=" + assertion,
                 "Content-Type: application/x-www-form-urlencoded\r\n");
  }

  std::string Token(const std::string& issuer = kIssuerA, const std::string& key = "a.jwk") {
    auto r = PostToken(Assertion(issuer, key));
    if (!r || r->status != 200) return {};
    return std::string(json::parse(r->body).at("access_token").as_string());
  }

  std::optional<HttpResponse> TokenInfo(const std::string& token) {
    return Fetch(port_, "GET", "/authz/v1/tokeninfo", {},
                 "Authorization: Bearer " + token + "\r\n");
  }

  static std::string GrantError(const HttpResponse& r) {
    auto body = json::parse(r.body);
    return std::string(body.at("error").as_string());
  }

  static inline std::string dir_;
  static inline std::unique_ptr<PostgresDatabase> pg_;  // the suite's database, on PostgreSQL
  std::uint16_t port_ = 0;
  std::optional<Process> daemon_;
};

TEST_F(AuthE2e, FormGrantReturnsABearerTokenThatTokeninfoAccepts) {
  Start();
  auto r = PostToken(Assertion(kIssuerA, "a.jwk"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->header("cache-control"), "no-store");
  auto body = json::parse(r->body).as_object();
  EXPECT_EQ(body.at("token_type"), "Bearer");
  EXPECT_EQ(body.at("expires_in"), 900);
  EXPECT_TRUE(body.contains("scope"));
  const std::string token(body.at("access_token").as_string());

  auto info = TokenInfo(token);
  ASSERT_TRUE(info);
  ASSERT_EQ(info->status, 200) << info->body;
  EXPECT_EQ(info->header("content-type"), "application/json");
  const auto info_body = json::parse(info->body).as_object();
  EXPECT_EQ(info_body.size(), 3u);
  EXPECT_EQ(info_body.at("issuerId"), kIssuerA);
  EXPECT_EQ(info_body.at("scope"), "banking");
  // expiresAt: the token's expiry, ISO 8601 with milliseconds, about 900 s from now.
  const auto expires = c2p::core::ParseIsoMillis(info_body.at("expiresAt").as_string());
  ASSERT_TRUE(expires) << info->body;
  const auto left = *expires - std::chrono::system_clock::now();
  EXPECT_GT(left, std::chrono::seconds(800));
  EXPECT_LE(left, std::chrono::seconds(900));
  // The scheme is case-insensitive.
  auto lower =
      Fetch(port_, "GET", "/authz/v1/tokeninfo", {}, "Authorization: bearer " + token + "\r\n");
  ASSERT_TRUE(lower);
  EXPECT_EQ(lower->status, 200);
}

TEST_F(AuthE2e, JsonGrantAndPemOnboardedKeyWork) {
  Start();
  const std::string kid = Key("b.jwk").Thumbprint();
  json::object body{{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"},
                    {"assertion", Assertion(kIssuerB, "b.jwk", {}, kid)}};
  auto r = Fetch(port_, "POST", "/authz/v1/oauth2/token", json::serialize(body),
                 "Content-Type: application/json\r\n");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const std::string token(json::parse(r->body).at("access_token").as_string());
  auto info = TokenInfo(token);
  ASSERT_TRUE(info);
  EXPECT_EQ(json::parse(info->body).at("issuerId"), kIssuerB);
}

TEST_F(AuthE2e, NegativeSuiteS2OverTheWire) {
  Start();
  const std::string good = Assertion(kIssuerA, "a.jwk");
  const std::string payload = jose::Base64UrlEncode(
      json::serialize(json::object{{"iss", kIssuerA}, {"sub", kIssuerA}, {"exp", Now() + 300}}));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"alg none", jose::Base64UrlEncode(std::string_view(R"({"alg":"none","kid":"a-key-1"})")) +
                       "." + payload + "."},
      {"alg HS256", jose::Base64UrlEncode(std::string_view(R"({"alg":"HS256","kid":"a-key-1"})")) +
                        "." + payload + ".c2lnbmF0dXJl"},
      {"unknown kid", Assertion(kIssuerA, "a.jwk", {}, "other-kid")},
      {"another issuer's key", Assertion(kIssuerA, "b.jwk", {}, "a-key-1")},
      {"expired", Assertion(kIssuerA, "a.jwk", {{"exp", Now() - 120}})},
      {"exp too far", Assertion(kIssuerA, "a.jwk", {{"exp", Now() + 3600}})},
      {"wrong sub", Assertion(kIssuerA, "a.jwk", {{"sub", kIssuerB}})},
      {"wrong aud", Assertion(kIssuerA, "a.jwk", {{"aud", "https://elsewhere.example"}})},
      {"bad signature",
       good.substr(0, good.size() - 4) + (good.ends_with("AAAA") ? "BBBB" : "AAAA")},
      {"truncated", good.substr(0, good.size() / 2)},
  };
  for (const auto& [name, assertion] : cases) {
    auto r = PostToken(assertion);
    ASSERT_TRUE(r) << name;
    EXPECT_EQ(r->status, 400) << name << ": " << r->body;
    EXPECT_EQ(GrantError(*r), "invalid_grant") << name;
    EXPECT_EQ(r->body.find(assertion), std::string::npos) << name << ": echoes the assertion";
  }

  const std::string with_jti =
      Assertion(kIssuerA, "a.jwk",
                {{"jti", "one-time"}, {"aud", "https://c2p.example/authz/v1/oauth2/token"}});
  auto first = PostToken(with_jti);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200) << first->body;
  auto replay = PostToken(with_jti);
  ASSERT_TRUE(replay);
  EXPECT_EQ(replay->status, 400);
  EXPECT_EQ(GrantError(*replay), "invalid_grant");
}

TEST_F(AuthE2e, MalformedRequestsAreInvalidRequestOrUnsupported) {
  Start();
  const std::string form = "Content-Type: application/x-www-form-urlencoded\r\n";
  auto missing = Fetch(port_, "POST", "/authz/v1/oauth2/token", "grant_type=" + kGrant, form);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 400);
  EXPECT_EQ(GrantError(*missing), "invalid_request");
  auto other = Fetch(port_, "POST", "/authz/v1/oauth2/token",
                     "grant_type=client_credentials&client_id=x", form);
  ASSERT_TRUE(other);
  EXPECT_EQ(GrantError(*other), "unsupported_grant_type");
  auto text = Fetch(port_, "POST", "/authz/v1/oauth2/token", "grant_type=x",
                    "Content-Type: text/plain\r\n");
  ASSERT_TRUE(text);
  EXPECT_EQ(text->status, 415);
  auto get = Fetch(port_, "GET", "/authz/v1/oauth2/token");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 405);
}

TEST_F(AuthE2e, BearerRoutesRefuseMissingForgedAndForeignTokens) {
  Start();
  auto none = Fetch(port_, "GET", "/authz/v1/tokeninfo");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(json::parse(none->body).at("errorCode"), "AUTHORIZER_UNAUTHORIZED");
  EXPECT_EQ(none->header("www-authenticate"), R"(Bearer realm="c2p")");

  std::string token = Token();
  ASSERT_FALSE(token.empty());
  std::string forged = token;
  forged[forged.size() / 2] = forged[forged.size() / 2] == 'A' ? 'B' : 'A';
  for (const std::string& bad : {forged, std::string("c2p1.x.y.z"), std::string("garbage")}) {
    auto r = TokenInfo(bad);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401) << bad;
    EXPECT_NE(r->header("www-authenticate").find("invalid_token"), std::string::npos);
  }
  auto basic =
      Fetch(port_, "GET", "/authz/v1/tokeninfo", {}, "Authorization: Basic " + token + "\r\n");
  ASSERT_TRUE(basic);
  EXPECT_EQ(basic->status, 401);
}

TEST_F(AuthE2e, TokenEndpointIsRateLimitedPerIssuer) {
  Start();
  const std::string kid = Key("b.jwk").Thumbprint();
  int limited = 0;
  std::string retry_after;
  for (int i = 0; i < 10 && limited == 0; ++i) {
    auto r = PostToken(Assertion(kIssuerB, "b.jwk", {}, kid));
    ASSERT_TRUE(r);
    if (r->status == 429) {
      ++limited;
      retry_after = r->header("retry-after");
      EXPECT_EQ(json::parse(r->body).at("errorCode"), "RATE_LIMITED");
    } else {
      EXPECT_EQ(r->status, 200) << r->body;
    }
  }
  EXPECT_EQ(limited, 1);
  EXPECT_EQ(retry_after, "1");
  // Issuer A has its own bucket.
  EXPECT_FALSE(Token().empty());
}

TEST_F(AuthE2e, C2pctlTokenSignsAnAssertionAndPrintsAWorkingAccessToken) {
  Start();
  auto p = Process::Start({BinDir() + "/c2pctl", "token", "--issuer", kIssuerA, "--key",
                           dir_ + "/a.jwk", "--url", "http://127.0.0.1:" + std::to_string(port_)},
                          dir_ + "/ctl-token.out");
  ASSERT_TRUE(p);
  ASSERT_EQ(p->Wait(std::chrono::seconds(20)), 0) << ReadFile(dir_ + "/ctl-token.out");
  std::string token = ReadFile(dir_ + "/ctl-token.out");
  while (!token.empty() && token.back() == '\n') token.pop_back();
  auto info = TokenInfo(token);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->status, 200) << token;

  // A key the issuer does not own: c2pctl reports the refusal (exit 3).
  auto bad = Process::Start({BinDir() + "/c2pctl", "token", "--issuer", kIssuerA, "--key",
                             dir_ + "/b.jwk", "--url", "http://127.0.0.1:" + std::to_string(port_)},
                            dir_ + "/ctl-bad.out");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->Wait(std::chrono::seconds(20)), 3);
  EXPECT_NE(ReadFile(dir_ + "/ctl-bad.out").find("invalid_grant"), std::string::npos);
}

// spec/api.md §3.2 with mTLS on: the client certificate's CN must be the token's issuer,
// at the token endpoint and on every bearer route.
TEST_F(AuthE2e, MutualTlsBindsTheClientCertificateToTheIssuer) {
  const TestCa ca("c2p-e2e-ca");
  const TlsFiles files = WriteServerTlsFiles(dir_ + "/tls", ca);
  Start("mac1.jwk", {},
        "[server.tls]\ncertificate = \"" + files.certificate.string() + "\"\nprivate_key = \"" +
            files.private_key.string() + "\"\nclient_ca = \"" + files.client_ca.string() + "\"\n");
  const PemPair cert_a = ca.IssueClient(kIssuerA);
  const PemPair cert_b = ca.IssueClient(kIssuerB);
  TlsClient a({.ca_pem = ca.certificate_pem(),
               .certificate_pem = cert_a.certificate,
               .private_key_pem = cert_a.private_key,
               .version = TlsVersion::kAny,
               .tls12_ciphers = ""});
  ASSERT_TRUE(Eventually([&] { return a.Connect(port_); }, 20s)) << ReadFile(dir_ + "/c2pd.out");

  const std::string form = "Content-Type: application/x-www-form-urlencoded\r\n";
  auto granted =
      a.Request("POST", "/authz/v1/oauth2/token",
                "grant_type=" + kGrant + "&assertion=" + Assertion(kIssuerA, "a.jwk"), form);
  ASSERT_TRUE(granted);
  ASSERT_EQ(granted->status, 200) << granted->body;
  const std::string token(json::parse(granted->body).at("access_token").as_string());
  auto info =
      a.Request("GET", "/authz/v1/tokeninfo", {}, "Authorization: Bearer " + token + "\r\n");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->status, 200) << info->body;

  // Issuer B's certificate with issuer A's assertion or token: refused.
  TlsClient b({.ca_pem = ca.certificate_pem(),
               .certificate_pem = cert_b.certificate,
               .private_key_pem = cert_b.private_key,
               .version = TlsVersion::kAny,
               .tls12_ciphers = ""});
  ASSERT_TRUE(b.Connect(port_));
  auto refused =
      b.Request("POST", "/authz/v1/oauth2/token",
                "grant_type=" + kGrant + "&assertion=" + Assertion(kIssuerA, "a.jwk"), form);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  EXPECT_EQ(GrantError(*refused), "invalid_grant");
  auto mismatch =
      b.Request("GET", "/authz/v1/tokeninfo", {}, "Authorization: Bearer " + token + "\r\n");
  ASSERT_TRUE(mismatch);
  EXPECT_EQ(mismatch->status, 403);
  EXPECT_EQ(json::parse(mismatch->body).at("errorCode"), "ISSUER_MISMATCH");

  // No certificate, no connection; plain HTTP gets no answer.
  TlsClient anonymous({.ca_pem = ca.certificate_pem(),
                       .certificate_pem = "",
                       .private_key_pem = "",
                       .version = TlsVersion::kAny,
                       .tls12_ciphers = ""});
  EXPECT_FALSE(anonymous.Connect(port_) && anonymous.Request("GET", "/healthz"));
  EXPECT_FALSE(Fetch(port_, "GET", "/healthz", {}, {}, 2s));
}

TEST_F(AuthE2e, RotatedMacKeyKeepsIssuedTokensValidUntilRetired) {
  Start("mac1.jwk");
  const std::string old_token = Token();
  ASSERT_TRUE(old_token.starts_with("c2p1.mac-1."));

  Start("mac2.jwk", "mac1.jwk");
  auto still = TokenInfo(old_token);
  ASSERT_TRUE(still);
  EXPECT_EQ(still->status, 200) << still->body;
  EXPECT_TRUE(Token().starts_with("c2p1.mac-2."));

  Start("mac2.jwk");
  auto gone = TokenInfo(old_token);
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 401);
}

}  // namespace
}  // namespace c2p::testing
