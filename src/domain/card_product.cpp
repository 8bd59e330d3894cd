#include "domain/card_product.hpp"

#include <algorithm>

namespace c2p::domain {

bool InBinRange(const BinRange& range, std::string_view pan) {
  const std::size_t length = range.low.size();
  if (length == 0 || range.high.size() != length || pan.size() < length) return false;
  // A view, not a substring copy: the prefix is part of the PAN.
  const std::string_view prefix = pan.substr(0, length);
  return prefix >= range.low && prefix <= range.high;
}

core::Result<const CardProduct*> MatchCardProduct(std::span<const CardProduct> products,
                                                  std::string_view issuer,
                                                  std::string_view product_id,
                                                  const core::SecretBytes& pan) {
  const auto product = std::find_if(products.begin(), products.end(), [&](const CardProduct& p) {
    return p.issuer == issuer && p.id == product_id;
  });
  if (product == products.end()) {
    return core::Fail(core::ErrorCode::kInvalidCardProduct, "unknown card product",
                      "/cardProductId");
  }
  const std::string_view digits = pan.as_text();
  const bool inside = std::any_of(product->bin_ranges.begin(), product->bin_ranges.end(),
                                  [&](const BinRange& range) { return InBinRange(range, digits); });
  if (!inside) {
    return core::Fail(core::ErrorCode::kInvalidCardProduct,
                      "the card number is outside the card product's BIN ranges", "/cardProductId");
  }
  return &*product;
}

}  // namespace c2p::domain
