#pragma once
// RFC 8785 JSON Canonicalization Scheme (JCS): the one byte sequence a JSON value signs to.
// Used for batch-file signatures (spec/batch.md §2: the detached JWS covers the JCS form of
// {"header", "records"}).
//
//  - objects: members sorted by the UTF-16 code units of their names, no whitespace;
//  - strings: only the mandatory escapes (\" \\ \b \f \n \r \t, \u00xx in lowercase hex for
//    the other control characters), everything else as UTF-8;
//  - numbers: as ECMAScript's Number.prototype.toString prints the IEEE 754 double
//    (shortest round-trip digits; 1e+21, 1e-7, 0.000001, -0 as 0). Integers held exactly
//    as int64/uint64 print as the double they equal; an integer no double equals (beyond
//    ±2^53 with low bits set) has no I-JSON form and is refused.
//
// Errors: kFieldInvalidFormat for a non-finite number, an integer with no exact double,
// invalid UTF-8 in a string or name, or nesting deeper than kMaxJcsDepth.

#include <cstddef>
#include <string>

#include <boost/json/value.hpp>

#include "core/error.hpp"

namespace c2p::jose {

// Far deeper than anything the strict parser accepts (core::kMaxJsonDepth); bounds the
// recursion for values built in code.
inline constexpr std::size_t kMaxJcsDepth = 128;

core::Result<std::string> Canonicalize(const boost::json::value& value);

// Appends the canonical form of `value` to `out` (on failure `out` holds a partial form),
// so a caller can build a large document piece by piece without re-copying it.
core::Result<void> CanonicalizeTo(const boost::json::value& value, std::string& out);

// The ECMAScript Number.prototype.toString form of a finite double.
core::Result<std::string> CanonicalNumber(double value);

}  // namespace c2p::jose
