#include "jose/jwk_members.hpp"

#include <algorithm>

#include "jose/evp_util.hpp"

namespace c2p::jose::detail {
namespace json = boost::json;

tl::unexpected<core::Error> InvalidMember(std::string message, std::string_view member) {
  return core::Fail(core::ErrorCode::kFieldInvalidFormat, std::move(message),
                    "/" + std::string(member));
}

tl::unexpected<core::Error> InvalidMemberFromOpenSsl(std::string message, std::string_view member) {
  ClearOpenSslErrors();
  return InvalidMember(std::move(message), member);
}

core::Result<std::string_view> OptionalString(const json::object& jwk, std::string_view name) {
  const json::value* v = jwk.if_contains(name);
  if (v == nullptr) return std::string_view{};
  const json::string* s = v->if_string();
  if (s == nullptr) return InvalidMember("JWK member must be a string", name);
  return std::string_view(s->data(), s->size());
}

core::Result<std::string_view> RequiredString(const json::object& jwk, std::string_view name) {
  if (!jwk.contains(name)) return InvalidMember("JWK member is missing", name);
  return OptionalString(jwk, name);
}

core::Result<JwkMetadata> ReadMetadata(const json::object& jwk, std::span<const UseAlg> allowed) {
  auto kid = OptionalString(jwk, "kid");
  if (!kid) return tl::unexpected(std::move(kid.error()));
  auto use = OptionalString(jwk, "use");
  if (!use) return tl::unexpected(std::move(use.error()));
  auto alg = OptionalString(jwk, "alg");
  if (!alg) return tl::unexpected(std::move(alg.error()));
  if (jwk.contains("kid") && kid->empty()) return InvalidMember("JWK kid must not be empty", "kid");
  if (jwk.contains("use") && std::none_of(allowed.begin(), allowed.end(),
                                          [&](const UseAlg& a) { return a.use == *use; })) {
    return InvalidMember("JWK use is not supported for this key type", "use");
  }
  if (jwk.contains("alg") && std::none_of(allowed.begin(), allowed.end(),
                                          [&](const UseAlg& a) { return a.alg == *alg; })) {
    return InvalidMember("JWK alg is not supported for this key type", "alg");
  }
  if (!use->empty() && !alg->empty() &&
      std::none_of(allowed.begin(), allowed.end(),
                   [&](const UseAlg& a) { return a.use == *use && a.alg == *alg; })) {
    return InvalidMember("JWK alg does not match its use", "alg");
  }
  return JwkMetadata{std::string(*kid), std::string(*use), std::string(*alg)};
}

void AddMetadata(json::object& jwk, const std::string& kid, const std::string& use,
                 const std::string& alg) {
  if (!kid.empty()) jwk["kid"] = kid;
  if (!use.empty()) jwk["use"] = use;
  if (!alg.empty()) jwk["alg"] = alg;
}

}  // namespace c2p::jose::detail
