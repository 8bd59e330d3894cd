// api/openapi.json is well-formed for the contract check, and the check refuses responses
// that drift from it.

#include "tests/support/openapi_contract.hpp"

#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <set>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/openapi_document.hpp"

namespace c2p::testing {
namespace {

namespace json = boost::json;

const OpenApiContract& Doc() { return OpenApiContract::Embedded(); }

// Calls `visit` on every object of `v`, depth first.
void Walk(const json::value& v, const std::function<void(const json::object&)>& visit) {
  if (const auto* o = v.if_object()) {
    visit(*o);
    for (const auto& m : *o) Walk(m.value(), visit);
  } else if (const auto* a = v.if_array()) {
    for (const auto& e : *a) Walk(e, visit);
  }
}

HttpResponse Response(int status, const std::string& body,
                      std::map<std::string, std::string> headers = {}) {
  HttpResponse r;
  r.status = status;
  r.body = body;
  r.headers = std::move(headers);
  r.headers.emplace("x-correlation-id", "abcDEF123_-");
  if (!body.empty()) r.headers.emplace("content-type", "application/json");
  return r;
}

const std::string kCard =
    R"({"cardId":"crd_1","consumerId":"cons_1","cardProductId":"VISA_CLASSIC","state":"ACTIVE",)"
    R"("network":"VISA","panLast4":"1111","exp":"12/28","clickToPay":{"status":"NOT_ENROLLED"}})";

TEST(OpenApiDocumentTest, IsOpenApi31WithEveryRefResolvedAndEveryPatternCompiled) {
  const auto& doc = Doc().document();
  EXPECT_EQ(doc.at("openapi"), "3.1.0");
  EXPECT_TRUE(doc.at("components").at("securitySchemes").as_object().contains("bearer"));
  int refs = 0;
  int patterns = 0;
  Walk(doc, [&](const json::object& o) {
    if (const auto* ref = o.if_contains("$ref"); ref && ref->is_string()) {
      ++refs;
      EXPECT_NE(Doc().validator().Resolve(ref->get_string()), nullptr) << ref->get_string();
    }
    if (const auto* p = o.if_contains("pattern"); p && p->is_string()) {
      ++patterns;
      auto bad = Doc().validator().Validate(json::object{{"pattern", *p}}, json::value(""));
      if (bad) {
        EXPECT_EQ(bad->find("does not compile"), std::string::npos) << *bad;
      }
    }
  });
  EXPECT_GT(refs, 100);
  EXPECT_GT(patterns, 10);
}

TEST(OpenApiDocumentTest, EveryOperationHasAnIdAndDocumentsItsErrorsWithTheErrorShape) {
  std::set<std::string> ids;
  for (const auto& [method, tmpl] : Doc().Operations()) {
    std::string lower = method;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto& op = Doc().document().at("paths").at(tmpl).at(lower).as_object();
    ASSERT_TRUE(op.contains("operationId")) << method << " " << tmpl;
    EXPECT_TRUE(ids.insert(std::string(op.at("operationId").as_string())).second);
    // Every bearer operation documents 401 and 429 (spec/api.md §2, §3.2).
    const auto* security = op.if_contains("security");
    const bool bearer = security == nullptr || !security->as_array().empty();
    if (bearer) {
      EXPECT_TRUE(op.at("responses").as_object().contains("401")) << method << " " << tmpl;
    }
  }
  EXPECT_GE(ids.size(), 30U);
}

TEST(OpenApiContractTest, MatchesPathsLikeTheRouter) {
  EXPECT_EQ(Doc().MatchPath("/banking/v2/issuers/ISSUER0001/cards/crd_1"),
            "/banking/v2/issuers/{issuerId}/cards/{cardId}");
  EXPECT_EQ(Doc().MatchPath("/banking/v2/issuers/ISSUER0001/cards/crd_1/operations:suspend"),
            "/banking/v2/issuers/{issuerId}/cards/{cardId}/operations:suspend");
  EXPECT_EQ(Doc().MatchPath("/banking/v1/issuers/ISSUER0001/cards/c/operations"),
            "/banking/v1/issuers/{issuerId}/cards/{cardId}/operations");
  EXPECT_EQ(Doc().MatchPath("/banking/v2/issuers/ISSUER0001/batches/B1/1/result"),
            "/banking/v2/issuers/{issuerId}/batches/{batchId}/{seqNumber}/result");
  EXPECT_EQ(Doc().MatchPath("/nothing/here"), "");
}

TEST(OpenApiContractTest, AcceptsAConformingCardView) {
  EXPECT_EQ(Doc().Check("GET", "/banking/v2/issuers/ISSUER0001/cards/crd_1", Response(200, kCard)),
            std::nullopt);
}

TEST(OpenApiContractTest, RefusesABodyThatDrifts) {
  const std::string path = "/banking/v2/issuers/ISSUER0001/cards/crd_1";
  json::value card = json::parse(kCard);
  card.as_object()["panFirst6"] = "411111";
  auto extra = Doc().Check("GET", path, Response(200, json::serialize(card)));
  ASSERT_TRUE(extra);
  EXPECT_NE(extra->find("GET /banking/v2/issuers/{issuerId}/cards/{cardId} -> 200"),
            std::string::npos)
      << *extra;
  EXPECT_NE(extra->find("/panFirst6"), std::string::npos) << *extra;
  EXPECT_EQ(extra->find("411111"), std::string::npos) << "the value is never quoted";

  card = json::parse(kCard);
  card.as_object()["state"] = "FROZEN";
  EXPECT_TRUE(Doc().Check("GET", path, Response(200, json::serialize(card))));
  card = json::parse(kCard);
  card.as_object().erase("panLast4");
  EXPECT_TRUE(Doc().Check("GET", path, Response(200, json::serialize(card))));
  EXPECT_TRUE(Doc().Check("GET", path, Response(200, "not json")));
}

TEST(OpenApiContractTest, RefusesAnUndocumentedStatusAndAWrongErrorBody) {
  const std::string path = "/banking/v2/issuers/ISSUER0001/cards/crd_1";
  auto teapot = Doc().Check("GET", path, Response(418, R"({"errorCode":"NOT_FOUND","error":"x"})"));
  ASSERT_TRUE(teapot);
  EXPECT_NE(teapot->find("not documented"), std::string::npos) << *teapot;
  EXPECT_EQ(Doc().Check("GET", path,
                        Response(404, R"({"errorCode":"CARD_NOT_FOUND","error":"no such card"})")),
            std::nullopt);
  EXPECT_TRUE(
      Doc().Check("GET", path, Response(404, R"({"errorCode":"CARD_MISSING","error":"x"})")));
  EXPECT_TRUE(Doc().Check("GET", path, Response(404, R"({"code":"CARD_NOT_FOUND"})")));
  // A code answered under another status than its own (http::StatusFor) is drift.
  EXPECT_TRUE(
      Doc().Check("GET", path, Response(404, R"({"errorCode":"INVALID_STATE","error":"x"})")));
  // Internal errors say nothing more than that.
  EXPECT_EQ(
      Doc().Check("GET", path,
                  Response(500, R"({"errorCode":"INTERNAL_ERROR","error":"internal error"})")),
      std::nullopt);
  EXPECT_TRUE(Doc().Check(
      "GET", path, Response(500, R"({"errorCode":"INTERNAL_ERROR","error":"sqlite: disk I/O"})")));
}

TEST(OpenApiContractTest, RefusesMissingRequiredHeaders) {
  const std::string path = "/banking/v2/issuers/ISSUER0001/cards/crd_1/operations:suspend";
  const std::string body = R"({"operationId":"op1","status":"PENDING"})";
  EXPECT_EQ(Doc().Check("POST", path,
                        Response(202, body,
                                 {{"location", "/banking/v1/issuers/ISSUER0001/operations/op1"}})),
            std::nullopt);
  auto no_location = Doc().Check("POST", path, Response(202, body));
  ASSERT_TRUE(no_location);
  EXPECT_NE(no_location->find("Location"), std::string::npos) << *no_location;
  HttpResponse bare = Response(200, kCard);
  bare.headers.erase("x-correlation-id");
  EXPECT_TRUE(Doc().Check("GET", "/banking/v2/issuers/ISSUER0001/cards/crd_1", bare));
  // 429 must say when to retry.
  EXPECT_TRUE(Doc().Check("GET", "/banking/v2/issuers/ISSUER0001/cards/crd_1",
                          Response(429, R"({"errorCode":"RATE_LIMITED","error":"slow down"})")));
}

TEST(OpenApiContractTest, UndocumentedMethodsAndPathsMayOnlyBeRefused) {
  const std::string error = R"({"errorCode":"METHOD_NOT_ALLOWED","error":"x"})";
  EXPECT_EQ(Doc().Check("DELETE", "/healthz", Response(405, error, {{"allow", "GET"}})),
            std::nullopt);
  EXPECT_TRUE(Doc().Check("DELETE", "/healthz", Response(405, error)));  // no Allow
  EXPECT_TRUE(Doc().Check("DELETE", "/healthz", Response(200, R"({"status":"ok"})")));
  EXPECT_EQ(Doc().Check("GET", "/nope", Response(404, R"({"errorCode":"NOT_FOUND","error":"x"})")),
            std::nullopt);
  EXPECT_TRUE(Doc().Check("GET", "/nope", Response(200, "{}")));
}

TEST(OpenApiContractTest, ChecksTheMediaType) {
  HttpResponse metrics = Response(200, "");
  metrics.body = "c2p_up 1\n";
  metrics.headers["content-type"] = "text/plain; version=0.0.4; charset=utf-8";
  EXPECT_EQ(Doc().Check("GET", "/metrics", metrics), std::nullopt);
  HttpResponse health = Response(200, R"({"status":"ok"})");
  health.headers["content-type"] = "text/html";
  EXPECT_TRUE(Doc().Check("GET", "/healthz", health));
}

TEST(OpenApiContractTest, TheEmbeddedDocumentIsTheRepositoryFile) {
  const char* source = std::getenv("C2P_SOURCE_DIR");
  ASSERT_NE(source, nullptr);
  std::ifstream in(std::string(source) + "/api/openapi.json", std::ios::binary);
  ASSERT_TRUE(in);
  const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(file, std::string(api::OpenApiDocument()));
}

}  // namespace
}  // namespace c2p::testing
