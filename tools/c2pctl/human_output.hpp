#pragma once
// c2pctl's default output: c2p's answers as short lines for a person, with the ids and
// states that matter. Never a PAN, an expiry, a name, an email, a phone number or an
// address: a profile's consumer and a card's cardholder data are left out (--json prints
// the body as received). Every value printed goes through Printable().
//
// Each Describe* of a 2xx answer takes its body and returns the lines (ending in '\n'),
// or an empty string when the body is not the JSON object c2p sends. Answers come from
// outside: fuzzed by fuzz/ctl_answers_fuzz.cpp.

#include <string>
#include <string_view>

namespace c2p::ctl {

// Turns a value into printable text: control characters and non-ASCII bytes become '?',
// so an answer cannot drive the terminal.
std::string Printable(std::string_view text);

// An error answer (spec/api.md §2 {errorCode, error, field}, or the token endpoint's
// {error}) as "STATUS ERROR_CODE: message (field F)"; `error_code` gets the errorCode
// (empty when there is none). Neither body carries card or personal data.
std::string DescribeErrorAnswer(unsigned status, std::string_view body, std::string& error_code);

// A consumer (spec/api.md §4.1 answer, §4.2): "consumer ID STATE …".
std::string DescribeConsumer(std::string_view body);
// A card view (§4.4 answer, §4.5): "card ID STATE NETWORK *LAST4 product … consumer …".
std::string DescribeCard(std::string_view body);
// An operation (§5.1 result or §5.8 object): "operation ID KIND STATUS card … error …".
std::string DescribeOperation(std::string_view body);
// An operation list (§5.8): one line per operation, or "no operations".
std::string DescribeOperations(std::string_view body);
// Click to Pay profiles (§5.7): per network, its cards (ids, last 4, status, digital card).
std::string DescribeProfiles(std::string_view body);

}  // namespace c2p::ctl
