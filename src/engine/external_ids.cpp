#include "engine/external_ids.hpp"

#include <array>
#include <stdexcept>

#include <openssl/evp.h>

namespace c2p::engine {

namespace {

// "prefix" + 32 hex digits of SHA-256 over length-prefixed parts (injective: ("ab","c")
// and ("a","bc") differ). 128 bits: collisions are out of reach.
std::string Derive(std::string_view prefix, std::initializer_list<std::string_view> parts) {
  std::string input;
  for (auto part : parts) {
    input += std::to_string(part.size());
    input += ':';
    input += part;
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(input.data(), input.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(prefix);
  for (unsigned int i = 0; i < 16 && i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return out;
}

}  // namespace

std::string ExternalConsumerId(std::string_view issuer, std::string_view consumer_id) {
  return Derive("c2pc-", {"consumer", issuer, consumer_id});
}

std::string ExternalCardId(std::string_view issuer, std::string_view card_id,
                           std::int64_t card_created_ms) {
  const std::string created = std::to_string(card_created_ms);
  return Derive("c2pk-", {"card", issuer, card_id, created});
}

}  // namespace c2p::engine
