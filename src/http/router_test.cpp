#include "http/router.hpp"

#include <gtest/gtest.h>

namespace c2p::http {
namespace {

namespace asio = boost::asio;

Handler Noop() {
  return [](Request&) -> asio::awaitable<Reply> { co_return NoContent(); };
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add(Verb::put, "/banking/v2/issuers/{issuerId}/cards/{cardId}", Noop());
    router_.Add(Verb::get, "/banking/v2/issuers/{issuerId}/cards/{cardId}", Noop());
    router_.Add(Verb::post, "/banking/v2/issuers/{issuerId}/cards/{cardId}/operations:suspend",
                Noop());
    router_.Add(Verb::get, "/banking/v1/issuers/{issuerId}/cards/{cardId}/operations/{operationId}",
                Noop());
    router_.Add(Verb::get, "/healthz", Noop());
  }
  Router router_;
};

TEST_F(RouterTest, MatchesTemplatesAndExtractsParams) {
  auto m = router_.Find(Verb::get, "/banking/v2/issuers/ISSUER0001/cards/crd_1");
  ASSERT_EQ(m.kind, Match::Kind::kFound);
  EXPECT_EQ(m.route->path_template, "/banking/v2/issuers/{issuerId}/cards/{cardId}");
  ASSERT_EQ(m.params.size(), 2u);
  EXPECT_EQ(m.params[0].first, "issuerId");
  EXPECT_EQ(m.params[0].second, "ISSUER0001");
  EXPECT_EQ(m.params[1].second, "crd_1");
}

TEST_F(RouterTest, MatchesVerbSuffixSegmentsLiterally) {
  auto m = router_.Find(Verb::post, "/banking/v2/issuers/I/cards/c/operations:suspend");
  ASSERT_EQ(m.kind, Match::Kind::kFound);
  EXPECT_EQ(m.route->path_template,
            "/banking/v2/issuers/{issuerId}/cards/{cardId}/operations:suspend");
  EXPECT_EQ(router_.Find(Verb::post, "/banking/v2/issuers/I/cards/c/operations:explode").kind,
            Match::Kind::kNotFound);
}

TEST_F(RouterTest, KnownPathWithOtherMethodIs405WithAllow) {
  auto m = router_.Find(Verb::delete_, "/banking/v2/issuers/I/cards/c");
  EXPECT_EQ(m.kind, Match::Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "PUT, GET");
}

TEST_F(RouterTest, UnknownOrMalformedPathsAre404) {
  for (const char* path : {"", "healthz", "/healthz/", "//healthz", "/banking/v2/issuers",
                           "/banking/v2/issuers/I/cards/../cards/c", "/nope"}) {
    EXPECT_EQ(router_.Find(Verb::get, path).kind, Match::Kind::kNotFound) << path;
  }
}

TEST_F(RouterTest, DuplicateOrMalformedTemplatesAreRejectedAtStartup) {
  EXPECT_THROW(router_.Add(Verb::get, "/healthz", Noop()), std::logic_error);
  EXPECT_THROW(router_.Add(Verb::get, "no-slash", Noop()), std::logic_error);
  EXPECT_THROW(router_.Add(Verb::get, "/banking/v2/issuers/{other}/x", Noop()), std::logic_error);
}

}  // namespace
}  // namespace c2p::http
