// S1, the issuer isolation matrix (guide/quality.md), against a real c2pd and c2psim.
// The routes are not listed by hand: they are read from the running c2pd's router (every
// route's path template is a label of c2p_http_request_seconds on /metrics, registered
// when the server is built, and a request with an unused method answers 405 with the
// route's methods in Allow). Every live route must have an entry in kMatrix below and
// every entry must be live, so a new route fails this test until its isolation is decided.

#include <regex>
#include <set>

#include "tests/security/security_fixture.hpp"

namespace c2p::testing {
namespace {

// Who a route serves, which decides what "foreign" means for it.
enum class Scope {
  kIssuer,   // bearer route under /issuers/{issuerId}: foreign path 403, foreign ids 404
  kCaller,   // bearer route about the token's own issuer (tokeninfo)
  kToken,    // the token endpoint: an assertion for another issuer is invalid_grant
  kNetwork,  // the token services' callbacks: authenticated by a network secret, no token
  kPublic,   // no issuer data at all (health, metrics)
};

// What a call with the caller's own path and the other issuer's ids does.
enum class ForeignIds {
  kNotFound,    // 404: the ids do not exist in the caller's issuer
  kCreatesOwn,  // PUT: creates the caller's own object under that id, the other's untouched
  kRefused,     // a batch file naming the other issuer: 4xx, never processed
  kNone,        // no ids in the path besides issuerId
};

// The request body each route is called with.
enum class Payload { kNone, kConsumer, kCard, kEmpty, kCardUpdate, kConsumerUpdate, kBatch };

struct Entry {
  Scope scope;
  ForeignIds foreign = ForeignIds::kNone;
  Payload body = Payload::kNone;
};

const std::map<std::string, Entry>& Matrix() {
  static const std::map<std::string, Entry> m = {
      {"GET /healthz", {Scope::kPublic}},
      {"GET /readyz", {Scope::kPublic}},
      {"GET /metrics", {Scope::kPublic}},
      {"POST /authz/v1/oauth2/token", {Scope::kToken}},
      {"GET /authz/v1/tokeninfo", {Scope::kCaller}},
      {"POST /tsp/v1/networks/{network}/tokenRequests", {Scope::kNetwork}},
      {"POST /tsp/v1/networks/{network}/tokenEvents", {Scope::kNetwork}},
      // spec/api.md §4
      {"PUT /banking/v2/issuers/{issuerId}/consumers/{consumerId}",
       {Scope::kIssuer, ForeignIds::kCreatesOwn, Payload::kConsumer}},
      {"GET /banking/v2/issuers/{issuerId}/consumers/{consumerId}",
       {Scope::kIssuer, ForeignIds::kNotFound}},
      {"GET /banking/v2/issuers/{issuerId}/consumers/{consumerId}/cards",
       {Scope::kIssuer, ForeignIds::kNotFound}},
      {"POST /banking/v2/issuers/{issuerId}/consumers/{consumerId}/operations:delete",
       {Scope::kIssuer, ForeignIds::kNotFound, Payload::kEmpty}},
      {"PUT /banking/v2/issuers/{issuerId}/cards/{cardId}",
       {Scope::kIssuer, ForeignIds::kCreatesOwn, Payload::kCard}},
      {"GET /banking/v2/issuers/{issuerId}/cards/{cardId}",
       {Scope::kIssuer, ForeignIds::kNotFound}},
      {"POST /banking/v2/issuers/{issuerId}/cards/{cardId}/operations:suspend",
       {Scope::kIssuer, ForeignIds::kNotFound, Payload::kEmpty}},
      {"POST /banking/v2/issuers/{issuerId}/cards/{cardId}/operations:resume",
       {Scope::kIssuer, ForeignIds::kNotFound, Payload::kEmpty}},
      {"POST /banking/v2/issuers/{issuerId}/cards/{cardId}/operations:delete",
       {Scope::kIssuer, ForeignIds::kNotFound, Payload::kEmpty}},
      // spec/batch.md §1
      {"POST /banking/v2/issuers/{issuerId}/batches",
       {Scope::kIssuer, ForeignIds::kRefused, Payload::kBatch}},
      {"GET /banking/v2/issuers/{issuerId}/batches/{batchId}/{seqNumber}",
       {Scope::kIssuer, ForeignIds::kNotFound}},
      {"GET /banking/v2/issuers/{issuerId}/batches/{batchId}/{seqNumber}/result",
       {Scope::kIssuer, ForeignIds::kNotFound}},
      // spec/api.md §5
      {"POST /banking/v1/issuers/{issuerId}/cards/{cardId}/operations:clickToPayEnrolment",
       {Scope::kIssuer, ForeignIds::kNotFound, Payload::kEmpty}},
      {"POST /banking/v1/issuers/{issuerId}/cards/{cardId}/operations:clickToPayUpdate",
       {Scope::kIssuer, ForeignIds::kNotFound, Payload::kCardUpdate}},
      {"POST /banking/v1/issuers/{issuerId}/cards/{cardId}/operations:clickToPayOptOut",
       {Scope::kIssuer, ForeignIds::kNotFound, Payload::kEmpty}},
      {"POST /banking/v1/issuers/{issuerId}/consumers/{consumerId}/operations:clickToPayUpdate",
       {Scope::kIssuer, ForeignIds::kNotFound, Payload::kConsumerUpdate}},
      {"POST /banking/v1/issuers/{issuerId}/consumers/{consumerId}/operations:clickToPayOptOut",
       {Scope::kIssuer, ForeignIds::kNotFound, Payload::kEmpty}},
      {"GET /banking/v1/issuers/{issuerId}/consumers/{consumerId}/clickToPayProfiles",
       {Scope::kIssuer, ForeignIds::kNotFound}},
      {"GET /banking/v1/issuers/{issuerId}/operations/{operationId}",
       {Scope::kIssuer, ForeignIds::kNotFound}},
      {"GET /banking/v1/issuers/{issuerId}/cards/{cardId}/operations/{operationId}",
       {Scope::kIssuer, ForeignIds::kNotFound}},
      {"GET /banking/v1/issuers/{issuerId}/consumers/{consumerId}/operations/{operationId}",
       {Scope::kIssuer, ForeignIds::kNotFound}},
      {"GET /banking/v1/issuers/{issuerId}/cards/{cardId}/operations",
       {Scope::kIssuer, ForeignIds::kNotFound}},
      {"GET /banking/v1/issuers/{issuerId}/consumers/{consumerId}/operations",
       {Scope::kIssuer, ForeignIds::kNotFound}},
  };
  return m;
}

// One issuer's objects, and the values that must never reach the other issuer.
struct Ids {
  std::string issuer, consumer, card, card_operation, consumer_operation, batch;
  std::vector<std::string> secrets;  // PAN, email, operation and digital card ids
};

class IsolationMatrix : public SecurityE2e {
 protected:
  // Every (method, template) the running c2pd routes.
  static std::set<std::string> LiveRoutes() {
    std::set<std::string> out;
    auto metrics = Fetch(port_, "GET", "/metrics");
    EXPECT_TRUE(metrics && metrics->status == 200);
    if (!metrics) return out;
    std::set<std::string> templates;
    const std::regex label(R"(c2p_http_request_seconds_count\{[^}]*route="([^"]+)\")");
    for (std::sregex_iterator it(metrics->body.begin(), metrics->body.end(), label), end; it != end;
         ++it) {
      if ((*it)[1] != "unmatched") templates.insert((*it)[1]);
    }
    for (const auto& t : templates) {
      // PATCH is no route's method: the router answers 405 with the template's methods.
      auto r = Fetch(port_, "PATCH", Fill(t, Dummy()));
      EXPECT_TRUE(r && r->status == 405) << t << (r ? ": " + r->body : "");
      if (!r) continue;
      std::string allow = r->header("allow");
      for (std::size_t at = 0; at < allow.size();) {
        std::size_t end = allow.find(',', at);
        if (end == std::string::npos) end = allow.size();
        std::string method = allow.substr(at, end - at);
        method.erase(0, method.find_first_not_of(' '));
        if (!method.empty() && method != "HEAD") out.insert(method + " " + t);
        at = end + 1;
      }
    }
    return out;
  }

  static Ids Dummy() { return {kIssuerA, "x1", "x1", "x1", "x1", "x1", {}}; }

  static std::string Fill(std::string t, const Ids& ids) {
    const bool consumer_op = t.find("/consumers/{consumerId}/operations/") != std::string::npos;
    for (const auto& [param, value] :
         {std::pair<std::string, std::string>{"{issuerId}", ids.issuer},
          {"{consumerId}", ids.consumer},
          {"{cardId}", ids.card},
          {"{operationId}", consumer_op ? ids.consumer_operation : ids.card_operation},
          {"{batchId}", ids.batch},
          {"{seqNumber}", "1"},
          {"{network}", "visa"}}) {
      for (auto at = t.find(param); at != std::string::npos; at = t.find(param)) {
        t.replace(at, param.size(), value);
      }
    }
    return t;
  }

  // A body for `kind`, as `caller` would send it about `target`'s ids.
  static std::string BodyFor(Payload kind, const std::string& caller, const Ids& target) {
    static int serial = 0;
    switch (kind) {
      case Payload::kNone:
        return {};
      case Payload::kEmpty:
        return "{}";
      case Payload::kConsumer:
        return caller == kIssuerA ? kInfo : "{}";
      case Payload::kCard:
        return CardBody(target.consumer, TestPan("4"));
      case Payload::kCardUpdate:
        return R"({"name":"MATRIX CALLER"})";
      case Payload::kConsumerUpdate:
        return R"({"consumerInfo":{"language":"en-US","firstName":"Matrix","lastName":"Caller",)"
               R"("email":"matrix.caller@example.com","mobilePhoneNumber":{"countryCode":"33",)"
               R"("phoneNumber":"699999999"}}})";
      case Payload::kBatch: {
        const std::string n = std::to_string(++serial);
        return BatchFile("MX" + n, target.issuer, caller, "mx-cons-" + n, "mx-card-" + n,
                         TestPan("4"));
      }
    }
    return {};
  }

  // The issuer's consumer, an enrolled card, a consumer update operation and a batch.
  static Ids Populate(const std::string& issuer, const std::string& consumer,
                      const std::string& tag) {
    Ids ids{issuer, consumer, "mx-card-" + tag, {}, {}, "MXB" + tag, {}};
    const std::string pan = TestPan("4");
    RegisterCard(ids.consumer, ids.card, pan, "VISA_CLASSIC", issuer);
    auto enrolled = Ended(Enrol(ids.card, {}, issuer), issuer);
    EXPECT_EQ(enrolled.at("status"), "SUCCESSFUL") << json::serialize(enrolled);
    ids.card_operation = std::string(enrolled.at("operationId").as_string());
    const std::string digital(enrolled.at("details").at("digitalCardId").as_string());
    auto update = Call(
        "POST",
        "/banking/v1/issuers/" + issuer + "/consumers/" + consumer + "/operations:clickToPayUpdate",
        BodyFor(Payload::kConsumerUpdate, issuer, ids), issuer);
    EXPECT_EQ(update.status, 202) << update.body;
    ids.consumer_operation = std::string(Body(update).at("operationId").as_string());
    EXPECT_EQ(Ended(ids.consumer_operation, issuer).at("status"), "SUCCESSFUL");
    auto batch = Call(
        "POST", Batches(issuer),
        BatchFile(ids.batch, issuer, issuer, "mxb-cons-" + tag, "mxb-card-" + tag, TestPan("4")),
        issuer);
    EXPECT_EQ(batch.status, 202) << batch.body;
    EXPECT_TRUE(Eventually(
        [&] {
          return Body(Call("GET", Batches(issuer) + "/" + ids.batch + "/1", {}, issuer))
                     .at("status") == "DONE";
        },
        std::chrono::seconds(60)));
    ids.secrets = {pan, ids.card_operation, ids.consumer_operation, digital};
    return ids;
  }

  static void ExpectNoSecrets(const HttpResponse& r, const Ids& other, const std::string& what) {
    for (const auto& s : other.secrets) {
      EXPECT_EQ(r.body.find(s), std::string::npos) << what << " shows the other issuer's " << s;
      for (const auto& [name, value] : r.headers) {
        EXPECT_EQ(value.find(s), std::string::npos) << what << ": header " << name;
      }
    }
  }
};

TEST_F(IsolationMatrix, EveryLiveRouteHasAnEntryAndEveryEntryIsLive) {
  const auto live = LiveRoutes();
  EXPECT_GT(live.size(), 25U);
  for (const auto& route : live) {
    EXPECT_TRUE(Matrix().contains(route)) << "no isolation entry for the live route " << route;
  }
  for (const auto& [route, entry] : Matrix()) {
    EXPECT_TRUE(live.contains(route)) << "an entry for a route c2pd does not serve: " << route;
  }
}

TEST_F(IsolationMatrix, ForeignAccessIs403Or404AndNeverTheOtherIssuersData) {
  const Ids a = Populate(kIssuerA, "mx-cons-a", "a");
  Ids a_full = a;
  a_full.secrets.emplace_back("jane.rules@example.com");
  Ids b = Populate(kIssuerB, "c-fetch", "b");
  b.secrets.emplace_back("fetched@example.com");
  const auto live = LiveRoutes();
  // The owners' views before: foreign calls must leave them exactly as they are.
  auto view = [](const Ids& ids) {
    return Call("GET", Fill("/banking/v2/issuers/{issuerId}/cards/{cardId}", ids), {}, ids.issuer)
               .body +
           Call("GET", Fill("/banking/v2/issuers/{issuerId}/consumers/{consumerId}", ids), {},
                ids.issuer)
               .body;
  };
  const std::string a_before = view(a_full);
  const std::string b_before = view(b);

  std::size_t checked = 0;
  // Creating calls last: they make objects under the other issuer's ids in the caller's
  // issuer, after which those ids are no longer unknown to the caller.
  for (const bool creating_pass : {false, true}) {
    for (const auto& route : live) {
      const auto found = Matrix().find(route);
      if (found == Matrix().end()) continue;  // reported by the other test
      const Entry& entry = found->second;
      if ((entry.foreign == ForeignIds::kCreatesOwn) != creating_pass) continue;
      const std::string method = route.substr(0, route.find(' '));
      const std::string tmpl = route.substr(route.find(' ') + 1);
      for (const bool caller_is_a : {true, false}) {
        const Ids& own = caller_is_a ? a_full : b;
        const Ids& other = caller_is_a ? b : a_full;
        const std::string& caller = own.issuer;
        const std::string name = route + " as " + caller;
        ++checked;
        switch (entry.scope) {
          case Scope::kPublic: {
            auto r = Call(method, tmpl, {}, caller);
            EXPECT_EQ(r.status, 200) << name;
            ExpectNoSecrets(r, other, name);
            ExpectNoSecrets(r, own, name);
            break;
          }
          case Scope::kCaller: {
            auto r = Call(method, tmpl, {}, caller);
            EXPECT_EQ(r.status, 200) << name;
            EXPECT_EQ(Body(r).at("issuerId"), json::value(caller)) << name;
            ExpectNoSecrets(r, other, name);
            break;
          }
          case Scope::kNetwork: {
            // An issuer's bearer token is no network's credential.
            auto r = Call(method, Fill(tmpl, own), R"({"x":1})", caller);
            EXPECT_TRUE(r.status == 401 || r.status == 403) << name << ": " << r.body;
            ExpectNoSecrets(r, other, name);
            break;
          }
          case Scope::kToken: {
            // An assertion naming the other issuer, signed with the caller's key.
            json::object claims{{"iss", other.issuer},
                                {"sub", other.issuer},
                                {"iat", NowSeconds()},
                                {"exp", NowSeconds() + 300}};
            jose::JwsSignOptions options;
            options.kid = caller_is_a ? "a-key" : "b-key";
            auto key = jose::EcKey::FromJwk(
                *jose::ReadJwkFile(dir_ + "/" + (caller_is_a ? "a.jwk" : "b.jwk")));
            auto r = Fetch(port_, "POST", tmpl,
                           "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
                           "&assertion=" +
                               jose::SignEs256(json::serialize(claims), *key, options),
                           "Content-Type: application/x-www-form-urlencoded\r\n");
            ASSERT_TRUE(r) << name;
            EXPECT_EQ(r->status, 400) << name << ": " << r->body;
            EXPECT_EQ(r->body.find("access_token"), std::string::npos) << name;
            break;
          }
          case Scope::kIssuer: {
            // No token: 401, whatever the ids.
            const std::string own_path = Fill(tmpl, own);
            const std::string body = BodyFor(entry.body, caller, own);
            auto anonymous = Fetch(port_, method, own_path, body,
                                   body.empty() ? "" : "Content-Type: application/json\r\n");
            ASSERT_TRUE(anonymous) << name;
            EXPECT_EQ(anonymous->status, 401) << name;
            // The caller's token on the other issuer's path and ids: 403 ISSUER_MISMATCH.
            const std::string other_path = Fill(tmpl, other);
            auto mismatch = Call(method, other_path, BodyFor(entry.body, caller, other), caller);
            EXPECT_EQ(mismatch.status, 403) << name << ": " << mismatch.body;
            EXPECT_EQ(ErrorCodeOf(mismatch), "ISSUER_MISMATCH") << name;
            ExpectNoSecrets(mismatch, other, name + " (other's path)");
            // The caller's own path with the other issuer's ids.
            Ids crossed = other;
            crossed.issuer = caller;
            const std::string crossed_path = Fill(tmpl, crossed);
            auto foreign = Call(method, crossed_path, BodyFor(entry.body, caller, other), caller);
            ExpectNoSecrets(foreign, other, name + " (other's ids)");
            switch (entry.foreign) {
              case ForeignIds::kNotFound:
                EXPECT_EQ(foreign.status, 404)
                    << name << " " << crossed_path << ": " << foreign.body;
                break;
              case ForeignIds::kCreatesOwn:
                EXPECT_TRUE(foreign.status == 200 || foreign.status == 201)
                    << name << ": " << foreign.body;
                break;
              case ForeignIds::kRefused:
                EXPECT_GE(foreign.status, 400) << name << ": " << foreign.body;
                EXPECT_LT(foreign.status, 500) << name << ": " << foreign.body;
                break;
              case ForeignIds::kNone:
                break;
            }
            // The caller's own path and ids answer (a GET, which changes nothing): the
            // 403/404 above are about ownership, not a path the router does not know.
            if (method == "GET") {
              auto mine = Call(method, own_path, {}, caller);
              EXPECT_EQ(mine.status, 200) << name << ": " << mine.body;
            }
            break;
          }
        }
      }
    }
  }
  EXPECT_EQ(checked, 2 * Matrix().size());
  // No call of the matrix was a 500.
  const std::string metrics = Fetch(port_, "GET", "/metrics")->body;
  EXPECT_NE(metrics.find("status=\"403\""), std::string::npos);
  EXPECT_EQ(metrics.find("status=\"500\""), std::string::npos);
  // Nothing of either issuer changed through the other's calls.
  EXPECT_EQ(view(a_full), a_before);
  EXPECT_EQ(view(b), b_before);
}

}  // namespace
}  // namespace c2p::testing
