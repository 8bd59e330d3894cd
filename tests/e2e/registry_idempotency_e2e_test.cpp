// Idempotency-Key (spec/api.md §5.1) on the registry's writes, against a real c2pd.

#include "tests/e2e/registry_fixture.hpp"

namespace c2p::testing {
namespace {

using IdempotencyE2e = RegistryE2e;

std::string Key(const std::string& k) { return "Idempotency-Key: " + k + "\r\n"; }

TEST_F(IdempotencyE2e, SameKeySameRequestReplaysTheFirstResponse) {
  const std::string body = CardBody("cons_idem", Pan("411111000000060"));
  auto first = Call("PUT", Card(kIssuerA, "crd_idem"), body, kIssuerA, Key("k-card-1"));
  ASSERT_EQ(first.status, 201) << first.body;
  auto replay = Call("PUT", Card(kIssuerA, "crd_idem"), body, kIssuerA, Key("k-card-1"));
  EXPECT_EQ(replay.status, 201);  // the first response, not a fresh 200
  EXPECT_EQ(replay.body, first.body);
  EXPECT_EQ(replay.header("idempotent-replayed"), "true");

  // A lifecycle call replays its operation id; without the key it would be refused.
  const std::string suspend = Card(kIssuerA, "crd_idem") + "/operations:suspend";
  auto op = Call("POST", suspend, "", kIssuerA, Key("k-suspend"));
  ASSERT_EQ(op.status, 200) << op.body;
  auto again = Call("POST", suspend, "", kIssuerA, Key("k-suspend"));
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(Body(again).at("operationId"), Body(op).at("operationId"));
  EXPECT_EQ(ErrorCodeOf(Call("POST", suspend)), "INVALID_STATE");
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM operations WHERE card_id = 'crd_idem' AND "
                     "operation = 'SUSPEND'"),
            1);
  // Refusals are answers too: replayed as they were.
  auto refused = Call("POST", suspend, "", kIssuerA, Key("k-refused"));
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(Call("POST", suspend, "", kIssuerA, Key("k-refused")).body, refused.body);
}

TEST_F(IdempotencyE2e, SameKeyDifferentRequestIs422AndKeysArePerIssuer) {
  auto first = Call("PUT", Consumer(kIssuerA, "cons_idem2"), "{}", kIssuerA, Key("shared"));
  ASSERT_EQ(first.status, 201);
  auto other = Call("PUT", Consumer(kIssuerA, "cons_idem2"), R"({"state":"INACTIVE"})", kIssuerA,
                    Key("shared"));
  EXPECT_EQ(other.status, 422);
  EXPECT_EQ(ErrorCodeOf(other), "IDEMPOTENCY_KEY_REUSED");
  EXPECT_EQ(Body(Call("GET", Consumer(kIssuerA, "cons_idem2"))).at("state"), "ACTIVE");
  // Another issuer's identical key is its own.
  auto b = Call("PUT", Consumer(kIssuerB, "cons_idem2"), "{}", kIssuerB, Key("shared"));
  EXPECT_EQ(b.status, 201);
  EXPECT_TRUE(b.header("idempotent-replayed").empty());
}

TEST_F(IdempotencyE2e, MalformedKeyIsRefused) {
  auto r =
      Call("PUT", Consumer(kIssuerA, "cons_idem3"), "{}", kIssuerA, Key(std::string(256, 'k')));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorCodeOf(r), "FIELD_INVALID_FORMAT");
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM consumers WHERE consumer_id = 'cons_idem3'"), 0);
}

TEST_F(IdempotencyE2e, ConcurrentSameKeyIsAnsweredOnceAndOtherwise409OrReplay) {
  // Several clients race with one key: exactly one registration happens; the others see
  // 409 IDEMPOTENCY_KEY_IN_USE or the replay, never a second card or an error.
  const std::string body = CardBody("cons_race", Pan("411111000000070"));
  Token(kIssuerA);  // fetched before the threads share the token cache
  std::vector<std::thread> threads;
  std::vector<int> statuses(6);
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    threads.emplace_back([&, i] {
      statuses[i] = Call("PUT", Card(kIssuerA, "crd_race"), body, kIssuerA, Key("race")).status;
    });
  }
  for (auto& t : threads) t.join();
  for (const int s : statuses) EXPECT_TRUE(s == 201 || s == 409) << s;
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM cards WHERE card_id = 'crd_race'"), 1);
  EXPECT_EQ(Call("PUT", Card(kIssuerA, "crd_race"), body, kIssuerA, Key("race")).status, 201);
}

}  // namespace
}  // namespace c2p::testing
