#include "notify/packing.hpp"

#include <set>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace c2p::notify {
namespace {

namespace json = boost::json;

store::NotificationRecord Queued(std::int64_t id, const std::string& issuer,
                                 const std::string& kind, const std::string& op,
                                 bool pending = false) {
  store::NotificationRecord n;
  n.notification_id = id;
  n.issuer_id = issuer;
  n.kind = kind;
  n.order_key = "card:" + std::to_string(id);
  n.operation_id = op;
  n.pending = pending;
  n.correlation_id = "corr-" + op;
  return n;
}

store::OperationRecord Operation(const std::string& id, const std::string& type) {
  store::OperationRecord op;
  op.operation_id = id;
  op.operation = type;
  op.status = "FAILED";
  op.card_id = "crd_" + id;
  op.reason = "free text from the issuer";
  op.error_code = "NETWORK_REJECTED";
  op.error_message = "rejected";
  op.details_json = R"({"digitalCardId":"vdc/1"})";
  return op;
}

// A stand-in for the API's view with the members the packer works on.
json::object Render(const store::OperationRecord& op) {
  json::object o{{"operationId", op.operation_id},
                 {"operation", op.operation},
                 {"status", op.status},
                 {"startTime", "2026-12-06T00:00:00.000Z"},
                 {"endTime", "2026-12-06T00:00:01.000Z"}};
  if (op.card_id) o["cardId"] = *op.card_id;
  if (op.reason) o["reason"] = *op.reason;
  if (op.error_code) o["error"] = json::object{{"code", *op.error_code}, {"message", "m"}};
  if (op.details_json) o["details"] = json::parse(*op.details_json);
  return o;
}

class Packing : public ::testing::Test {
 protected:
  PackContext Context(unsigned max) {
    PackContext c;
    c.render = &Render;
    c.max_operations = [max](std::string_view) { return max; };
    c.new_webhook_id = [this] { return "msg_" + std::to_string(++ids_); };
    c.now_ms = 42;
    return c;
  }
  std::map<std::string, store::OperationRecord, std::less<>> ops_;
  int ids_ = 0;
};

TEST_F(Packing, BatchesPerIssuerAndKindUpToTheIssuersMaximum) {
  std::vector<store::NotificationRecord> queued;
  for (int i = 1; i <= 5; ++i) {
    const std::string id = "op" + std::to_string(i);
    ops_.emplace(id, Operation(id, "CLICK_TO_PAY_ENROLMENT"));
    queued.push_back(Queued(i, i == 3 ? "ISSUER0002" : "ISSUER0001", "CARD", id));
  }
  ops_.emplace("opc", Operation("opc", "CLICK_TO_PAY_OPTOUT"));
  queued.push_back(Queued(6, "ISSUER0001", "CONSUMER", "opc"));
  auto out = PackNotifications(queued, ops_, Context(2));
  ASSERT_EQ(out.size(), 4U);
  EXPECT_EQ(out[0].message.path, "/notifications/d1/v2/issuers/ISSUER0001/cards");
  EXPECT_EQ(out[0].notification_ids, (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(out[0].message.correlation_id, "corr-op1");
  EXPECT_EQ(out[0].message.created_ms, 42);
  EXPECT_EQ(out[1].message.path, "/notifications/d1/v2/issuers/ISSUER0002/cards");
  EXPECT_EQ(out[1].notification_ids, (std::vector<std::int64_t>{3}));
  EXPECT_EQ(out[2].notification_ids, (std::vector<std::int64_t>{4, 5}));
  EXPECT_EQ(out[3].message.path, "/notifications/d1/v2/issuers/ISSUER0001/consumers");
  std::set<std::string> webhook_ids;
  for (const auto& m : out) webhook_ids.insert(m.message.webhook_id);
  EXPECT_EQ(webhook_ids.size(), out.size());

  auto body = json::parse(out[0].message.body).as_object();
  const auto& operations = body.at("operations").as_array();
  ASSERT_EQ(operations.size(), 2U);
  const auto& first = operations[0].as_object();
  EXPECT_EQ(first.at("operationId"), "op1");
  EXPECT_FALSE(first.contains("reason"));  // thin: no free text
  EXPECT_EQ(first.at("error").as_object(), (json::object{{"code", "NETWORK_REJECTED"}}));
}

TEST_F(Packing, DigitalCardEventsGoOneByOneToTheirOwnPath) {
  ops_.emplace("opd", Operation("opd", "DIGITIZE"));
  auto out = PackNotifications({Queued(1, "ISSUER0001", "DIGITAL_CARD", "opd")}, ops_, Context(10));
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].message.path,
            "/notifications/d1/v1/issuers/ISSUER0001/digitalCards/vdc%2F1/notifications");
  auto body = json::parse(out[0].message.body).as_object();
  EXPECT_EQ(body.at("operation"), "ACTIVATE");
  EXPECT_EQ(body.at("digitalCardId"), "vdc/1");
  EXPECT_EQ(body.at("cardId"), "crd_opd");
  EXPECT_EQ(body.at("startTime"), "2026-12-06T00:00:00.000Z");
  EXPECT_FALSE(body.contains("error"));
}

TEST_F(Packing, EveryTokenEventNamesItsOperation) {
  for (const auto& [type, told] :
       {std::pair{"DIGITIZE", "ACTIVATE"}, std::pair{"SUSPEND", "SUSPEND"},
        std::pair{"RESUME", "RESUME"}, std::pair{"DELETE", "DELETE"}}) {
    ops_.clear();
    ops_.emplace("op", Operation("op", type));
    auto out =
        PackNotifications({Queued(1, "ISSUER0001", "DIGITAL_CARD", "op")}, ops_, Context(10));
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(json::parse(out[0].message.body).as_object().at("operation"), told) << type;
  }
}

TEST_F(Packing, APendingNotificationSaysTheOperationBeganAndAMissingOneKeepsItsId) {
  ops_.emplace("op1", Operation("op1", "CLICK_TO_PAY_ENROLMENT"));
  auto out = PackNotifications({Queued(1, "ISSUER0001", "CARD", "op1", /*pending=*/true),
                                Queued(2, "ISSUER0001", "CARD", "gone")},
                               ops_, Context(10));
  ASSERT_EQ(out.size(), 1U);
  auto body = json::parse(out[0].message.body).as_object();
  const auto& pending = body.at("operations").as_array()[0].as_object();
  EXPECT_EQ(pending.at("status"), "PENDING");
  EXPECT_FALSE(pending.contains("endTime") || pending.contains("error") ||
               pending.contains("details"));
  EXPECT_EQ(body.at("operations").as_array()[1].as_object(),
            (json::object{{"operationId", "gone"}}));
}

}  // namespace
}  // namespace c2p::notify
