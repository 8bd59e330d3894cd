// Notification delivery's rows through the Store interface on both backends (a real SQLite
// file, a real PostgreSQL database): what src/notify relies on (per order-key order,
// messages leased and retried, suspension, dead letters and redelivery, the backlog read).

#include <gtest/gtest.h>

#include "core/block_on.hpp"
#include "store/store.hpp"
#include "store/store_test_backends.hpp"
#include "store/store_test_util.hpp"

namespace c2p::store {
namespace {

using testing::Await;
using testing::StartWrite;

class NotificationQueriesTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUp() override {
    ASSERT_EQ(db_.error(), "");
    auto store = OpenStore(db_.url(), {}, registry_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }

  core::Result<void> Write(WriteWork work) {
    auto f = StartWrite(io_.io(), *store_, std::move(work));
    return Await(f);
  }

  void Queue(const std::string& issuer, const std::string& key, const std::string& op,
             std::int64_t at) {
    NotificationRecord n;
    n.issuer_id = issuer;
    n.kind = "CARD";
    n.order_key = key;
    n.operation_id = op;
    n.correlation_id = "corr-" + op;
    n.created_ms = at;
    ASSERT_TRUE(Write([&](WriteTx& tx) { return tx.QueueNotification(n); }));
  }

  std::vector<NotificationRecord> Packable() {
    std::vector<NotificationRecord> out;
    EXPECT_TRUE(Write([&](WriteTx& tx) -> core::Result<void> {
      auto p = tx.PackableNotifications(100);
      if (!p) return tl::unexpected(p.error());
      out = std::move(*p);
      return {};
    }));
    return out;
  }

  std::int64_t Pack(const std::string& issuer, const std::vector<std::int64_t>& ids,
                    const std::string& webhook_id, std::int64_t at) {
    NotificationMessage m;
    m.webhook_id = webhook_id;
    m.issuer_id = issuer;
    m.kind = "CARD";
    m.path = "/notifications/d1/v2/issuers/" + issuer + "/cards";
    m.body = R"({"operations":[]})";
    m.correlation_id = "corr";
    m.next_attempt_ms = at;
    m.created_ms = at;
    std::int64_t id = 0;
    EXPECT_TRUE(Write([&](WriteTx& tx) -> core::Result<void> {
      auto inserted = tx.InsertNotificationMessage(m, ids);
      if (!inserted) return tl::unexpected(inserted.error());
      id = *inserted;
      return {};
    }));
    return id;
  }

  std::vector<NotificationMessage> Claim(std::int64_t now, int per_issuer = 10,
                                         std::vector<std::string> busy = {}) {
    std::vector<NotificationMessage> out;
    EXPECT_TRUE(Write([&](WriteTx& tx) -> core::Result<void> {
      auto c = tx.ClaimNotificationMessages(now, now + 1000, per_issuer, busy);
      if (!c) return tl::unexpected(c.error());
      out = std::move(*c);
      return {};
    }));
    return out;
  }

  static std::vector<std::string> Ops(const std::vector<NotificationRecord>& list) {
    std::vector<std::string> out;
    for (const auto& n : list) out.push_back(n.operation_id);
    return out;
  }

  testing::TestDatabase db_{GetParam()};
  core::metrics::Registry registry_;
  testing::IoThreads io_{1};
  std::unique_ptr<Store> store_;
};

TEST_P(NotificationQueriesTest, OneOpenNotificationPerCardInTheOrderOperationsEnded) {
  Queue("ISSUER0001", "card:1", "op_a", 10);
  Queue("ISSUER0001", "card:1", "op_b", 11);
  Queue("ISSUER0001", "card:2", "op_c", 12);
  Queue("ISSUER0002", "card:1", "op_d", 13);  // another issuer's card 1: its own order
  auto first = Packable();
  ASSERT_EQ(Ops(first), (std::vector<std::string>{"op_a", "op_c", "op_d"}));
  EXPECT_EQ(first[0].correlation_id, "corr-op_a");
  const auto m1 =
      Pack("ISSUER0001", {first[0].notification_id, first[1].notification_id}, "w1", 20);
  // op_b waits for op_a's message to end, however long it is retried.
  EXPECT_EQ(Ops(Packable()), (std::vector<std::string>{"op_d"}));

  auto claimed = Claim(20);
  ASSERT_EQ(claimed.size(), 1U);
  EXPECT_EQ(claimed[0].message_id, m1);
  EXPECT_EQ(claimed[0].webhook_id, "w1");
  EXPECT_EQ(claimed[0].attempts, 1);
  EXPECT_TRUE(Claim(20).empty());  // leased
  ASSERT_TRUE(Write([&](WriteTx& tx) {
    return tx.RescheduleNotificationMessage(m1, 500, std::string("HTTP 503"));
  }));
  EXPECT_TRUE(Claim(499).empty());
  auto again = Claim(500);
  ASSERT_EQ(again.size(), 1U);
  EXPECT_EQ(again[0].attempts, 2);
  EXPECT_EQ(again[0].last_error, "HTTP 503");
  EXPECT_EQ(Ops(Packable()), (std::vector<std::string>{"op_d"}));

  ASSERT_TRUE(Write(
      [&](WriteTx& tx) { return tx.EndNotificationMessage(m1, "DELIVERED", 600, std::nullopt); }));
  EXPECT_EQ(Ops(Packable()), (std::vector<std::string>{"op_b", "op_d"}));
  auto delivered = core::BlockOn(store_->GetNotificationMessage(m1)).value();
  ASSERT_TRUE(delivered);
  EXPECT_EQ(delivered->state, "DELIVERED");
  EXPECT_EQ(delivered->operations, 2);
  EXPECT_EQ(delivered->ended_ms, 600);
  EXPECT_FALSE(core::BlockOn(store_->NextNotificationDue()).value());
}

TEST_P(NotificationQueriesTest, SuspensionHoldsAnIssuerAndResumingMakesItDue) {
  Queue("ISSUER0001", "card:1", "op_a", 10);
  Queue("ISSUER0002", "card:1", "op_b", 10);
  auto packable = Packable();
  ASSERT_EQ(packable.size(), 2U);
  const auto m1 = Pack("ISSUER0001", {packable[0].notification_id}, "w1", 10);
  Pack("ISSUER0002", {packable[1].notification_id}, "w2", 10);
  ASSERT_TRUE(Write([](WriteTx& tx) { return tx.SuspendNotifications("ISSUER0001", 5, "410"); }));
  EXPECT_EQ(core::BlockOn(store_->SuspendedNotificationIssuers()).value(),
            (std::vector<std::string>{"ISSUER0001"}));
  Queue("ISSUER0001", "card:9", "op_c", 11);
  EXPECT_TRUE(Packable().empty());  // op_c's issuer is suspended
  auto claimed = Claim(100);
  ASSERT_EQ(claimed.size(), 1U);
  EXPECT_EQ(claimed[0].issuer_id, "ISSUER0002");
  ASSERT_TRUE(Write(
      [&](WriteTx& tx) { return tx.RescheduleNotificationMessage(m1, 9'999, std::nullopt); }));
  ASSERT_TRUE(Write([](WriteTx& tx) { return tx.ResumeNotifications("ISSUER0001", 200); }));
  EXPECT_TRUE(core::BlockOn(store_->SuspendedNotificationIssuers()).value().empty());
  EXPECT_EQ(Ops(Packable()), (std::vector<std::string>{"op_c"}));
  auto resumed = Claim(200);
  ASSERT_EQ(resumed.size(), 1U);
  EXPECT_EQ(resumed[0].message_id, m1);
}

TEST_P(NotificationQueriesTest, PerIssuerLimitsAndBusyIssuers) {
  for (int i = 0; i < 3; ++i) {
    Queue("ISSUER0001", "card:" + std::to_string(i), "op_a" + std::to_string(i), 10);
    Queue("ISSUER0002", "card:" + std::to_string(i), "op_b" + std::to_string(i), 10);
  }
  int made = 0;
  for (const auto& n : Packable()) {
    Pack(n.issuer_id, {n.notification_id}, "w" + std::to_string(++made), 10);
  }
  ASSERT_EQ(made, 6);
  auto claimed = Claim(10, 2, {"ISSUER0002"});
  ASSERT_EQ(claimed.size(), 2U);
  for (const auto& m : claimed) EXPECT_EQ(m.issuer_id, "ISSUER0001");
  auto backlog = core::BlockOn(store_->NotificationBacklogs()).value();
  ASSERT_EQ(backlog.size(), 2U);
  EXPECT_EQ(backlog[0].issuer_id, "ISSUER0001");
  EXPECT_EQ(backlog[0].waiting, 3);
  EXPECT_EQ(backlog[0].oldest_created_ms, 10);
  EXPECT_EQ(core::BlockOn(store_->ListNotificationMessages("ISSUER0002", "PENDING", "", 10))
                .value()
                .size(),
            3U);
  EXPECT_EQ(core::BlockOn(store_->ListNotificationMessages("", "", "", 4)).value().size(), 4U);
}

TEST_P(NotificationQueriesTest, DeadMessagesFreeTheCardAndCanBeRedelivered) {
  Queue("ISSUER0001", "card:1", "op_a", 10);
  Queue("ISSUER0001", "card:1", "op_b", 11);
  const auto m1 = Pack("ISSUER0001", {Packable().at(0).notification_id}, "w1", 10);
  ASSERT_EQ(Claim(10).size(), 1U);
  ASSERT_TRUE(Write([&](WriteTx& tx) {
    return tx.EndNotificationMessage(m1, "DEAD", 50, std::string("HTTP 500"));
  }));
  // A dead letter no longer holds the card's later notifications back.
  EXPECT_EQ(Ops(Packable()), (std::vector<std::string>{"op_b"}));
  auto dead = core::BlockOn(store_->ListNotificationMessages("ISSUER0001", "DEAD", "", 10)).value();
  ASSERT_EQ(dead.size(), 1U);
  EXPECT_EQ(dead[0].last_error, "HTTP 500");
  bool redelivered = false;
  ASSERT_TRUE(Write([&](WriteTx& tx) -> core::Result<void> {
    auto r = tx.RedeliverNotificationMessage(m1, 70);
    if (!r) return tl::unexpected(r.error());
    redelivered = *r;
    auto twice = tx.RedeliverNotificationMessage(m1, 70);  // no longer DEAD
    EXPECT_TRUE(twice && !*twice);
    return {};
  }));
  EXPECT_TRUE(redelivered);
  auto back = Claim(70);
  ASSERT_EQ(back.size(), 1U);
  EXPECT_EQ(back[0].attempts, 1);
  EXPECT_EQ(back[0].created_ms, 70);
  EXPECT_EQ(back[0].webhook_id, "w1");
}

C2P_STORE_BACKENDS(NotificationQueriesTest);

}  // namespace
}  // namespace c2p::store
