#pragma once
// Card products: an issuer's configured products, each with its network and the BIN
// ranges its PANs fall in (spec/api.md §4.4: "the network comes from the card product's
// BIN ranges"). The app layer maps its configuration into these.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/secret_bytes.hpp"
#include "domain/states.hpp"

namespace c2p::domain {

// An inclusive range of PAN prefixes: `low` and `high` are digit strings of the same
// length (the configuration takes 6..12 digits), low <= high.
struct BinRange {
  std::string low;
  std::string high;
};

struct CardProduct {
  std::string id;      // cardProductId
  std::string issuer;  // issuerId owning the product
  Network network = Network::kVisa;
  std::vector<BinRange> bin_ranges;
  // decision = "YELLOW" (spec/outbound.md §4): the token service's decision for this
  // product's cards is YELLOW (step-up) where it would be GREEN. RED stays RED.
  bool step_up = false;
};

// True when the PAN's first low.size() digits lie in [low, high]. Digit strings of equal
// length order as their numbers do, so the comparison is on text; a PAN shorter than the
// range never matches.
bool InBinRange(const BinRange& range, std::string_view pan);

// The product `product_id` of `issuer` when the PAN lies in one of its ranges; the caller
// takes the card's network from it. kInvalidCardProduct (field "/cardProductId") when the
// issuer has no such product or the PAN is outside every range of it: the message tells
// the two apart, and names neither the PAN nor its BIN. Another issuer's product of the
// same id is not visible.
core::Result<const CardProduct*> MatchCardProduct(std::span<const CardProduct> products,
                                                  std::string_view issuer,
                                                  std::string_view product_id,
                                                  const core::SecretBytes& pan);

}  // namespace c2p::domain
