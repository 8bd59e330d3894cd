#pragma once
// The Luhn (mod 10) check digit of ISO/IEC 7812, which every PAN carries.

#include <string_view>

namespace c2p::core {

// True when `digits` is non-empty, made only of ASCII digits, and its last digit is the
// Luhn check digit of the others. Anything else (empty, a space, a sign) is false.
bool PassesLuhn(std::string_view digits);

}  // namespace c2p::core
