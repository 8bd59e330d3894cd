#pragma once
// The checkout lookup (spec/networks.md §4), what a merchant's Click to Pay sees:
// POST /sim/v1/checkout/lookup {"email"} → the networks where a consumer with that email
// is enrolled, each with its active cards masked.

#include <string_view>

#include <boost/json/object.hpp>

#include "state.hpp"

namespace c2p::sim {

// {"profiles": [ {"network", "maskedCards": [ {"panLast4", "exp" (MMYY)} ]} ]}; the email
// is compared case-insensitively.
boost::json::object CheckoutLookup(std::string_view email, const DirectoryState& visa,
                                   const DirectoryState& mastercard);

}  // namespace c2p::sim
