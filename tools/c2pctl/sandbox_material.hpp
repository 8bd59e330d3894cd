#pragma once
// What c2pctl's commands need from a sandbox (shared/spec/sandbox.md §1): the issuer's
// ES256 signing key, c2p's public encryption key, c2p's URL and the card products, read
// from `<sandbox>/sandbox.json`.
//
// sandbox.json names each product by network but not its BIN ranges; those are the
// sandbox's documented ranges (docs/sandbox.md): VISA 400000–499999, MASTERCARD
// 510000–559999 and 222100–272099.

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "domain/card_product.hpp"
#include "jose/jwk.hpp"

namespace c2p::ctl {

struct SandboxMaterial {
  std::string issuer_id;
  std::string base_url;        // c2p's URL (baseUrl); empty when sandbox.json has none
  jose::EcKey signing_key;     // private; its kid (RFC 7638 thumbprint) signs the batch
  jose::EcKey encryption_key;  // public: card data is encrypted to it
  // VISA first, then MASTERCARD, for the ones sandbox.json lists.
  std::vector<domain::CardProduct> products;
};

// Reads `<sandbox_dir>/sandbox.json`. `issuer` empty: the file's issuerId; otherwise
// issuerId or one of otherIssuers. kConfigInvalid (with the file name) for a missing
// file, bad JSON, an unknown issuer, a key that is not P-256 (private for signing) or no
// known card product.
core::Result<SandboxMaterial> ReadSandboxMaterial(const std::filesystem::path& sandbox_dir,
                                                  const std::string& issuer);

// The sandbox's products for `issuer`, as docs/sandbox.md documents them, for the networks
// in `card_products` (sandbox.json's {"VISA": id, "MASTERCARD": id}).
std::vector<domain::CardProduct> SandboxProducts(const boost::json::object& card_products,
                                                 const std::string& issuer);

}  // namespace c2p::ctl
