#pragma once
// Internal to src/jose (not for use elsewhere): reading and writing the JWK members shared
// by every key type (kid, use, alg) and typed member access with errors that name the
// member as a JSON pointer and never quote its value.

#include <span>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "core/error.hpp"

namespace c2p::jose::detail {

// kFieldInvalidFormat with `field` = "/<member>".
tl::unexpected<core::Error> InvalidMember(std::string message, std::string_view member);
// The same, after dropping what OpenSSL left on its error queue.
tl::unexpected<core::Error> InvalidMemberFromOpenSsl(std::string message, std::string_view member);

// Absent: empty; present: must be a string.
core::Result<std::string_view> OptionalString(const boost::json::object& jwk,
                                              std::string_view name);
// Present and a string.
core::Result<std::string_view> RequiredString(const boost::json::object& jwk,
                                              std::string_view name);

struct JwkMetadata {
  std::string kid;
  std::string use;
  std::string alg;
};
// One permitted ("use", "alg") pair of a key type.
struct UseAlg {
  std::string_view use;
  std::string_view alg;
};

// Reads "kid", "use" and "alg": each optional, a string, kid not empty, use and alg among
// `allowed`, and use and alg (when both are given) a pair in `allowed`, so a key announced
// for signing cannot be used to decrypt and the reverse.
core::Result<JwkMetadata> ReadMetadata(const boost::json::object& jwk,
                                       std::span<const UseAlg> allowed);

// Adds the non-empty ones of kid, use and alg.
void AddMetadata(boost::json::object& jwk, const std::string& kid, const std::string& use,
                 const std::string& alg);

}  // namespace c2p::jose::detail
