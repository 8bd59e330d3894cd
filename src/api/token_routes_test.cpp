// The token endpoint's shared replay record: two c2pd "nodes" (two servers, each with its
// own memory of used assertion ids) on one store. Only the record in the store lets the
// second node refuse an assertion the first one accepted.

#include "api/token_routes.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "http/server.hpp"
#include "jose/jws.hpp"
#include "log/log.hpp"
#include "store/store_test_util.hpp"
#include "tests/support/raw_client.hpp"

namespace c2p::api {
namespace {

namespace json = boost::json;

constexpr const char* kIssuer = "ISSUER0001";

const jose::EcKey& IssuerKey() {
  static const jose::EcKey key = [] {
    auto k = jose::EcKey::Generate();
    k.set_kid("k1");
    return k;
  }();
  return key;
}

std::vector<jose::OctKey> MacKeys() {
  std::vector<jose::OctKey> keys;
  keys.push_back(jose::OctKey::Generate(32));
  keys.back().set_kid("mac-1");
  return keys;
}

// One node: its own verifier (and so its own replay memory) and HTTP server.
struct Node {
  explicit Node(store::Store* shared) {
    std::vector<auth::IssuerAssertionKeys> issuers;
    issuers.push_back({kIssuer, {*jose::VerificationKey::Es256(IssuerKey())}});
    auth = std::make_unique<AuthContext>(
        auth::AccessTokens(MacKeys()),
        auth::AssertionVerifier(std::move(issuers), auth::AssertionPolicy{}));
    auth->issuers = {kIssuer};
    auth->token_limits.SetLimit(kIssuer, 1000);
    auth->shared_replay = shared;
    AddTokenRoutes(router, *auth, metrics);
    http::ServerOptions options;
    options.port = 0;
    options.threads = 1;
    options.access_log = false;
    server = std::make_unique<http::Server>(options, router, metrics);
    EXPECT_TRUE(server->Start());
  }

  // The status and, for a refusal, the error_description.
  std::pair<int, std::string> Token(const std::string& assertion) const {
    auto r = testing::Fetch(
        server->port(), "POST", "/authz/v1/oauth2/token",
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + assertion,
        "Content-Type: application/x-www-form-urlencoded\r\n");
    if (!r) return {0, "no answer"};
    if (r->status == 200) return {200, ""};
    auto body = json::parse(r->body);
    const auto* d = body.as_object().if_contains("error_description");
    return {r->status, d != nullptr ? std::string(d->as_string()) : r->body};
  }

  std::unique_ptr<AuthContext> auth;
  http::Router router;
  core::metrics::Registry metrics;
  std::unique_ptr<http::Server> server;
};

std::string Assertion(const std::optional<std::string>& jti) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  json::object claims{{"iss", kIssuer}, {"sub", kIssuer}, {"iat", now}, {"exp", now + 300}};
  if (jti) claims["jti"] = *jti;
  return jose::SignEs256(json::serialize(claims), IssuerKey());
}

class SharedReplayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log::Init({log::Level::kError, {}});
    auto opened = store::OpenStore("sqlite:" + (dir_.path() / "c2p.db").string(),
                                   store::StoreOptions{}, metrics_);
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }
  void TearDown() override { store_->Close(); }

  store::testing::TempDir dir_;
  core::metrics::Registry metrics_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(SharedReplayTest, ANodeRefusesAnAssertionAnotherNodeAccepted) {
  Node first(store_.get());
  Node second(store_.get());
  const std::string assertion = Assertion("jti-shared-1");
  EXPECT_EQ(first.Token(assertion).first, 200);
  EXPECT_EQ(second.Token(assertion), (std::pair<int, std::string>{400, "jti already used"}));
  // A fresh jti is accepted by either node.
  EXPECT_EQ(second.Token(Assertion("jti-shared-2")).first, 200);
  EXPECT_EQ(first.Token(Assertion("jti-shared-2")).second, "jti already used");
}

TEST_F(SharedReplayTest, WithoutTheSharedRecordOnlyEachNodesMemoryRefuses) {
  // The control: the same two nodes without the record each accept the assertion once,
  // which is what the record exists to prevent.
  Node first(nullptr);
  Node second(nullptr);
  const std::string assertion = Assertion("jti-local");
  EXPECT_EQ(first.Token(assertion).first, 200);
  EXPECT_EQ(second.Token(assertion).first, 200);
  EXPECT_EQ(second.Token(assertion).second, "jti already used");
}

TEST_F(SharedReplayTest, AssertionsWithoutAJtiAreNotRecorded) {
  Node first(store_.get());
  Node second(store_.get());
  const std::string assertion = Assertion(std::nullopt);
  EXPECT_EQ(first.Token(assertion).first, 200);
  EXPECT_EQ(second.Token(assertion).first, 200);
}

TEST_F(SharedReplayTest, ForgottenIdsArePrunedAndMayBeUsedAgain) {
  bool first_use = false;
  bool replay = true;
  bool reuse = false;
  auto io = std::make_unique<store::testing::IoThreads>(1);
  auto written = store::testing::StartWrite(io->io(), *store_, [&](store::WriteTx& tx) {
    first_use = tx.UseAssertionId(kIssuer, "j", 1'000, 500).value();
    replay = tx.UseAssertionId(kIssuer, "j", 2'000, 900).value();
    // At 1000 the id is forgotten: used again, with its new horizon.
    reuse = tx.UseAssertionId(kIssuer, "j", 3'000, 1'000).value();
    return tx.PruneAssertionIds(3'000);  // forgets it
  });
  ASSERT_TRUE(store::testing::Await(written));
  EXPECT_TRUE(first_use);
  EXPECT_FALSE(replay);
  EXPECT_TRUE(reuse);
  bool after_prune = false;
  auto again = store::testing::StartWrite(io->io(), *store_, [&](store::WriteTx& tx) {
    // Before its horizon (3000) the id would still be a replay: only the prune removed it.
    after_prune = tx.UseAssertionId(kIssuer, "j", 9'000, 2'500).value();
    return core::Result<void>{};
  });
  ASSERT_TRUE(store::testing::Await(again));
  EXPECT_TRUE(after_prune);
}

}  // namespace
}  // namespace c2p::api
