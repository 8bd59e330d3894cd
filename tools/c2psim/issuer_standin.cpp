#include "issuer_standin.hpp"

#include <fstream>
#include <sstream>

#include "core/ids.hpp"
#include "core/strict_json.hpp"
#include "fields.hpp"
#include "http/form.hpp"
#include "webhook.hpp"

namespace c2p::sim {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr std::string_view kBase = "/sim/v1/issuer";
constexpr std::chrono::seconds kTokenLifetime{900};

http::Reply IssuerError(unsigned status, std::string_view code, std::string_view message) {
  return JsonReply(status, json::object{{"errorCode", code}, {"error", message}});
}

std::string StringMember(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

// "Basic base64(id:secret)" → "id:secret"; empty when malformed.
std::string BasicCredentials(std::string_view header) {
  constexpr std::string_view kPrefix = "Basic ";
  if (!header.starts_with(kPrefix)) return {};
  auto bytes = DecodeBase64(header.substr(kPrefix.size()));
  return bytes ? std::string(bytes->begin(), bytes->end()) : std::string();
}

// The cardIds a notification body is about: operations[].cardId, or cardId.
bool MentionsCard(const json::value& body, std::string_view card_id) {
  if (!body.is_object()) return false;
  const json::object& o = body.get_object();
  if (StringMember(o, "cardId") == card_id) return true;
  const json::value* ops = o.if_contains("operations");
  if (ops == nullptr || !ops->is_array()) return false;
  for (const json::value& op : ops->get_array()) {
    if (op.is_object() && StringMember(op.get_object(), "cardId") == card_id) return true;
  }
  return false;
}

}  // namespace

core::Result<std::vector<ConsumerFixture>> ParseConsumerFixtures(std::string_view text) {
  auto parsed = core::ParseStrictJson(text);
  auto bad = [](const std::string& what) {
    return core::Fail(core::ErrorCode::kConfigInvalid, "issuer.consumers_file: " + what);
  };
  if (!parsed || !parsed->is_object()) return bad("must be a JSON object");
  const json::value* list = parsed->get_object().if_contains("consumers");
  if (list == nullptr || !list->is_array()) return bad("consumers must be an array");
  std::vector<ConsumerFixture> out;
  for (std::size_t i = 0; i < list->get_array().size(); ++i) {
    const json::value& entry = list->get_array()[i];
    const std::string where = "consumers[" + std::to_string(i) + "]";
    if (!entry.is_object()) return bad(where + " must be an object");
    const json::object& o = entry.get_object();
    ConsumerFixture f;
    f.issuer_id = StringMember(o, "issuerId");
    f.consumer_id = StringMember(o, "consumerId");
    f.card_id = StringMember(o, "cardId");
    const json::value* info = o.if_contains("consumerInfo");
    if (f.issuer_id.empty() || f.consumer_id.empty() || info == nullptr || !info->is_object()) {
      return bad(where + " needs issuerId, consumerId and a consumerInfo object");
    }
    f.consumer_info = info->get_object();
    if (const json::value* a = o.if_contains("billingAddress")) {
      if (!a->is_object()) return bad(where + ".billingAddress must be an object");
      f.billing_address = a->get_object();
    }
    out.push_back(std::move(f));
  }
  return out;
}

bool ParseIssuerBehaviour(const json::value& body, IssuerBehaviour& out, std::string& error) {
  if (!body.is_object()) {
    error = "the body must be a JSON object";
    return false;
  }
  IssuerBehaviour b;
  for (const auto& member : body.get_object()) {
    const json::value& v = member.value();
    if (!v.is_number()) {
      error = "members must be numbers";
      return false;
    }
    const double d = v.to_number<double>();
    if (member.key() == "status" && d >= 200 && d <= 599) {
      b.status = static_cast<unsigned>(d);
    } else if (member.key() == "delayMs" && d >= 0 && d <= 60'000) {
      b.delay = std::chrono::milliseconds(static_cast<std::int64_t>(d));
    } else {
      error = "status must be 200-599 and delayMs 0-60000; nothing else is known";
      return false;
    }
  }
  out = b;
  return true;
}

core::Result<std::unique_ptr<IssuerStandIn>> IssuerStandIn::Create(SimContext& sim) {
  std::unique_ptr<IssuerStandIn> issuer(new IssuerStandIn(sim));
  if (!sim.config.issuer.consumers_file.empty()) {
    std::ifstream in(sim.config.issuer.consumers_file);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) {
      return core::Fail(core::ErrorCode::kIo,
                        "cannot read " + sim.config.issuer.consumers_file.string());
    }
    auto fixtures = ParseConsumerFixtures(text.str());
    if (!fixtures) return tl::unexpected(fixtures.error());
    issuer->fixtures_ = std::move(*fixtures);
  }
  return issuer;
}

void IssuerStandIn::AddRoutes(http::Router& router) {
  const http::RouteOptions raw{.body = http::BodyKind::kRaw, .body_limit = http::kDefaultBodyLimit};
  const std::string base(kBase);
  router.Add(
      http::Verb::post, base + "/authz/d1/v1/oauth2/token",
      [this](http::Request& r) { return Token(r); }, raw);
  router.Add(http::Verb::get, base + "/issuers/{issuerId}/consumers/{consumerId}",
             [this](http::Request& r) { return ConsumerInfo(r); });
  router.Add(
      http::Verb::post, base + "/notifications/d1/v2/issuers/{issuerId}/cards",
      [this](http::Request& r) { return Notification(r, "cards"); }, raw);
  router.Add(
      http::Verb::post, base + "/notifications/d1/v2/issuers/{issuerId}/consumers",
      [this](http::Request& r) { return Notification(r, "consumers"); }, raw);
  router.Add(
      http::Verb::post,
      base + "/notifications/d1/v1/issuers/{issuerId}/digitalCards/{digitalCardId}/notifications",
      [this](http::Request& r) { return Notification(r, "digitalCards"); }, raw);
  router.Add(http::Verb::get, base + "/notifications",
             [this](http::Request& r) -> asio::awaitable<http::Reply> { co_return Received(r); });
  router.Add(
      http::Verb::put, base + "/behaviour",
      [this](http::Request& r) -> asio::awaitable<http::Reply> {
        std::string error;
        if (!ParseIssuerBehaviour(r.json(), behaviour_, error)) {
          co_return IssuerError(400, "FIELD_INVALID_FORMAT", error);
        }
        co_return http::NoContent();
      },
      http::RouteOptions{.body = http::BodyKind::kJson, .body_limit = http::kDefaultBodyLimit});
  router.Add(http::Verb::delete_, base + "/behaviour",
             [this](http::Request&) -> asio::awaitable<http::Reply> {
               behaviour_ = {};
               co_return http::NoContent();
             });
}

void IssuerStandIn::Clear() {
  tokens_.clear();
  behaviour_ = {};
  webhook_ids_.clear();
  received_.clear();
  duplicates_ = 0;
  rejected_ = 0;
}

json::object IssuerStandIn::Stats() const {
  return {{"notifications", received_.size()},
          {"duplicates", duplicates_},
          {"rejected", rejected_},
          {"tokensIssued", tokens_.size()}};
}

bool IssuerStandIn::BearerOk(const http::Request& request) {
  if (!sim_.config.issuer.require_bearer) return true;
  const std::string_view h = request.header("authorization");
  if (!h.starts_with("Bearer ")) return false;
  auto it = tokens_.find(std::string(h.substr(7)));
  return it != tokens_.end() && it->second > std::chrono::steady_clock::now();
}

asio::awaitable<http::Reply> IssuerStandIn::Token(http::Request& request) {
  const FaultDraw fault = sim_.faults.Draw(FaultTarget::kIssuer);
  co_await Pause(fault.latency);
  if (fault.kind == FaultDraw::Kind::kError)
    co_return IssuerError(fault.status, "UNAVAILABLE", "injected fault");
  const IssuerConfig& config = sim_.config.issuer;
  const std::string credentials = BasicCredentials(request.header("authorization"));
  if (config.oauth_client_id.empty() ||
      credentials != config.oauth_client_id + ":" + config.oauth_client_secret) {
    co_return JsonReply(401, json::object{{"error", "invalid_client"}});
  }
  auto form = http::ParseForm(request.body());
  bool client_credentials = false;
  if (form) {
    for (const auto& [name, value] : *form) {
      if (name == "grant_type") client_credentials = value == "client_credentials";
    }
  }
  if (!client_credentials)
    co_return JsonReply(400, json::object{{"error", "unsupported_grant_type"}});
  std::string token = core::NewRandomId("sim_at_");
  tokens_[token] = std::chrono::steady_clock::now() + kTokenLifetime;
  co_return JsonReply(200, json::object{{"access_token", token},
                                        {"token_type", "Bearer"},
                                        {"expires_in", kTokenLifetime.count()}});
}

asio::awaitable<http::Reply> IssuerStandIn::ConsumerInfo(http::Request& request) {
  const FaultDraw fault = sim_.faults.Draw(FaultTarget::kIssuer);
  co_await Pause(fault.latency + behaviour_.delay);
  if (fault.kind == FaultDraw::Kind::kError)
    co_return IssuerError(fault.status, "UNAVAILABLE", "injected fault");
  if (!BearerOk(request)) co_return IssuerError(401, "UNAUTHORIZED", "bearer token required");
  const auto card_id = request.query_param("cardId");
  for (const ConsumerFixture& f : fixtures_) {
    if (f.issuer_id != request.param("issuerId") || f.consumer_id != request.param("consumerId"))
      continue;
    if (!f.card_id.empty() && (!card_id || *card_id != f.card_id)) continue;
    json::object body{{"consumerInfo", f.consumer_info}};
    if (!f.billing_address.empty()) body["billingAddress"] = f.billing_address;
    co_return JsonReply(200, body);
  }
  co_return IssuerError(404, "CONSUMER_NOT_FOUND", "no such consumer");
}

asio::awaitable<http::Reply> IssuerStandIn::Notification(http::Request& request, std::string kind) {
  const FaultDraw fault = sim_.faults.Draw(FaultTarget::kIssuer);
  co_await Pause(fault.latency + behaviour_.delay);
  if (fault.kind == FaultDraw::Kind::kError)
    co_return IssuerError(fault.status, "UNAVAILABLE", "injected fault");
  if (!BearerOk(request)) co_return IssuerError(401, "UNAUTHORIZED", "bearer token required");
  const std::string_view issuer_id = request.param("issuerId");
  const std::vector<std::uint8_t>* secret = nullptr;
  for (const auto& [id, bytes] : sim_.keys.webhook_secrets) {
    if (id == issuer_id) secret = &bytes;
  }
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const WebhookCheck check =
      secret == nullptr
          ? WebhookCheck::kBadSignature
          : VerifyWebhook(request.header("webhook-id"), request.header("webhook-timestamp"),
                          request.header("webhook-signature"), request.body(), *secret, now,
                          sim_.config.issuer.tolerance);
  if (check != WebhookCheck::kValid) {
    ++rejected_;
    co_return IssuerError(401, "INVALID_SIGNATURE",
                          check == WebhookCheck::kStale ? "stale webhook-timestamp"
                                                        : "missing or bad webhook signature");
  }
  if (behaviour_.status != 0 && (behaviour_.status < 200 || behaviour_.status > 299)) {
    co_return IssuerError(behaviour_.status, "TOLD_TO_FAIL", "the test asked for this status");
  }
  const std::string id(request.header("webhook-id"));
  if (!webhook_ids_.insert(id).second) {
    ++duplicates_;
    co_return http::NoContent();
  }
  auto parsed = core::ParseStrictJson(request.body());
  json::object entry{{"webhookId", id},
                     {"issuerId", issuer_id},
                     {"kind", kind},
                     {"path", request.path()},
                     {"body", parsed ? std::move(*parsed) : json::value(nullptr)}};
  received_.push_back(std::move(entry));
  if (fault.kind == FaultDraw::Kind::kTimeout) {
    co_await Pause(sim_.config.timeout);
    http::Reply reply = http::NoContent();
    reply.close = true;
    co_return reply;
  }
  co_return http::NoContent();
}

http::Reply IssuerStandIn::Received(http::Request& request) const {
  const auto card_id = request.query_param("cardId");
  json::array out;
  for (const json::value& entry : received_) {
    if (card_id && !MentionsCard(entry.get_object().at("body"), *card_id)) continue;
    out.push_back(entry);
  }
  return JsonReply(200,
                   json::object{{"notifications", std::move(out)}, {"duplicates", duplicates_}});
}

}  // namespace c2p::sim
