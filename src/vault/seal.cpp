#include "vault/seal.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include <openssl/err.h>
#include <openssl/rand.h>

#include "vault/aes_gcm.hpp"

namespace c2p::vault {

namespace {

constexpr std::uint8_t kFormatMarker = 'v';
constexpr std::size_t kMaxVersionBytes = 64;

// Where the parts of a well-formed blob lie.
struct Layout {
  std::span<const std::uint8_t> header;  // marker, length, version
  std::string_view version;
  std::span<const std::uint8_t> nonce;
  std::span<const std::uint8_t> ciphertext;
  std::span<const std::uint8_t> tag;
};

std::optional<Layout> Parse(std::span<const std::uint8_t> blob) {
  if (blob.size() < 2 || blob[0] != kFormatMarker) return std::nullopt;
  const std::size_t n = blob[1];
  if (n == 0 || n > kMaxVersionBytes || blob.size() < 2 + n + kGcmNonceBytes + kGcmTagBytes) {
    return std::nullopt;
  }
  Layout layout;
  layout.header = blob.first(2 + n);
  layout.version = {reinterpret_cast<const char*>(blob.data() + 2), n};
  layout.nonce = blob.subspan(2 + n, kGcmNonceBytes);
  const std::size_t body = 2 + n + kGcmNonceBytes;
  layout.ciphertext = blob.subspan(body, blob.size() - body - kGcmTagBytes);
  layout.tag = blob.last(kGcmTagBytes);
  return layout;
}

Bytes AsBytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

tl::unexpected<core::Error> Refuse(std::string message) {
  return core::Fail(core::ErrorCode::kInternal, std::move(message));
}

}  // namespace

SealedBlob Seal(const KeyRing& ring, std::span<const std::uint8_t> plaintext,
                std::string_view associated_data) {
  const std::string& version = ring.current_version();
  const core::SecretBytes* key = ring.Find(version);
  const std::size_t header_size = 2 + version.size();
  SealedBlob blob(header_size + kGcmNonceBytes + plaintext.size() + kGcmTagBytes);
  blob[0] = kFormatMarker;
  blob[1] = static_cast<std::uint8_t>(version.size());  // KeyRing keeps versions <= 64
  std::copy(version.begin(), version.end(), blob.begin() + 2);
  const std::span<std::uint8_t> all(blob);
  const auto nonce = all.subspan(header_size, kGcmNonceBytes);
  if (RAND_bytes(nonce.data(), static_cast<int>(nonce.size())) != 1) {
    ERR_clear_error();
    throw std::runtime_error("CSPRNG unavailable");
  }
  AesGcmEncrypt(key->view(), nonce, {all.first(header_size), AsBytes(associated_data)}, plaintext,
                all.subspan(header_size + kGcmNonceBytes, plaintext.size()),
                all.last(kGcmTagBytes));
  return blob;
}

core::Result<core::SecretBytes> Open(const KeyRing& ring, std::span<const std::uint8_t> blob,
                                     std::string_view associated_data) {
  const auto layout = Parse(blob);
  if (!layout) return Refuse("sealed value is malformed");
  const core::SecretBytes* key = ring.Find(layout->version);
  if (key == nullptr) return Refuse("sealed value names a key version that is not configured");
  core::SecretBytes plaintext(layout->ciphertext.size());
  if (!AesGcmDecrypt(key->view(), layout->nonce, {layout->header, AsBytes(associated_data)},
                     layout->ciphertext, layout->tag, {plaintext.data(), plaintext.size()})) {
    return Refuse("sealed value failed authentication");
  }
  return plaintext;
}

core::Result<std::string_view> SealedVersion(std::span<const std::uint8_t> blob) {
  const auto layout = Parse(blob);
  if (!layout) return Refuse("sealed value is malformed");
  return layout->version;
}

core::Result<SealedBlob> Reseal(const KeyRing& ring, std::span<const std::uint8_t> blob,
                                std::string_view associated_data) {
  auto plaintext = Open(ring, blob, associated_data);
  if (!plaintext) return tl::unexpected(std::move(plaintext.error()));
  return Seal(ring, *plaintext, associated_data);
}

}  // namespace c2p::vault
