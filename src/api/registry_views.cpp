#include "api/registry_views.hpp"

#include <chrono>

#include <boost/json/parse.hpp>

#include "core/time_format.hpp"

namespace c2p::api {

namespace json = boost::json;

namespace {

std::string IsoMillis(std::int64_t ms) {
  return core::FormatIsoMillis(core::SystemTime(std::chrono::milliseconds(ms)));
}

void PutIf(json::object& o, std::string_view key, const std::optional<std::string>& value) {
  if (value) o[key] = *value;
}

}  // namespace

json::object CardView(const store::CardRecord& card, const domain::CardExpiry& exp) {
  json::object click_to_pay{{"status", card.click_to_pay_status}};
  PutIf(click_to_pay, "digitalCardId", card.digital_card_id);
  if (card.digital_card_id) {
    // [c2p] the token's own state at the network, from its token service's events.
    click_to_pay["digitalCardStatus"] =
        card.suspended_digital_card_id == card.digital_card_id ? "SUSPENDED" : "ACTIVE";
  }
  return json::object{{"cardId", card.card_id},
                      {"consumerId", card.consumer_id},
                      {"cardProductId", card.card_product_id},
                      {"state", card.state},
                      {"network", card.network},
                      {"panLast4", card.pan_last4},
                      {"exp", exp.ToDisplay()},
                      {"clickToPay", std::move(click_to_pay)}};
}

json::object OperationJson(const store::OperationRecord& op) {
  json::object o{{"operationId", op.operation_id},
                 {"operation", op.operation},
                 {"status", op.status},
                 {"startTime", IsoMillis(op.start_ms)}};
  if (op.end_ms) o["endTime"] = IsoMillis(*op.end_ms);
  o["requestorType"] = op.requestor_type;
  o["requestorId"] = op.requestor_id;
  PutIf(o, "cardId", op.card_id);
  PutIf(o, "consumerId", op.consumer_id);
  PutIf(o, "network", op.network);
  PutIf(o, "reason", op.reason);
  PutIf(o, "reasonCode", op.reason_code);
  if (op.error_code) {
    o["error"] = json::object{{"code", *op.error_code}, {"message", op.error_message.value_or("")}};
  }
  if (op.details_json) {
    boost::system::error_code ec;
    auto details = json::parse(*op.details_json, ec);
    if (!ec && details.is_object()) o["details"] = std::move(details);
  }
  return o;
}

http::Reply OperationResult(const store::OperationRecord& op) {
  const json::object body{{"operationId", op.operation_id}, {"status", op.status}};
  if (op.end_ms) return http::Json(http::Status::ok, body);
  auto reply = http::Json(http::Status::accepted, body);
  // The getter of spec/api.md §5.8 ([c2p] issuer-level form, valid for card and consumer).
  reply.WithHeader("Location",
                   "/banking/v1/issuers/" + op.issuer_id + "/operations/" + op.operation_id);
  return reply;
}

}  // namespace c2p::api
