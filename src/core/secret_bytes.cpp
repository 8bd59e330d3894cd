#include "core/secret_bytes.hpp"

#include <openssl/crypto.h>

namespace c2p::core {

void SecureWipe(void* data, std::size_t size) {
  if (data != nullptr && size > 0) OPENSSL_cleanse(data, size);
}

void SecretBytes::Wipe() {
  // SecretBytes never grows in place (no append), and truncate() wipes what it cuts off,
  // so the live bytes are the only copy left to wipe.
  SecureWipe(bytes_.data(), bytes_.size());
  bytes_.clear();
}

void SecretBytes::truncate(std::size_t size) {
  if (size >= bytes_.size()) return;
  SecureWipe(bytes_.data() + size, bytes_.size() - size);
  bytes_.resize(size);
}

}  // namespace c2p::core
