// RSA-OAEP-256 key wrapping (RFC 7518 §4.3): RSAES-OAEP with SHA-256 and MGF1-SHA-256.

#include <openssl/rsa.h>

#include <stdexcept>

#include "jose/jwe.hpp"
#include "jose/jwe_internal.hpp"

namespace c2p::jose {

namespace detail {
namespace {

bool SetOaepSha256(EVP_PKEY_CTX* ctx) {
  return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_oaep_md(ctx, Sha256()) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, Sha256()) == 1;
}

}  // namespace

PkeyCtxPtr PrepareRsaOaepDecrypt(EVP_PKEY* private_key) {
  PkeyCtxPtr ctx = NewCtx(private_key);
  if (EVP_PKEY_decrypt_init(ctx.get()) != 1 || !SetOaepSha256(ctx.get())) {
    ClearOpenSslErrors();
    throw std::runtime_error("cannot prepare RSA-OAEP-256");
  }
  return ctx;
}

core::SecretBytes RsaOaepUnwrap(std::span<const std::uint8_t> encrypted_key,
                                const JweDecryptionKeys::Entry& key) {
  // Drawn before decrypting so both outcomes do the same work up to the choice.
  core::SecretBytes substitute = RandomSecret(kCekBytes);
  core::SecretBytes cek(key.rsa_bytes);
  std::size_t cek_size = cek.size();
  PkeyCtxPtr ctx = DupOperation(key.op.get());
  const bool ok = EVP_PKEY_decrypt(ctx.get(), cek.data(), &cek_size, encrypted_key.data(),
                                   encrypted_key.size()) == 1 &&
                  cek_size == kCekBytes;
  if (!ok) {
    ClearOpenSslErrors();
    return substitute;
  }
  cek.truncate(kCekBytes);
  return cek;
}

}  // namespace detail

std::string EncryptRsaOaep256(std::span<const std::uint8_t> plaintext, const RsaKey& recipient,
                              std::string_view kid) {
  const core::SecretBytes cek = detail::RandomSecret(detail::kCekBytes);
  detail::PkeyCtxPtr ctx = detail::NewCtx(recipient.pkey());
  std::vector<std::uint8_t> encrypted_key(recipient.modulus_bytes());
  std::size_t size = encrypted_key.size();
  if (EVP_PKEY_encrypt_init(ctx.get()) != 1 || !detail::SetOaepSha256(ctx.get()) ||
      EVP_PKEY_encrypt(ctx.get(), encrypted_key.data(), &size, cek.data(), cek.size()) != 1) {
    detail::ClearOpenSslErrors();
    throw std::runtime_error("RSA-OAEP-256 encryption failed");
  }
  encrypted_key.resize(size);
  const boost::json::object header =
      detail::StartHeader("RSA-OAEP-256", kid.empty() ? recipient.kid() : kid);
  return detail::SealCompact(header, encrypted_key, cek, plaintext);
}

}  // namespace c2p::jose
