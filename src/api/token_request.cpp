#include "api/token_request.hpp"

#include <boost/json/object.hpp>

#include "api/token_routes.hpp"
#include "core/strict_json.hpp"
#include "http/form.hpp"

namespace c2p::api {

namespace {

tl::unexpected<auth::GrantFailure> Invalid(std::string description) {
  return tl::unexpected(
      auth::GrantFailure{auth::GrantError::kInvalidRequest, std::move(description)});
}

// Fills `out` when `name` is one of the two parameters; false when it is seen twice.
bool Take(TokenRequest& out, bool seen[2], std::string_view name, std::string value) {
  const int slot = name == "grant_type" ? 0 : name == "assertion" ? 1 : -1;
  if (slot < 0) return true;
  if (seen[slot]) return false;
  seen[slot] = true;
  (slot == 0 ? out.grant_type : out.assertion) = std::move(value);
  return true;
}

}  // namespace

auth::GrantResult<TokenRequest> ParseTokenRequest(TokenBodyType type, std::string_view body) {
  TokenRequest request;
  bool seen[2] = {false, false};
  if (type == TokenBodyType::kForm) {
    auto fields = http::ParseForm(body);
    if (!fields) return Invalid("body is not valid form encoding");
    for (auto& [name, value] : *fields) {
      if (!Take(request, seen, name, std::move(value))) return Invalid(name + " given twice");
    }
  } else {
    auto parsed = core::ParseStrictJson(body);
    if (!parsed || !parsed->is_object()) return Invalid("body is not a JSON object");
    for (auto& member : parsed->as_object()) {
      const std::string_view name = member.key();
      if (name != "grant_type" && name != "assertion") continue;
      if (!member.value().is_string()) return Invalid(std::string(name) + " must be a string");
      Take(request, seen, name, std::string(member.value().as_string()));
    }
  }
  if (!seen[0] || request.grant_type.empty()) return Invalid("grant_type is required");
  if (request.grant_type != kJwtBearerGrant) {
    return tl::unexpected(auth::GrantFailure{auth::GrantError::kUnsupportedGrantType,
                                             "only the jwt-bearer grant is supported"});
  }
  if (!seen[1] || request.assertion.empty()) return Invalid("assertion is required");
  return request;
}

}  // namespace c2p::api
