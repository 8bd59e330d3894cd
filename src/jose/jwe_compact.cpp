// The JWE compact serialisation, the header allow-list, the key set and AES-256-GCM. The
// two key managements are in jwe_ecdh.cpp and jwe_rsa.cpp.

#include <algorithm>
#include <array>
#include <stdexcept>

#include <boost/json/serialize.hpp>

#include "core/strict_json.hpp"
#include "jose/base64url.hpp"
#include "jose/jwe.hpp"
#include "jose/jwe_internal.hpp"

namespace c2p::jose {
namespace json = boost::json;

namespace detail {

tl::unexpected<core::Error> InvalidJwe(std::string message) {
  return core::Fail(core::ErrorCode::kInvalidEncryptedData, std::move(message));
}

GcmSealed AesGcmSeal(const core::SecretBytes& cek, std::string_view aad,
                     std::span<const std::uint8_t> plaintext) {
  GcmSealed sealed{RandomBytes(kGcmIvBytes), std::vector<std::uint8_t>(plaintext.size()),
                   std::vector<std::uint8_t>(kGcmTagBytes)};
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  // The AAD update reports the AAD's length: kept apart from `len`, which must stay 0 for
  // an empty plaintext (an offset from the empty vector's null data() is undefined).
  int aad_len = 0;
  int len = 0;
  int final_len = 0;
  if (!ctx || cek.size() != kCekBytes ||
      EVP_EncryptInit_ex2(ctx.get(), Aes256Gcm(), cek.data(), sealed.iv.data(), nullptr) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &aad_len,
                        reinterpret_cast<const std::uint8_t*>(aad.data()),
                        static_cast<int>(aad.size())) != 1 ||
      (!plaintext.empty() &&
       EVP_EncryptUpdate(ctx.get(), sealed.ciphertext.data(), &len, plaintext.data(),
                         static_cast<int>(plaintext.size())) != 1) ||
      EVP_EncryptFinal_ex(ctx.get(), sealed.ciphertext.data() + len, &final_len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, static_cast<int>(kGcmTagBytes),
                          sealed.tag.data()) != 1) {
    ClearOpenSslErrors();
    throw std::runtime_error("AES-256-GCM encryption failed");
  }
  return sealed;
}

std::optional<core::SecretBytes> AesGcmOpen(const core::SecretBytes& cek,
                                            std::span<const std::uint8_t> iv, std::string_view aad,
                                            std::span<const std::uint8_t> ciphertext,
                                            std::span<const std::uint8_t> tag) {
  if (cek.size() != kCekBytes || iv.size() != kGcmIvBytes || tag.size() != kGcmTagBytes) {
    throw std::logic_error("AesGcmOpen with unchecked sizes");
  }
  // EVP_CTRL_AEAD_SET_TAG takes a non-const pointer; copy rather than cast constness away.
  std::array<std::uint8_t, kGcmTagBytes> tag_copy{};
  std::copy(tag.begin(), tag.end(), tag_copy.begin());
  core::SecretBytes plaintext(ciphertext.size());
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx || EVP_DecryptInit_ex2(ctx.get(), Aes256Gcm(), cek.data(), iv.data(), nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, static_cast<int>(tag_copy.size()),
                          tag_copy.data()) != 1) {
    ClearOpenSslErrors();
    throw std::runtime_error("AES-256-GCM initialisation failed");
  }
  int aad_len = 0;  // apart from `len`, as in Seal
  int len = 0;
  int final_len = 0;
  const bool ok =
      EVP_DecryptUpdate(ctx.get(), nullptr, &aad_len,
                        reinterpret_cast<const std::uint8_t*>(aad.data()),
                        static_cast<int>(aad.size())) == 1 &&
      (ciphertext.empty() || EVP_DecryptUpdate(ctx.get(), plaintext.data(), &len, ciphertext.data(),
                                               static_cast<int>(ciphertext.size())) == 1) &&
      EVP_DecryptFinal_ex(ctx.get(), plaintext.data() + len, &final_len) == 1;
  if (!ok) {
    ClearOpenSslErrors();
    return std::nullopt;  // `plaintext` is wiped on destruction
  }
  return plaintext;
}

std::string SealCompact(const json::object& header, std::span<const std::uint8_t> encrypted_key,
                        const core::SecretBytes& cek, std::span<const std::uint8_t> plaintext) {
  const std::string header_b64 = Base64UrlEncode(json::serialize(header));
  const GcmSealed sealed = AesGcmSeal(cek, header_b64, plaintext);
  std::string out = header_b64;
  for (std::span<const std::uint8_t> part :
       {encrypted_key, std::span<const std::uint8_t>(sealed.iv),
        std::span<const std::uint8_t>(sealed.ciphertext),
        std::span<const std::uint8_t>(sealed.tag)}) {
    out += '.';
    out += Base64UrlEncode(part);
  }
  return out;
}

json::object StartHeader(std::string_view alg, std::string_view kid) {
  json::object header;
  header["alg"] = alg;
  header["enc"] = kEnc;
  if (!kid.empty()) header["kid"] = kid;
  return header;
}

}  // namespace detail

namespace {

using detail::InvalidJwe;

constexpr std::string_view kEcdhEs = "ECDH-ES";
constexpr std::string_view kRsaOaep256 = "RSA-OAEP-256";
constexpr std::size_t kParts = 5;

core::Result<std::array<std::string_view, kParts>> Split(std::string_view compact) {
  std::array<std::string_view, kParts> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i < kParts; ++i) {
    const std::size_t dot = compact.find('.', start);
    const bool last = i + 1 == kParts;
    if (last != (dot == std::string_view::npos)) {
      return InvalidJwe("JWE compact serialisation must have exactly five parts");
    }
    parts[i] = compact.substr(start, last ? std::string_view::npos : dot - start);
    start = dot + 1;
  }
  return parts;
}

core::Result<json::object> DecodeHeader(std::string_view header_b64) {
  auto bytes = Base64UrlDecode(header_b64);
  if (!bytes) return InvalidJwe("JWE header is not base64url");
  auto value = core::ParseStrictJson(
      std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()));
  if (!value || !value->is_object()) return InvalidJwe("JWE header is not a JSON object");
  return std::move(value->as_object());
}

const json::string* StringMember(const json::object& header, std::string_view name) {
  const json::value* v = header.if_contains(name);
  return v == nullptr ? nullptr : v->if_string();
}

// The allow-list, checked before any key is touched. Returns the key named by "kid".
core::Result<const JweDecryptionKeys::Entry*> CheckHeader(const json::object& header,
                                                          const JweDecryptionKeys& keys) {
  const json::string* alg = StringMember(header, "alg");
  if (alg == nullptr) return InvalidJwe("JWE alg is missing or not a string");
  if (*alg != kEcdhEs && *alg != kRsaOaep256) return InvalidJwe("JWE alg is not accepted");
  const json::string* enc = StringMember(header, "enc");
  if (enc == nullptr || *enc != detail::kEnc) return InvalidJwe("JWE enc is not accepted");
  // Compression before encryption leaks the plaintext through the length (and a
  // decompressor is attack surface); RFC 7516 makes "zip" optional to implement.
  if (header.contains("zip")) return InvalidJwe("JWE zip is not accepted");
  if (header.contains("crit")) return InvalidJwe("JWE crit header parameters are not supported");
  const json::string* kid = StringMember(header, "kid");
  if (kid == nullptr) return InvalidJwe("JWE kid is missing or not a string");
  const JweDecryptionKeys::Entry* key = keys.Find(*kid);
  if (key == nullptr) return InvalidJwe("JWE kid does not name a decryption key");
  const JweKeyAlg wanted = *alg == kEcdhEs ? JweKeyAlg::kEcdhEs : JweKeyAlg::kRsaOaep256;
  if (key->alg != wanted) return InvalidJwe("JWE alg is not the one of the key named by kid");
  return key;
}

core::Result<std::vector<std::uint8_t>> DecodePart(std::string_view text, std::string message) {
  auto bytes = Base64UrlDecode(text);
  if (!bytes) return InvalidJwe(std::move(message));
  return bytes;
}

}  // namespace

core::Result<void> JweDecryptionKeys::AddEcdhEs(const EcKey& key) {
  if (!key.has_private()) {
    return core::Fail(core::ErrorCode::kConfigInvalid, "JWE decryption key has no private part");
  }
  if (key.use() == "sig" || (!key.alg().empty() && key.alg() != kEcdhEs)) {
    return core::Fail(core::ErrorCode::kConfigInvalid, "key metadata does not allow ECDH-ES");
  }
  auto entry = std::make_shared<Entry>();
  entry->kid = key.kid();
  entry->alg = JweKeyAlg::kEcdhEs;
  entry->pkey = detail::UpRef(key.pkey());
  entry->op = detail::PrepareEcdhDerive(entry->pkey.get());
  return Add(std::move(entry));
}

core::Result<void> JweDecryptionKeys::AddRsaOaep256(const RsaKey& key) {
  if (!key.has_private()) {
    return core::Fail(core::ErrorCode::kConfigInvalid, "JWE decryption key has no private part");
  }
  if (key.use() == "sig" || (!key.alg().empty() && key.alg() != kRsaOaep256)) {
    return core::Fail(core::ErrorCode::kConfigInvalid, "key metadata does not allow RSA-OAEP-256");
  }
  auto entry = std::make_shared<Entry>();
  entry->kid = key.kid();
  entry->alg = JweKeyAlg::kRsaOaep256;
  entry->pkey = detail::UpRef(key.pkey());
  entry->op = detail::PrepareRsaOaepDecrypt(entry->pkey.get());
  entry->rsa_bytes = key.modulus_bytes();
  return Add(std::move(entry));
}

core::Result<void> JweDecryptionKeys::Add(std::shared_ptr<const Entry> entry) {
  if (entry->kid.empty()) {
    return core::Fail(core::ErrorCode::kConfigInvalid, "JWE decryption key needs a kid");
  }
  if (Find(entry->kid) != nullptr) {
    return core::Fail(core::ErrorCode::kConfigInvalid,
                      "JWE decryption kid is used twice: " + entry->kid);
  }
  entries_.push_back(std::move(entry));
  return {};
}

const JweDecryptionKeys::Entry* JweDecryptionKeys::Find(std::string_view kid) const {
  for (const auto& entry : entries_) {
    if (entry->kid == kid) return entry.get();
  }
  return nullptr;
}

core::Result<core::SecretBytes> DecryptJwe(std::string_view compact,
                                           const JweDecryptionKeys& keys) {
  if (compact.size() > kMaxJweCompactBytes) return InvalidJwe("JWE is longer than 8192 characters");
  auto parts = Split(compact);
  if (!parts) return tl::unexpected(std::move(parts.error()));
  const auto& [header_b64, encrypted_key_b64, iv_b64, ciphertext_b64, tag_b64] = *parts;

  auto header = DecodeHeader(header_b64);
  if (!header) return tl::unexpected(std::move(header.error()));
  auto key = CheckHeader(*header, keys);
  if (!key) return tl::unexpected(std::move(key.error()));

  // The cheap checks on every part come before any private-key operation.
  auto iv = DecodePart(iv_b64, "JWE IV is not base64url");
  if (!iv) return tl::unexpected(std::move(iv.error()));
  if (iv->size() != detail::kGcmIvBytes) return InvalidJwe("JWE IV must be 12 bytes");
  auto tag = DecodePart(tag_b64, "JWE tag is not base64url");
  if (!tag) return tl::unexpected(std::move(tag.error()));
  if (tag->size() != detail::kGcmTagBytes) return InvalidJwe("JWE tag must be 16 bytes");
  auto ciphertext = DecodePart(ciphertext_b64, "JWE ciphertext is not base64url");
  if (!ciphertext) return tl::unexpected(std::move(ciphertext.error()));
  auto encrypted_key = DecodePart(encrypted_key_b64, "JWE encrypted key is not base64url");
  if (!encrypted_key) return tl::unexpected(std::move(encrypted_key.error()));

  core::SecretBytes cek;
  if ((*key)->alg == JweKeyAlg::kEcdhEs) {
    // RFC 7516 §5.2 step 10: with direct key agreement the encrypted key is empty.
    if (!encrypted_key->empty()) return InvalidJwe("JWE encrypted key must be empty for ECDH-ES");
    auto agreed = detail::EcdhEsUnwrap(*header, **key);
    if (!agreed) return tl::unexpected(std::move(agreed.error()));
    cek = std::move(*agreed);
  } else {
    if (encrypted_key->size() != (*key)->rsa_bytes) {
      return InvalidJwe("JWE encrypted key does not have the RSA modulus size");
    }
    cek = detail::RsaOaepUnwrap(*encrypted_key, **key);
  }

  auto plaintext = detail::AesGcmOpen(cek, *iv, header_b64, *ciphertext, *tag);
  if (!plaintext) return InvalidJwe("JWE cannot be decrypted");
  return std::move(*plaintext);
}

}  // namespace c2p::jose
