#include "vault/aes_gcm.hpp"

#include <climits>
#include <memory>
#include <new>
#include <stdexcept>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "core/secret_bytes.hpp"

namespace c2p::vault {

namespace {

const EVP_CIPHER* Cipher() {
  static const EVP_CIPHER* const cipher = [] {
    EVP_CIPHER* fetched = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    if (fetched == nullptr) throw std::runtime_error("OpenSSL has no AES-256-GCM");
    return fetched;
  }();
  return cipher;
}

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

[[noreturn]] void Broken(const char* what) {
  ERR_clear_error();
  throw std::runtime_error(what);
}

void CheckSizes(Bytes key, Bytes nonce, std::size_t in, std::size_t out, std::size_t tag) {
  // EVP lengths are ints; nothing c2p seals comes near, so a larger input is a bug.
  if (key.size() != kAesKeyBytes || nonce.size() != kGcmNonceBytes || in != out ||
      tag != kGcmTagBytes || in > static_cast<std::size_t>(INT_MAX)) {
    throw std::invalid_argument("AES-GCM: wrong key, nonce, buffer or tag size");
  }
}

CtxPtr Start(Bytes key, Bytes nonce, AadParts aad, bool encrypt) {
  CtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) throw std::bad_alloc();
  const int ok = encrypt
                     ? EVP_EncryptInit_ex2(ctx.get(), Cipher(), key.data(), nonce.data(), nullptr)
                     : EVP_DecryptInit_ex2(ctx.get(), Cipher(), key.data(), nonce.data(), nullptr);
  if (ok != 1) Broken("AES-GCM: init failed");
  for (Bytes part : aad) {
    int unused = 0;
    if (part.size() > static_cast<std::size_t>(INT_MAX))
      throw std::invalid_argument("AAD too long");
    if (!part.empty() && EVP_CipherUpdate(ctx.get(), nullptr, &unused, part.data(),
                                          static_cast<int>(part.size())) != 1) {
      Broken("AES-GCM: AAD failed");
    }
  }
  return ctx;
}

}  // namespace

void PrepareAesGcm() { (void)Cipher(); }

void AesGcmEncrypt(Bytes key, Bytes nonce, AadParts aad, Bytes plaintext,
                   std::span<std::uint8_t> ciphertext, std::span<std::uint8_t> tag) {
  CheckSizes(key, nonce, plaintext.size(), ciphertext.size(), tag.size());
  CtxPtr ctx = Start(key, nonce, aad, true);
  int written = 0;
  int final_written = 0;
  // GCM is a stream mode: update writes every byte and final writes none.
  if ((!plaintext.empty() &&
       EVP_EncryptUpdate(ctx.get(), ciphertext.data(), &written, plaintext.data(),
                         static_cast<int>(plaintext.size())) != 1) ||
      EVP_EncryptFinal_ex(ctx.get(), ciphertext.data() + written, &final_written) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag.size()),
                          tag.data()) != 1) {
    Broken("AES-GCM: encryption failed");
  }
}

bool AesGcmDecrypt(Bytes key, Bytes nonce, AadParts aad, Bytes ciphertext, Bytes tag,
                   std::span<std::uint8_t> plaintext) {
  CheckSizes(key, nonce, ciphertext.size(), plaintext.size(), tag.size());
  CtxPtr ctx = Start(key, nonce, aad, false);
  int written = 0;
  int final_written = 0;
  if (!ciphertext.empty() &&
      EVP_DecryptUpdate(ctx.get(), plaintext.data(), &written, ciphertext.data(),
                        static_cast<int>(ciphertext.size())) != 1) {
    Broken("AES-GCM: decryption failed");
  }
  // The tag is an input to the check; OpenSSL's prototype is not const-correct.
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag.size()),
                          const_cast<std::uint8_t*>(tag.data())) != 1) {
    Broken("AES-GCM: setting the tag failed");
  }
  if (EVP_DecryptFinal_ex(ctx.get(), plaintext.data() + written, &final_written) != 1) {
    // Authentication failed: what update produced is not to be trusted or kept.
    core::SecureWipe(plaintext.data(), plaintext.size());
    ERR_clear_error();
    return false;
  }
  return true;
}

}  // namespace c2p::vault
