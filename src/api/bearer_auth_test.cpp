#include "api/bearer_auth.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include "http/server.hpp"
#include "log/log.hpp"
#include "tests/support/raw_client.hpp"

namespace c2p::api {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using http::Reply;
using http::Request;
using http::Status;
using http::Verb;
using testing::Fetch;

constexpr const char* kIssuerA = "ISSUERAAAA";
constexpr const char* kIssuerB = "ISSUERBBBB";

std::vector<jose::OctKey> MacKeys() {
  std::vector<jose::OctKey> keys;
  keys.push_back(jose::OctKey::Generate(32));
  keys.back().set_kid("mac-1");
  return keys;
}

// A bearer route naming an issuer, as every /banking route does, that echoes the principal.
class BearerAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log::Init({log::Level::kWarn, {}});
    auth_.issuers = {kIssuerA, kIssuerB};
    router_.Add(Verb::get, "/banking/v2/issuers/{issuerId}/ping",
                [](Request& r) -> asio::awaitable<Reply> {
                  co_return http::Json(Status::ok, {{"principal", r.principal()}});
                },
                {.bearer = true});
    router_.Add(Verb::put, "/banking/v2/issuers/{issuerId}/things",
                [](Request&) -> asio::awaitable<Reply> { co_return http::NoContent(); },
                {.body = http::BodyKind::kJson, .bearer = true});
    router_.Add(Verb::get, "/open", [](Request& r) -> asio::awaitable<Reply> {
      co_return http::Json(Status::ok, {{"principal", r.principal()}});
    });
  }

  void Start() {
    http::ServerOptions options;
    options.port = 0;
    options.threads = 1;
    options.access_log = false;
    server_ = std::make_unique<http::Server>(options, router_, metrics_,
                                             std::vector<http::Layer>{BearerAuthLayer(auth_)});
    ASSERT_TRUE(server_->Start());
  }

  std::optional<testing::HttpResponse> Get(const std::string& path, const std::string& token) {
    return Fetch(server_->port(), "GET", path, {},
                 token.empty() ? std::string() : "Authorization: Bearer " + token + "\r\n");
  }

  std::string Token(const char* issuer) {
    return auth_.tokens.Issue(issuer, std::chrono::system_clock::now());
  }

  static std::string Code(const testing::HttpResponse& r) {
    return std::string(json::parse(r.body).at("errorCode").as_string());
  }

  AuthContext auth_{auth::AccessTokens(MacKeys()),
                    auth::AssertionVerifier({}, auth::AssertionPolicy{})};
  http::Router router_;
  core::metrics::Registry metrics_;
  std::unique_ptr<http::Server> server_;
};

TEST_F(BearerAuthTest, OwnIssuerPassesWithThePrincipalSet) {
  Start();
  auto r = Get("/banking/v2/issuers/ISSUERAAAA/ping", Token(kIssuerA));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(json::parse(r->body).at("principal"), kIssuerA);
}

TEST_F(BearerAuthTest, AnotherIssuersPathIsIssuerMismatch) {
  Start();
  auto r = Get("/banking/v2/issuers/ISSUERBBBB/ping", Token(kIssuerA));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(Code(*r), "ISSUER_MISMATCH");
}

TEST_F(BearerAuthTest, TokenOfAnIssuerNoLongerConfiguredIsUnauthorized) {
  Start();
  auto r = Get("/banking/v2/issuers/ISSUERCCCC/ping", Token("ISSUERCCCC"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(Code(*r), "AUTHORIZER_UNAUTHORIZED");
}

TEST_F(BearerAuthTest, AuthenticationComesBeforeTheBodyIsJudged) {
  Start();
  auto r = Fetch(server_->port(), "PUT", "/banking/v2/issuers/ISSUERAAAA/things", "{not json",
                 "Content-Type: application/json\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  auto mismatch =
      Fetch(server_->port(), "PUT", "/banking/v2/issuers/ISSUERBBBB/things", "{not json",
            "Content-Type: application/json\r\nAuthorization: Bearer " + Token(kIssuerA) + "\r\n");
  ASSERT_TRUE(mismatch);
  EXPECT_EQ(mismatch->status, 403);
}

TEST_F(BearerAuthTest, RoutesWithoutTheFlagAreOpen) {
  Start();
  auto r = Get("/open", "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body).at("principal"), "");
}

TEST_F(BearerAuthTest, IssuerOverItsLimitGets429WithRetryAfter) {
  auth_.api_limits.SetLimit(kIssuerA, 2);
  Start();
  const std::string token = Token(kIssuerA);
  int ok = 0;
  std::optional<testing::HttpResponse> limited;
  for (int i = 0; i < 5 && !limited; ++i) {
    auto r = Get("/banking/v2/issuers/ISSUERAAAA/ping", token);
    ASSERT_TRUE(r);
    if (r->status == 429) {
      limited = r;
    } else {
      ++ok;
    }
  }
  ASSERT_TRUE(limited);
  EXPECT_GE(ok, 2);
  EXPECT_EQ(Code(*limited), "RATE_LIMITED");
  EXPECT_EQ(limited->header("retry-after"), "1");
  // The other issuer is not affected.
  auto b = Get("/banking/v2/issuers/ISSUERBBBB/ping", Token(kIssuerB));
  ASSERT_TRUE(b);
  EXPECT_EQ(b->status, 200);
}

TEST_F(BearerAuthTest, WithMutualTlsRequiredAPlainCallerHasNoIdentityAndIsRefused) {
  // Over TLS the server sets the identity from the certificate (tested in
  // tls_e2e_test); here, the rule itself: no matching identity, no access.
  auth_.require_client_identity = true;
  Start();
  auto r = Get("/banking/v2/issuers/ISSUERAAAA/ping", Token(kIssuerA));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(Code(*r), "ISSUER_MISMATCH");
}

TEST(BearerToken, ParsesTheSchemeCaseInsensitively) {
  EXPECT_EQ(BearerToken("Bearer abc"), "abc");
  EXPECT_EQ(BearerToken("bearer   abc "), "abc");
  EXPECT_EQ(BearerToken("BEARER abc"), "abc");
  EXPECT_EQ(BearerToken("Basic abc"), "");
  EXPECT_EQ(BearerToken("Bearer"), "");
  EXPECT_EQ(BearerToken(""), "");
}

}  // namespace
}  // namespace c2p::api
