#include "api/registry_context.hpp"

namespace c2p::api {

const IssuerRegistryPolicy& RegistryContext::Policy(std::string_view issuer) const {
  static const IssuerRegistryPolicy kDefault{};
  auto it = issuers.find(issuer);
  return it == issuers.end() ? kDefault : it->second;
}

}  // namespace c2p::api
