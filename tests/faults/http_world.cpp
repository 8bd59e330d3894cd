#include "tests/faults/http_world.hpp"

#include <thread>
#include <utility>

#include <boost/json/parse.hpp>

#include "tests/support/raw_client.hpp"

namespace c2p::faults {

namespace json = boost::json;
using testing::Fetch;

namespace {

std::optional<json::object> Object(const std::string& body) {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

std::string Text(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

StoredOperation ToStored(const std::string& issuer, const json::object& o) {
  return {issuer,
          Text(o, "operationId"),
          Text(o, "operation"),
          Text(o, "status"),
          Text(o, "cardId"),
          Text(o, "endTime"),
          Text(o, "startTime")};
}

}  // namespace

HttpWorld::HttpWorld(Endpoints endpoints) : endpoints_(std::move(endpoints)) {}

HttpWorld::Answer HttpWorld::Get(const std::string& issuer, const std::string& target,
                                 std::chrono::seconds wait) {
  const auto token = endpoints_.tokens.find(issuer);
  const std::string headers =
      token == endpoints_.tokens.end() ? "" : "Authorization: Bearer " + token->second + "\r\n";
  const auto& ports = endpoints_.c2pd_ports;
  for (std::size_t attempt = 0; attempt < 5 * ports.size(); ++attempt) {
    const std::uint16_t port = ports[next_++ % ports.size()];
    auto r = Fetch(port, "GET", target, {}, headers, wait + std::chrono::seconds(10));
    if (r && r->status != 502 && r->status != 503) return {r->status, std::move(r->body)};
    if (attempt % ports.size() == ports.size() - 1) Pause(std::chrono::milliseconds(200));
  }
  return {};
}

std::optional<std::vector<StoredOperation>> HttpWorld::CardOperations(const std::string& issuer,
                                                                      const std::string& card) {
  constexpr std::size_t kPage = 100;
  std::vector<StoredOperation> out;
  for (std::size_t offset = 0;; offset += kPage) {
    auto a = Get(issuer, "/banking/v1/issuers/" + issuer + "/cards/" + card +
                             "/operations?offset=" + std::to_string(offset) +
                             "&limit=" + std::to_string(kPage));
    if (a.status == 404) return out;  // the card itself was never stored
    if (a.status != 200) return std::nullopt;
    auto body = Object(a.body);
    const auto* list = body ? body->if_contains("operations") : nullptr;
    if (list == nullptr || !list->is_array()) return std::nullopt;
    for (const auto& o : list->as_array()) {
      if (o.is_object()) out.push_back(ToStored(issuer, o.as_object()));
    }
    if (list->as_array().size() < kPage) return out;
  }
}

World::Lookup HttpWorld::Operation(const std::string& issuer, const std::string& id,
                                   std::chrono::seconds wait) {
  std::string target = "/banking/v1/issuers/" + issuer + "/operations/" + id;
  if (wait.count() > 0) target += "?wait=" + std::to_string(wait.count());
  auto a = Get(issuer, target, wait);
  if (a.status == 404) return {Found::kNo, {}};
  auto body = a.status == 200 ? Object(a.body) : std::nullopt;
  if (!body) return {Found::kUnreadable, {}};
  return {Found::kYes, ToStored(issuer, *body)};
}

std::optional<std::vector<Notified>> HttpWorld::Notifications() {
  auto r = Fetch(endpoints_.sim_port, "GET", "/sim/v1/issuer/notifications", {}, {},
                 std::chrono::seconds(30));
  auto body = r && r->status == 200 ? Object(r->body) : std::nullopt;
  const auto* list = body ? body->if_contains("notifications") : nullptr;
  if (list == nullptr || !list->is_array()) return std::nullopt;
  std::vector<Notified> out;
  for (const auto& v : list->as_array()) {
    if (!v.is_object()) continue;
    const auto& n = v.as_object();
    const std::string issuer = Text(n, "issuerId");
    const auto* b = n.if_contains("body");
    if (b == nullptr || !b->is_object()) continue;
    const auto& nb = b->as_object();
    // Card and consumer notifications carry operations[]; a digital card's is one event.
    if (const auto* ops = nb.if_contains("operations"); ops != nullptr && ops->is_array()) {
      for (const auto& op : ops->as_array()) {
        if (!op.is_object()) continue;
        const auto& o = op.as_object();
        out.push_back({issuer, Text(o, "operationId"), Text(o, "status"), Text(o, "cardId")});
      }
    } else {
      out.push_back({issuer, Text(nb, "operationId"), Text(nb, "status"), Text(nb, "cardId")});
    }
  }
  return out;
}

std::optional<std::map<std::string, std::int64_t>> HttpWorld::DuplicateEnrolments() {
  auto r = Fetch(endpoints_.sim_port, "GET", "/sim/v1/stats");
  auto body = r && r->status == 200 ? Object(r->body) : std::nullopt;
  if (!body) return std::nullopt;
  std::map<std::string, std::int64_t> out;
  for (const char* network : {"visa", "mastercard"}) {
    const auto* n = body->if_contains(network);
    const auto* d = n != nullptr && n->is_object()
                        ? n->as_object().if_contains("duplicateEnrolments")
                        : nullptr;
    if (d == nullptr || !d->is_number()) return std::nullopt;
    out[network] = d->to_number<std::int64_t>();
  }
  return out;
}

void HttpWorld::Pause(std::chrono::milliseconds pause) { std::this_thread::sleep_for(pause); }

CheckResult Check(const History& history, const Endpoints& endpoints, const CheckOptions& options) {
  HttpWorld world(endpoints);
  return CheckHistory(history, world, options);
}

std::map<std::string, std::int64_t> DuplicatesNow(std::uint16_t sim_port) {
  HttpWorld world({{}, {}, sim_port});
  return world.DuplicateEnrolments().value_or(std::map<std::string, std::int64_t>{});
}

}  // namespace c2p::faults
