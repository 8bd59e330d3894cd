// The store's lock order with several writers on PostgreSQL (store.hpp): a unit that
// starts from a card id (LockCard) waits behind a unit holding the card's consumer, then
// sees what that unit wrote, and both commit. Were the card locked before its consumer,
// each would hold the row the other waits for, and PostgreSQL would break the deadlock by
// failing one of them.

#include <atomic>
#include <future>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "store/store.hpp"
#include "store/store_test_backends.hpp"
#include "store/store_test_util.hpp"

namespace c2p::store {
namespace {

using core::ErrorCode;
using testing::Await;
using testing::StartWrite;
using testing::WaitUntil;

constexpr std::string_view kIssuer = "ISSUER0001";

class LockOrderTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUp() override {
    ASSERT_EQ(db_.error(), "");
    StoreOptions options;
    options.write_connections = 2;
    auto store = OpenStore(db_.url(), options, registry_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    ASSERT_TRUE(Write([this](WriteTx& tx) -> core::Result<void> {
      if (auto c = tx.AddConsumer({std::string(kIssuer), "c1", "ACTIVE", std::nullopt, 1, 1}); !c) {
        return c;
      }
      CardRecord card;
      card.issuer_id = kIssuer;
      card.card_id = "k1";
      card.consumer_id = "c1";
      card.card_product_id = "VISA_CLASSIC";
      card.network = "VISA";
      card.state = "ACTIVE";
      card.pan_index = "idx1";
      card.pan = {1, 2, 3};
      card.exp = {4, 5};
      card.pan_last4 = "1111";
      auto ref = tx.InsertCard(card);
      if (!ref) return tl::unexpected(ref.error());
      card_ref_ = *ref;
      return {};
    }));
  }

  std::future<core::Result<void>> Start(WriteWork work) {
    return StartWrite(io_.io(), *store_, std::move(work));
  }
  core::Result<void> Write(WriteWork work) {
    auto f = Start(std::move(work));
    return Await(f);
  }

  // Sessions of this test's database waiting for a lock another session holds.
  std::int64_t LockWaits() {
    return db_.QueryInt(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND "
        "wait_event_type = 'Lock'");
  }

  // Starts a unit that runs `take` (which takes its locks), then holds its writer
  // connection and those locks until `release` is set, then runs `then`. Returns once the
  // unit holds, so the next unit started goes to another writer connection.
  std::future<core::Result<void>> Hold(
      const std::atomic<bool>& release, WriteWork take,
      WriteWork then = [](WriteTx&) -> core::Result<void> { return {}; }) {
    auto holding = std::make_shared<std::atomic<bool>>(false);
    auto unit = Start([&release, holding, take = std::move(take),
                       then = std::move(then)](WriteTx& tx) -> core::Result<void> {
      if (auto taken = take(tx); !taken) return taken;
      holding->store(true);
      if (!WaitUntil([&] { return release.load(); })) {
        return core::Fail(ErrorCode::kInternal, "never released");
      }
      return then(tx);
    });
    EXPECT_TRUE(WaitUntil([&] { return holding->load(); }));
    return unit;
  }

  std::int64_t card_ref_ = 0;
  testing::TestDatabase db_{GetParam()};
  core::metrics::Registry registry_;
  testing::IoThreads io_{2};
  std::unique_ptr<Store> store_;
};

class PostgresLockOrderTest : public LockOrderTest {};

TEST_P(PostgresLockOrderTest, ACardIdWaitsForItsConsumerThenSeesTheWinnersWrite) {
  std::atomic<bool> release{false};
  // Like a consumer update: the consumer, then (once released) its card.
  auto first = Hold(
      release,
      [](WriteTx& tx) -> core::Result<void> {
        auto consumer = tx.FindConsumer(kIssuer, "c1");
        if (!consumer || !*consumer) return core::Fail(ErrorCode::kInternal, "no consumer");
        return {};
      },
      [](WriteTx& tx) -> core::Result<void> {
        auto card = tx.FindCard(kIssuer, "k1");
        if (!card || !*card) return core::Fail(ErrorCode::kInternal, "no card");
        CardRecord changed = **card;
        changed.state = "SUSPENDED";
        return tx.UpdateCard(changed);
      });

  // Like an enrolment: from the card id, on the other writer connection.
  std::string seen;
  auto second = Start([&](WriteTx& tx) -> core::Result<void> {
    auto locked = LockCard(tx, kIssuer, "k1");
    if (!locked) return tl::unexpected(locked.error());
    if (!*locked) return core::Fail(ErrorCode::kInternal, "no card");
    seen = (*locked)->card.state;
    return {};
  });
  const bool second_waits = WaitUntil([&] { return LockWaits() == 1; });
  release = true;
  ASSERT_TRUE(second_waits);
  auto first_done = Await(first);
  ASSERT_TRUE(first_done) << first_done.error().message;
  auto second_done = Await(second);
  ASSERT_TRUE(second_done) << second_done.error().message;
  EXPECT_EQ(seen, "SUSPENDED");
}

// A settlement that leaves its card unchanged still locks the card's row, so a token
// event's change of that card (and its notification) waits for the settlement's commit.
TEST_P(PostgresLockOrderTest, LockCardRowHoldsTheRowUntilCommit) {
  std::atomic<bool> release{false};
  auto first = Hold(
      release, [this](WriteTx& tx) { return tx.LockCardRow(card_ref_); },
      [](WriteTx& tx) { return tx.PutSetting("first", "1"); });
  auto second = Start([&](WriteTx& tx) -> core::Result<void> {
    return tx.SetCardClickToPay(card_ref_, "ENROLLED", 2, std::nullopt);
  });
  const bool second_waits = WaitUntil([&] { return LockWaits() == 1; });
  release = true;
  EXPECT_TRUE(second_waits);
  EXPECT_TRUE(Await(first));
  EXPECT_TRUE(Await(second));
}

// Finding the consumer through its card locks the consumer only: a unit holding the card
// (a token event) does not hold up a unit that goes on to lock the consumer.
TEST_P(PostgresLockOrderTest, FindConsumerOfCardLeavesTheCardUnlocked) {
  std::atomic<bool> release{false};
  auto first = Hold(release, [this](WriteTx& tx) { return tx.LockCardRow(card_ref_); });
  std::string found;
  auto second = Start([&](WriteTx& tx) -> core::Result<void> {
    auto consumer = tx.FindConsumerOfCard(kIssuer, "k1");
    if (!consumer) return tl::unexpected(consumer.error());
    if (*consumer) found = (*consumer)->consumer_id;
    return {};
  });
  const bool beside = second.wait_for(testing::kDeadline) == std::future_status::ready;
  release = true;
  ASSERT_TRUE(beside);
  EXPECT_TRUE(Await(first));
  EXPECT_TRUE(Await(second));
  EXPECT_EQ(found, "c1");
}

TEST_P(LockOrderTest, LockCardReadsTheCardAndItsConsumer) {
  std::optional<LockedCard> got;
  ASSERT_TRUE(Write([&](WriteTx& tx) -> core::Result<void> {
    auto locked = LockCard(tx, kIssuer, "k1");
    if (!locked) return tl::unexpected(locked.error());
    got = std::move(*locked);
    return {};
  }));
  ASSERT_TRUE(got);
  EXPECT_EQ(got->card.card_id, "k1");
  EXPECT_EQ(got->card.state, "ACTIVE");
  EXPECT_EQ(got->consumer.consumer_id, "c1");
}

TEST_P(LockOrderTest, LockCardOfAnUnknownCardIsEmpty) {
  std::optional<bool> found;
  ASSERT_TRUE(Write([&](WriteTx& tx) -> core::Result<void> {
    auto locked = LockCard(tx, kIssuer, "nope");
    if (!locked) return tl::unexpected(locked.error());
    found = locked->has_value();
    return {};
  }));
  EXPECT_EQ(found, false);
}

C2P_STORE_BACKENDS(LockOrderTest);
INSTANTIATE_TEST_SUITE_P(Backends, PostgresLockOrderTest,
                         ::testing::Values(testing::Backend::kPostgres), testing::BackendName);

}  // namespace
}  // namespace c2p::store
