// Notifications to the issuer end to end (issue 8, shared/spec/outbound.md §3): a real c2pd
// delivering to c2psim's stand-in issuer, which checks every Standard Webhooks signature
// and the outbound OAuth bearer, de-duplicates by webhook-id and records what it received.
// ISSUER0002 notifies (at most 2 operations per request) on a compressed retry schedule.

#include <csignal>
#include <map>
#include <set>

#include "tests/e2e/enrol_fixture.hpp"

namespace c2p::testing {
namespace {

class Notifications : public EnrolE2e {
 protected:
  static void SetUpTestSuite() {
    notify_issuer_b_ = true;
    // lease_ms: on PostgreSQL a restarted node leaves the messages the killed one had
    // claimed until their lease lapses (other nodes may be alive: docs/deployment.md), so
    // the kill -9 case holds a short one; it stays above the 2 s attempt timeout.
    notifications_config_ =
        "[notifications]\nretry_schedule_ms = [50, 100, 200]\njitter_percent = 0\n"
        "timeout_ms = 2000\nlease_ms = 4000\n";
    EnrolE2e::SetUpTestSuite();
  }
  static void TearDownTestSuite() {
    EnrolE2e::TearDownTestSuite();
    notify_issuer_b_ = false;
    notifications_config_.clear();
  }
  void TearDown() override { Behave(""); }

  static json::object Received(const std::string& card_id = {}) {
    auto r = Fetch(sim_->sim_port, "GET",
                   "/sim/v1/issuer/notifications" + (card_id.empty() ? "" : "?cardId=" + card_id));
    EXPECT_TRUE(r && r->status == 200);
    return r ? json::parse(r->body).as_object() : json::object{};
  }

  // The operation ids the issuer was told about for `card`, in the order received, each
  // with its kind ("cards" or "digitalCards").
  static std::vector<std::pair<std::string, std::string>> ToldAbout(const std::string& card) {
    std::vector<std::pair<std::string, std::string>> out;
    const json::object received = Received(card);
    for (const auto& n : received.at("notifications").as_array()) {
      const auto& o = n.as_object();
      const auto& body = o.at("body").as_object();
      const std::string path(o.at("path").as_string());
      if (body.contains("operations")) {
        for (const auto& op : body.at("operations").as_array()) {
          if (op.as_object().at("cardId").as_string() == card) {
            out.emplace_back(std::string(op.as_object().at("operationId").as_string()), "cards");
          }
        }
      } else {
        out.emplace_back(std::string(body.at("operationId").as_string()), "digitalCards");
      }
    }
    return out;
  }

  // The card's operations the issuer must hear about, in the order they ended in the store.
  static std::vector<std::string> EndedInOrder(const std::string& card) {
    // Card ids here are the test's own ("k-<tag>-<n>"): safe to inline on either store.
    return QueryStrings(
        "SELECT n.operation_id FROM notifications n JOIN operations o ON o.issuer_id = "
        "n.issuer_id AND o.operation_id = n.operation_id WHERE o.card_id = '" +
        card + "' ORDER BY n.notification_id");
  }

  static std::string Ctl(const std::vector<std::string>& args, int* rc = nullptr) {
    std::vector<std::string> argv{BinDir() + "/c2pctl", "notifications"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--config", ConfigPath()});
    const std::string out = dir_ + "/c2pctl-notifications.out";
    auto p = Process::Start(argv, out);
    EXPECT_TRUE(p);
    if (!p) return {};
    const auto code = p->Wait(std::chrono::seconds(30));
    if (rc) *rc = code.value_or(-1);
    return ReadFile(out);
  }

  // Enrols fresh cards of ISSUER0002's known consumers (alternating networks), one per
  // consumer, and waits for every operation to end SUCCESSFUL.
  std::vector<std::string> EnrolCards(int count, const std::string& tag) {
    std::vector<std::string> cards;
    std::vector<std::string> ops;
    for (int i = 0; i < count; ++i) {
      const std::string card = "k-" + tag + "-" + std::to_string(i);
      const bool visa = i % 2 == 0;
      RegisterCard("c-fetch-" + std::to_string(next_consumer_++ % fetched_consumers_), card,
                   TestPan(visa ? "4" : "51"), visa ? "VISA_CLASSIC" : "MC_STANDARD", kIssuerB);
      cards.push_back(card);
    }
    for (const auto& card : cards) ops.push_back(Enrol(card, {}, kIssuerB));
    for (const auto& op : ops) {
      EXPECT_EQ(Ended(op, kIssuerB).at("status").as_string(), "SUCCESSFUL");
    }
    return cards;
  }

  // Every notification of each card reached the issuer exactly in the order its
  // operations ended: the enrolment (cards) and the token's activation (digitalCards).
  static void ExpectDeliveredInOrder(const std::vector<std::string>& cards) {
    for (const auto& card : cards) {
      std::vector<std::string> expected;
      ASSERT_TRUE(Eventually(
          [&] {
            expected = EndedInOrder(card);
            return expected.size() >= 2 && ToldAbout(card).size() == expected.size();
          },
          std::chrono::seconds(30)))
          << card << ": " << json::serialize(Received(card));
      std::vector<std::string> told;
      std::set<std::string> kinds;
      for (const auto& [op, kind] : ToldAbout(card)) {
        told.push_back(op);
        kinds.insert(kind);
      }
      EXPECT_EQ(told, expected) << card;
      EXPECT_EQ(kinds, (std::set<std::string>{"cards", "digitalCards"})) << card;
    }
  }

  static inline int next_consumer_ = 0;
};

TEST_F(Notifications, SignedBatchedAndInOrderPerCard) {
  const auto before = Received().at("notifications").as_array().size();
  const auto duplicates = Received().at("duplicates").to_number<std::int64_t>();
  auto cards = EnrolCards(6, "a");
  ExpectDeliveredInOrder(cards);
  auto all = Received();
  // The stand-in refused nothing (signature, timestamp and bearer all checked) and saw no
  // webhook-id twice.
  EXPECT_EQ(all.at("duplicates").to_number<std::int64_t>(), duplicates);
  std::set<std::string> webhook_ids;
  std::size_t operations = 0;
  const auto& list = all.at("notifications").as_array();
  for (std::size_t i = before; i < list.size(); ++i) {
    const auto& n = list[i].as_object();
    EXPECT_TRUE(webhook_ids.insert(std::string(n.at("webhookId").as_string())).second);
    EXPECT_EQ(n.at("issuerId").as_string(), kIssuerB);
    const auto& body = n.at("body").as_object();
    if (!body.contains("operations")) {
      EXPECT_EQ(body.at("operation").as_string(), "ACTIVATE");
      EXPECT_EQ(body.at("status").as_string(), "SUCCESSFUL");
      EXPECT_TRUE(body.at("digitalCardId").is_string());
      continue;
    }
    const auto& ops = body.at("operations").as_array();
    EXPECT_LE(ops.size(), 2U);  // max_operations_per_notification
    for (const auto& op : ops) {
      const auto& o = op.as_object();
      EXPECT_EQ(o.at("operation").as_string(), "CLICK_TO_PAY_ENROLMENT");
      EXPECT_EQ(o.at("status").as_string(), "SUCCESSFUL");
      EXPECT_FALSE(o.contains("reason"));
      ++operations;
    }
  }
  EXPECT_EQ(operations, cards.size());
  EXPECT_GE(Metric("c2p_notifications_delivered_total"), 6);
  // Nothing personal or card data in what the issuer received.
  const std::string text = json::serialize(all);
  std::vector<std::string> pans;
  {
    std::lock_guard lock(responses_mu_);
    pans = pans_;
  }
  for (const auto& pan : pans) EXPECT_EQ(text.find(pan), std::string::npos);
  EXPECT_EQ(text.find("fetched@example.com"), std::string::npos);
}

TEST_F(Notifications, ReceiverDownThenBackGetsEverythingInOrder) {
  Behave(R"({"status":503})");
  const auto retried = Metric("c2p_notifications_retried_total");
  auto cards = EnrolCards(4, "down");
  ASSERT_TRUE(Eventually([&] { return Metric("c2p_notifications_retried_total") >= retried + 4; },
                         std::chrono::seconds(30)));
  for (const auto& card : cards) EXPECT_TRUE(ToldAbout(card).empty()) << card;
  Behave("");
  ExpectDeliveredInOrder(cards);
}

// notify_pending: a D1 cascade (the opt-out of a deleted enrolled card) is told when it
// starts and when it ends, in that order, with the card's other notifications.
TEST_F(Notifications, D1OperationsAreToldWhenTheyStartWithNotifyPending) {
  auto cards = EnrolCards(1, "d1");
  ExpectDeliveredInOrder(cards);
  auto r = Call("POST", Card(kIssuerB, cards[0]) + "/operations:delete", {}, kIssuerB);
  ASSERT_EQ(r.status, 202) << r.body;
  Ended(std::string(Body(r).at("operationId").as_string()), kIssuerB);
  ExpectDeliveredInOrder(cards);
  std::vector<std::string> optout_statuses;
  const json::object received = Received(cards[0]);
  for (const auto& n : received.at("notifications").as_array()) {
    const auto& body = n.as_object().at("body").as_object();
    if (!body.contains("operations")) continue;
    for (const auto& op : body.at("operations").as_array()) {
      const auto& o = op.as_object();
      if (o.at("operation").as_string() != "CLICK_TO_PAY_OPTOUT") continue;
      EXPECT_EQ(o.at("requestorType").as_string(), "D1");
      optout_statuses.emplace_back(o.at("status").as_string());
    }
  }
  EXPECT_EQ(optout_statuses, (std::vector<std::string>{"PENDING", "SUCCESSFUL"}));
}

// A consumer operation is told on the consumers path; the D1 opt-out of each of its
// enrolled cards on the cards path, in that card's order.
TEST_F(Notifications, ConsumerOperationsAndTheirCardOperationsAreTold) {
  auto cards = EnrolCards(1, "cons");
  ExpectDeliveredInOrder(cards);
  auto card = Call("GET", Card(kIssuerB, cards[0]), {}, kIssuerB);
  const std::string consumer(Body(card).at("consumerId").as_string());
  auto r = Call("POST",
                "/banking/v1/issuers/" + std::string(kIssuerB) + "/consumers/" + consumer +
                    "/operations:clickToPayOptOut",
                {}, kIssuerB);
  ASSERT_EQ(r.status, 202) << r.body;
  const std::string op(Body(r).at("operationId").as_string());
  EXPECT_EQ(Ended(op, kIssuerB).at("status").as_string(), "SUCCESSFUL");
  ExpectDeliveredInOrder(cards);
  const std::string consumers_path =
      "/sim/v1/issuer/notifications/d1/v2/issuers/" + std::string(kIssuerB) + "/consumers";
  ASSERT_TRUE(Eventually(
      [&] {
        const json::object all = Received();
        for (const auto& n : all.at("notifications").as_array()) {
          const auto& o = n.as_object();
          if (o.at("body").as_object().contains("operations") &&
              json::serialize(o.at("body")).find(op) != std::string::npos) {
            EXPECT_EQ(o.at("path").as_string(), consumers_path);
            return true;
          }
        }
        return false;
      },
      std::chrono::seconds(30)));
}

// The stand-in keeps what it finally accepts: the issuer may see the same webhook-id twice
// (at least once delivery) and de-duplicates on it.
// A delivery that ends while the delivery loop is busy with a round's store writes must not
// be slept through. With the loop's idle poll at ten minutes, only its own wake-ups carry
// each card's notifications through; before the fix a wake-up that came during a round was
// lost, and the loop slept until the (1 s) poll with nothing in flight.
class NotificationWakeUps : public Notifications {
 protected:
  static void SetUpTestSuite() {
    notify_issuer_b_ = true;
    notifications_config_ =
        "[notifications]\nidle_poll_ms = 600000\n"
        "retry_schedule_ms = [50, 100, 200]\njitter_percent = 0\ntimeout_ms = 2000\n";
    fetched_consumers_ = 64;  // one enrolment at a time per consumer: a consumer per card
    // Two notified issuers: a claim round then writes even while ISSUER0002 is at its
    // concurrency limit, and deliveries ending during that write were the lost wake-ups.
    notify_issuer_a_ = true;
    EnrolE2e::SetUpTestSuite();
  }
  static void TearDownTestSuite() {
    Notifications::TearDownTestSuite();
    notify_issuer_a_ = false;
    fetched_consumers_ = 8;
  }
};

TEST_F(NotificationWakeUps, EveryCardIsToldWithoutWaitingForThePoll) {
  ExpectDeliveredInOrder(EnrolCards(60, "wake"));
}

TEST_F(Notifications, SlowReceiverTimesOutAndIsRetried) {
  Behave(R"({"delayMs":2500})");  // beyond the 2 s attempt timeout
  const auto retried = Metric("c2p_notifications_retried_total");
  auto cards = EnrolCards(1, "slow");
  ASSERT_TRUE(Eventually([&] { return Metric("c2p_notifications_retried_total") > retried; },
                         std::chrono::seconds(30)));
  Behave("");
  ExpectDeliveredInOrder(cards);
}

// S7: a 3xx is a failure like any other (never followed) and the request is retried.
TEST_F(Notifications, RedirectsAreNotFollowed) {
  Behave(R"({"status":302})");
  const auto retried = Metric("c2p_notifications_retried_total");
  auto cards = EnrolCards(1, "redirect");
  ASSERT_TRUE(Eventually([&] { return Metric("c2p_notifications_retried_total") >= retried + 2; },
                         std::chrono::seconds(30)));
  EXPECT_TRUE(ToldAbout(cards[0]).empty());
  Behave("");
  ExpectDeliveredInOrder(cards);
}

TEST_F(Notifications, A410SuspendsTheIssuerUntilResumed) {
  Behave(R"({"status":410})");
  auto cards = EnrolCards(1, "gone");
  ASSERT_TRUE(Eventually([&] { return Metric("c2p_notifications_suspended") == 1; },
                         std::chrono::seconds(30)));
  Behave("");
  // Suspended: nothing goes out however long we look, until an operator resumes.
  EXPECT_NE(Ctl({"list", "--issuer", kIssuerB}).find("suspended issuer " + std::string(kIssuerB)),
            std::string::npos);
  EXPECT_FALSE(
      Eventually([&] { return !ToldAbout(cards[0]).empty(); }, std::chrono::milliseconds(500)));
  int rc = -1;
  EXPECT_NE(Ctl({"resume", "--issuer", kIssuerB}, &rc).find("resumed"), std::string::npos);
  EXPECT_EQ(rc, 0);
  ExpectDeliveredInOrder(cards);
  EXPECT_TRUE(Eventually([&] { return Metric("c2p_notifications_suspended") == 0; },
                         std::chrono::seconds(10)));
}

TEST_F(Notifications, KillNineWithNotificationsPendingLosesNone) {
  const auto duplicates = Received().at("duplicates").to_number<std::int64_t>();
  Behave(R"({"status":500})");
  auto cards = EnrolCards(3, "kill");
  ASSERT_TRUE(Eventually(
      [&] {
        return QueryInt(
                   "SELECT COUNT(*) FROM notification_messages WHERE state = 'PENDING' "
                   "AND attempts >= 1") >= 3;
      },
      std::chrono::seconds(30)));
  daemon_->Signal(SIGKILL);
  ASSERT_TRUE(daemon_->Wait(std::chrono::seconds(10)));
  Behave("");
  StartDaemon({"pan-v1.jwk"});
  ExpectDeliveredInOrder(cards);
  // Every attempt before the kill was refused, so nothing reached the issuer twice.
  EXPECT_EQ(Received().at("duplicates").to_number<std::int64_t>(), duplicates);
}

// A compressed horizon: a notification still failing after it is DEAD, listed, and sent
// again (same webhook-id) by c2pctl.
class DeadNotifications : public Notifications {
 protected:
  static void SetUpTestSuite() {
    notify_issuer_b_ = true;
    notifications_config_ =
        "[notifications]\nretry_schedule_ms = [50]\nhorizon_ms = 400\njitter_percent = 0\n";
    EnrolE2e::SetUpTestSuite();
  }
};

TEST_F(DeadNotifications, AfterTheHorizonTheyAreDeadAndCanBeRedelivered) {
  Behave(R"({"status":500})");
  auto cards = EnrolCards(1, "dead");
  ASSERT_TRUE(Eventually(
      [&] {
        return QueryInt("SELECT COUNT(*) FROM notification_messages WHERE state = 'DEAD'") >= 2;
      },
      std::chrono::seconds(30)));
  EXPECT_GE(Metric("c2p_notifications_dead_total"), 2);
  const std::string dead = Ctl({"dead", "--issuer", kIssuerB, "--card", cards[0]});
  EXPECT_NE(dead.find(" DEAD operations=1 "), std::string::npos) << dead;
  EXPECT_NE(dead.find("last_error=HTTP 500"), std::string::npos) << dead;
  EXPECT_EQ(dead.find(cards[0]), std::string::npos) << "no bodies in the listing";
  Behave("");
  int rc = -1;
  EXPECT_NE(Ctl({"redeliver", "--issuer", kIssuerB}, &rc).find("redelivering"), std::string::npos);
  EXPECT_EQ(rc, 0);
  ExpectDeliveredInOrder(cards);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM notification_messages WHERE state = 'DEAD'"), 0);
}

}  // namespace
}  // namespace c2p::testing
