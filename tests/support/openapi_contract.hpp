#pragma once
// api/openapi.json as a contract a response can be checked against: the request's path is
// matched to one of the document's path templates, the method to its operation, the
// status must be one the operation documents, its required headers present, and the body
// valid against the documented schema (tests/support/json_schema.hpp).
//
// Paths the document does not name may only be refused (404 NOT_FOUND and the HTTP-level
// refusals); a documented path called with another method only 405 METHOD_NOT_ALLOWED
// with Allow. Messages name the method, path template and status and the validator's
// finding, never a value of the body.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

#include "tests/support/json_schema.hpp"
#include "tests/support/raw_client.hpp"

namespace c2p::testing {

class OpenApiContract {
 public:
  // Throws std::invalid_argument when `document` is not a JSON object with `paths`.
  explicit OpenApiContract(std::string_view document);
  OpenApiContract(const OpenApiContract&) = delete;
  OpenApiContract& operator=(const OpenApiContract&) = delete;

  // The document c2pd embeds (api/openapi.json at build time).
  static const OpenApiContract& Embedded();

  // The template naming `path` (no query string), the one with most literal segments
  // when several do (as c2pd's router prefers literals); empty if none.
  std::string MatchPath(std::string_view path) const;
  // Every (METHOD, template) the document describes, e.g. ("GET", "/healthz").
  std::vector<std::pair<std::string, std::string>> Operations() const;

  // nullopt when `response` to `method` `target` is what the document allows.
  std::optional<std::string> Check(std::string_view method, std::string_view target,
                                   const HttpResponse& response) const;

  const boost::json::value& document() const { return document_; }
  const JsonSchemaValidator& validator() const { return validator_; }

 private:
  // Follows a {"$ref": "#/…"} object to what it names (one level per call, up to a few).
  const boost::json::value* Deref(const boost::json::value* v) const;
  std::optional<std::string> CheckAgainst(const boost::json::value& response_object,
                                          const HttpResponse& response) const;
  std::optional<std::string> CheckRefusal(std::string_view component,
                                          const HttpResponse& response) const;

  boost::json::value document_;
  JsonSchemaValidator validator_;
};

}  // namespace c2p::testing
