// The JWS signing input digest (shared with verification) and ES256 signing, in one go
// (SignEs256) or of a detached payload in pieces (DetachedJwsSigner).

#include <algorithm>
#include <stdexcept>
#include <vector>

#include <boost/json/serialize.hpp>

#include "jose/base64url.hpp"
#include "jose/jws.hpp"
#include "jose/jws_internal.hpp"

namespace c2p::jose {
namespace json = boost::json;

namespace detail {
namespace {
// Whole base64 quanta, so each piece encodes on its own without padding.
constexpr std::size_t kEncodePieceBytes = std::size_t{3} * 1024;
}  // namespace

SigningInputDigest::SigningInputDigest(std::string_view header_b64) : md_(EVP_MD_CTX_new()) {
  if (!md_ || EVP_DigestInit_ex(md_.get(), Sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 init failed");
  }
  Hash(header_b64);
  Hash(".");
}

void SigningInputDigest::Update(std::string_view bytes) {
  while (!bytes.empty() && pending_size_ != 0) {
    pending_[pending_size_++] = static_cast<std::uint8_t>(bytes.front());
    bytes.remove_prefix(1);
    if (pending_size_ == pending_.size()) Flush();
  }
  const std::size_t whole = bytes.size() / 3 * 3;
  for (std::size_t offset = 0; offset < whole; offset += kEncodePieceBytes) {
    const std::size_t n = std::min(kEncodePieceBytes, whole - offset);
    Hash(Base64UrlEncode(bytes.substr(offset, n)));
  }
  for (char c : bytes.substr(whole)) pending_[pending_size_++] = static_cast<std::uint8_t>(c);
}

Sha256Digest SigningInputDigest::Finish() {
  Flush();
  Sha256Digest digest{};
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(md_.get(), digest.data(), &size) != 1 || size != digest.size()) {
    throw std::runtime_error("SHA-256 final failed");
  }
  return digest;
}

void SigningInputDigest::Hash(std::string_view text) {
  if (EVP_DigestUpdate(md_.get(), text.data(), text.size()) != 1) {
    throw std::runtime_error("SHA-256 update failed");
  }
}

void SigningInputDigest::Flush() {
  if (pending_size_ == 0) return;
  Hash(Base64UrlEncode(std::span<const std::uint8_t>(pending_.data(), pending_size_)));
  pending_size_ = 0;
}

Sha256Digest DigestOf(std::string_view text) {
  return Sha256Of(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(text.data()),
                                                text.size()));
}

}  // namespace detail

namespace {

// base64url of the protected header {"alg":"ES256"[,"kid"], extra_header...}.
std::string Es256HeaderB64(const EcKey& key, const JwsSignOptions& options) {
  if (!key.has_private()) throw std::logic_error("ES256 signing with a public EC key");
  json::object header;
  header["alg"] = "ES256";
  const std::string& kid = options.kid.empty() ? key.kid() : options.kid;
  if (!kid.empty()) header["kid"] = kid;
  for (const auto& member : options.extra_header) {
    const std::string_view name = member.key();
    if (name == "alg" || name == "kid" || name == "crit" || name == "b64") {
      throw std::invalid_argument("JwsSignOptions::extra_header may not set this member");
    }
    header[name] = member.value();
  }
  return Base64UrlEncode(json::serialize(header));
}

// base64url of the raw r||s ES256 signature of a signing-input digest.
std::string SignDigestEs256(EVP_PKEY* pkey, const detail::Sha256Digest& digest) {
  detail::PkeyCtxPtr ctx = detail::NewCtx(pkey);
  std::size_t der_size = 0;
  if (EVP_PKEY_sign_init(ctx.get()) != 1 ||
      EVP_PKEY_sign(ctx.get(), nullptr, &der_size, digest.data(), digest.size()) != 1) {
    detail::ClearOpenSslErrors();
    throw std::runtime_error("ES256 signing failed");
  }
  std::vector<std::uint8_t> der(der_size);
  if (EVP_PKEY_sign(ctx.get(), der.data(), &der_size, digest.data(), digest.size()) != 1) {
    detail::ClearOpenSslErrors();
    throw std::runtime_error("ES256 signing failed");
  }
  const std::uint8_t* in = der.data();
  detail::EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &in, static_cast<long>(der_size)));
  if (!sig) throw std::runtime_error("ES256 signature decoding failed");
  std::array<std::uint8_t, detail::kEs256SignatureBytes> raw{};
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), raw.data(), detail::kEs256FieldBytes) !=
          static_cast<int>(detail::kEs256FieldBytes) ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), raw.data() + detail::kEs256FieldBytes,
                   detail::kEs256FieldBytes) != static_cast<int>(detail::kEs256FieldBytes)) {
    throw std::runtime_error("ES256 signature wider than 32 bytes");
  }
  return Base64UrlEncode(raw);
}

}  // namespace

struct DetachedJwsSigner::Impl {
  detail::PkeyPtr pkey;
  std::string header_b64;
  detail::SigningInputDigest digest;
  bool finished = false;
};

DetachedJwsSigner::DetachedJwsSigner(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DetachedJwsSigner::DetachedJwsSigner(DetachedJwsSigner&&) noexcept = default;
DetachedJwsSigner& DetachedJwsSigner::operator=(DetachedJwsSigner&&) noexcept = default;
DetachedJwsSigner::~DetachedJwsSigner() = default;

DetachedJwsSigner DetachedJwsSigner::Start(const EcKey& key, const JwsSignOptions& options) {
  std::string header_b64 = Es256HeaderB64(key, options);
  detail::SigningInputDigest digest(header_b64);
  return DetachedJwsSigner(std::make_unique<Impl>(
      Impl{detail::UpRef(key.pkey()), std::move(header_b64), std::move(digest), false}));
}

void DetachedJwsSigner::Update(std::string_view payload_piece) {
  impl_->digest.Update(payload_piece);
}

std::string DetachedJwsSigner::Finish() {
  if (impl_->finished) throw std::logic_error("DetachedJwsSigner::Finish called twice");
  impl_->finished = true;
  return impl_->header_b64 + ".." + SignDigestEs256(impl_->pkey.get(), impl_->digest.Finish());
}

std::string SignEs256(std::string_view payload, const EcKey& key, const JwsSignOptions& options) {
  if (options.detached) {
    DetachedJwsSigner signer = DetachedJwsSigner::Start(key, options);
    signer.Update(payload);
    return signer.Finish();
  }
  const std::string signing_input = Es256HeaderB64(key, options) + "." + Base64UrlEncode(payload);
  return signing_input + "." + SignDigestEs256(key.pkey(), detail::DigestOf(signing_input));
}

}  // namespace c2p::jose
