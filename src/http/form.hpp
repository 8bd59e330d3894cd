#pragma once
// application/x-www-form-urlencoded (the token endpoint's body, and URL query strings):
// '&'-separated name=value pairs, '+' for space, %XX escapes.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace c2p::http {

using FormFields = std::vector<std::pair<std::string, std::string>>;

// Decodes one component; nullopt on a broken %XX escape.
std::optional<std::string> FormDecode(std::string_view in);

// All pairs in order. nullopt on a broken escape or an empty name; a pair without '='
// has an empty value; empty segments ("a=1&&b=2") are skipped.
std::optional<FormFields> ParseForm(std::string_view body);

}  // namespace c2p::http
