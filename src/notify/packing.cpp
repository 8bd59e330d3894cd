#include "notify/packing.hpp"

#include <boost/json/serialize.hpp>

#include "http/percent_encode.hpp"

namespace c2p::notify {

namespace json = boost::json;

namespace {

std::string_view DigitalCardOperation(std::string_view operation) {
  if (operation == "DIGITIZE") return "ACTIVATE";
  return operation;  // SUSPEND, RESUME, DELETE
}

json::object ObjectOf(const PackContext& context, const store::NotificationRecord& n,
                      const std::map<std::string, store::OperationRecord, std::less<>>& ops) {
  auto op = ops.find(n.operation_id);
  if (op == ops.end()) return json::object{{"operationId", n.operation_id}};
  return ThinOperation(context.render, op->second, n.pending);
}

std::string DigitalCardBody(const json::object& thin) {
  json::object body;
  for (const char* key : {"operationId", "operation", "status", "cardId"}) {
    if (const auto* v = thin.if_contains(key)) body[key] = *v;
  }
  if (const auto* op = body.if_contains("operation"); op && op->is_string()) {
    // A copy first: the new value must not view the string it replaces.
    const std::string name(DigitalCardOperation(op->get_string()));
    body["operation"] = name;
  }
  if (const auto* details = thin.if_contains("details"); details && details->is_object()) {
    if (const auto* id = details->get_object().if_contains("digitalCardId")) {
      body["digitalCardId"] = *id;
    }
  }
  if (const auto* start = thin.if_contains("startTime")) body["startTime"] = *start;
  return json::serialize(body);
}

std::string DigitalCardId(const json::object& thin) {
  if (const auto* details = thin.if_contains("details"); details && details->is_object()) {
    if (const auto* id = details->get_object().if_contains("digitalCardId");
        id && id->is_string() && !id->get_string().empty()) {
      // The token service chose the id: it is percent-encoded into the path.
      return http::PercentEncode(id->get_string());
    }
  }
  return "unknown";
}

store::NotificationMessage NewMessage(const PackContext& context,
                                      const store::NotificationRecord& first, std::string path) {
  store::NotificationMessage m;
  m.webhook_id = context.new_webhook_id();
  m.issuer_id = first.issuer_id;
  m.kind = first.kind;
  m.path = std::move(path);
  m.correlation_id = first.correlation_id;
  m.next_attempt_ms = context.now_ms;
  m.created_ms = context.now_ms;
  return m;
}

}  // namespace

json::object ThinOperation(const RenderOperation& render, const store::OperationRecord& op,
                           bool pending) {
  json::object o = render(op);
  o.erase("reason");
  if (auto* error = o.if_contains("error"); error && error->is_object()) {
    json::object thin;
    if (const auto* code = error->get_object().if_contains("code")) thin["code"] = *code;
    *error = std::move(thin);
  }
  if (pending) {
    // The operation may have ended since it was created: this notification says it began.
    o["status"] = "PENDING";
    o.erase("endTime");
    o.erase("error");
    o.erase("details");
  }
  return o;
}

std::vector<PackedMessage> PackNotifications(
    const std::vector<store::NotificationRecord>& queued,
    const std::map<std::string, store::OperationRecord, std::less<>>& operations,
    const PackContext& context) {
  std::vector<PackedMessage> out;
  // Batches still open, by (issuer, kind): index into `out` and its operations so far.
  struct Open {
    std::size_t index;
    json::array operations;
  };
  std::map<std::pair<std::string, std::string>, Open> open;
  auto close = [&](Open& batch) {
    out[batch.index].message.body = json::serialize(json::object{{"operations", batch.operations}});
  };
  for (const auto& n : queued) {
    json::object thin = ObjectOf(context, n, operations);
    if (n.kind == "DIGITAL_CARD") {
      PackedMessage m{NewMessage(context, n,
                                 "/notifications/d1/v1/issuers/" + n.issuer_id + "/digitalCards/" +
                                     DigitalCardId(thin) + "/notifications"),
                      {n.notification_id}};
      m.message.body = DigitalCardBody(thin);
      out.push_back(std::move(m));
      continue;
    }
    const std::string collection = n.kind == "CONSUMER" ? "consumers" : "cards";
    const auto key = std::make_pair(n.issuer_id, n.kind);
    auto it = open.find(key);
    const unsigned max = std::max(1U, context.max_operations(n.issuer_id));
    if (it != open.end() && it->second.operations.size() >= max) {
      close(it->second);
      open.erase(it);
      it = open.end();
    }
    if (it == open.end()) {
      out.push_back(
          {NewMessage(context, n, "/notifications/d1/v2/issuers/" + n.issuer_id + "/" + collection),
           {}});
      it = open.emplace(key, Open{out.size() - 1, {}}).first;
    }
    it->second.operations.push_back(std::move(thin));
    out[it->second.index].notification_ids.push_back(n.notification_id);
  }
  for (auto& [key, batch] : open) close(batch);
  return out;
}

}  // namespace c2p::notify
