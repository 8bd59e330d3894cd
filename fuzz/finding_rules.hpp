#pragma once
// What the fuzz targets that check error messages share: how a finding is reported, and
// when a message counts as quoting its input (input must never be echoed: it may be card
// or personal data).

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace c2p::fuzz {

struct FindingRules {
  const char* target;
  // The characters of every fixed message of the code under test. An input made only of
  // them can be a piece of a fixed message (libFuzzer's comparison hooks find those), so
  // quoting is only recognisable in inputs with at least one other character.
  std::string_view message_alphabet;
  std::size_t min_quotable_input;

  bool Quotes(std::string_view message, std::string_view input) const {
    return input.size() >= min_quotable_input &&
           input.find_first_not_of(message_alphabet) != std::string_view::npos &&
           message.find(input) != std::string_view::npos;
  }

  [[noreturn]] void Die(const char* what) const {
    std::fprintf(stderr, "%s: FINDING: %s\n", target, what);
    std::abort();
  }
};

}  // namespace c2p::fuzz
