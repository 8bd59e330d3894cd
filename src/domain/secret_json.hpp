#pragma once
// A JSON object whose members are all strings, parsed into wiped memory: the reader for
// decrypted card data ({"pan", "exp", "name"}), which must leave no copy of the PAN
// behind.
//
// Why not Boost.JSON: a json::value's strings can be given a wiping allocator, but the
// parser itself decodes any string holding an escape (\u0034 is a valid "4") through a
// temporary buffer on the C stack (basic_parser's BOOST_JSON_STACK_BUFFER_SIZE local),
// which no allocator reaches and nothing wipes. The grammar needed here is one flat object
// of strings, small enough to parse by hand: every string, key or value, is decoded
// straight into one SecretBytes sized for the whole input (decoding never lengthens a
// string), and the only other copies are single characters in registers and locals.
//
// The JSON rules are those of core::ParseStrictJson (RFC 8259, valid UTF-8 with no
// surrogate halves, duplicate keys refused), restricted to that shape.

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "core/secret_bytes.hpp"

namespace c2p::domain {

enum class SecretJsonError {
  kSyntax,           // not JSON, not an object, bad escape, bad UTF-8, trailing data
  kNotAString,       // a member whose value is not a string
  kUnknownMember,    // a member not among the expected names
  kDuplicateMember,  // the same name twice
};

class SecretStringObject {
 public:
  // The member's decoded value, a view into wiped memory owned by this object; nullopt
  // when the member is absent.
  std::optional<std::string_view> Get(std::string_view name) const;

 private:
  friend tl::expected<SecretStringObject, SecretJsonError> ParseSecretStringObject(
      std::string_view text, std::span<const std::string_view> names);

  struct Member {
    std::string_view name;  // one of the caller's names
    std::size_t offset = 0;
    std::size_t size = 0;
  };

  core::SecretBytes buffer_;
  std::vector<Member> members_;
};

// Parses `text` as {"name": "value", ...} with each name among `names` (whose strings must
// outlive the result). The input itself stays the caller's to wipe.
tl::expected<SecretStringObject, SecretJsonError> ParseSecretStringObject(
    std::string_view text, std::span<const std::string_view> names);

}  // namespace c2p::domain
