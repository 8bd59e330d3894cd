#include "jose/jws.hpp"

#include <openssl/rsa.h>

#include <array>
#include <stdexcept>
#include <vector>

#include "core/strict_json.hpp"
#include "jose/base64url.hpp"
#include "jose/evp_util.hpp"
#include "jose/jws_internal.hpp"

namespace c2p::jose {
namespace json = boost::json;

struct VerificationKey::State {
  JwsAlg alg = JwsAlg::kEs256;
  std::string kid;
  detail::PkeyPtr pkey;
  // Verify-initialised once (padding, digest, salt length set); duplicated per use so no
  // verification fetches the signature algorithm again. Only ever read after construction.
  detail::PkeyCtxPtr verify;
  std::size_t signature_bytes = 0;
};

namespace {

using detail::DigestOf;
using detail::kEs256FieldBytes;
using detail::kEs256SignatureBytes;
using detail::SigningInputDigest;

constexpr int kPs256SaltBytes = 32;

tl::unexpected<core::Error> Invalid(std::string message) {
  return core::Fail(core::ErrorCode::kFieldInvalidFormat, std::move(message));
}

struct Parts {
  std::string_view header;
  std::string_view payload;
  std::string_view signature;
  std::string_view signing_input;  // header '.' payload, as signed
};

core::Result<Parts> Split(std::string_view compact) {
  if (compact.size() > kMaxJwsCompactBytes) return Invalid("JWS is longer than 16384 bytes");
  const std::size_t first = compact.find('.');
  const std::size_t second = first == std::string_view::npos ? first : compact.find('.', first + 1);
  if (second == std::string_view::npos || compact.find('.', second + 1) != std::string_view::npos) {
    return Invalid("JWS compact serialisation must have exactly three parts");
  }
  return Parts{compact.substr(0, first), compact.substr(first + 1, second - first - 1),
               compact.substr(second + 1), compact.substr(0, second)};
}

core::Result<json::object> DecodeHeader(std::string_view header_b64) {
  auto bytes = Base64UrlDecode(header_b64);
  if (!bytes) return Invalid("JWS header is not base64url");
  auto value = core::ParseStrictJson(
      std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()));
  if (!value || !value->is_object()) return Invalid("JWS header is not a JSON object");
  return std::move(value->as_object());
}

core::Result<void> CheckHeader(const json::object& header, const VerificationKey::State& key) {
  const json::value* alg = header.if_contains("alg");
  if (alg == nullptr) return Invalid("JWS header has no alg");
  if (!alg->is_string()) return Invalid("JWS alg must be a string");
  // The one decision that matters: the key's algorithm, whatever the token asks for.
  if (alg->get_string() != JwsAlgName(key.alg)) {
    return Invalid("JWS alg is not the algorithm this key is pinned to");
  }
  if (const json::value* kid = header.if_contains("kid")) {
    if (!kid->is_string() || kid->get_string().empty()) {
      return Invalid("JWS kid must be a non-empty string");
    }
    if (!key.kid.empty() && kid->get_string() != key.kid) {
      return Invalid("JWS kid does not name this key");
    }
  } else if (!key.kid.empty()) {
    return Invalid("JWS header has no kid");
  }
  // RFC 7515 §4.1.11: extensions c2p does not implement must not be ignored; none are.
  if (header.contains("crit")) return Invalid("JWS crit header parameters are not supported");
  if (header.contains("b64")) return Invalid("JWS b64 header parameter is not supported");
  return {};
}

core::Result<std::vector<std::uint8_t>> DecodeSignature(std::string_view signature_b64,
                                                        const VerificationKey::State& key) {
  auto signature = Base64UrlDecode(signature_b64);
  if (!signature) return Invalid("JWS signature is not base64url");
  if (signature->size() != key.signature_bytes) {
    return Invalid("JWS signature has the wrong length for its alg");
  }
  return signature;
}

// JWS carries ECDSA signatures as r‖s (RFC 7518 §3.4); OpenSSL wants DER. r or s of zero
// or not below the group order encode fine and are refused by the verification itself.
std::vector<std::uint8_t> RawToDer(std::span<const std::uint8_t> raw) {
  detail::EcdsaSigPtr sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(raw.data(), static_cast<int>(kEs256FieldBytes), nullptr);
  BIGNUM* s = BN_bin2bn(raw.data() + kEs256FieldBytes, static_cast<int>(kEs256FieldBytes), nullptr);
  if (!sig || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    throw std::bad_alloc();
  }
  const int size = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (size <= 0) throw std::runtime_error("ECDSA signature encoding failed");
  std::vector<std::uint8_t> der(static_cast<std::size_t>(size));
  std::uint8_t* out = der.data();
  if (i2d_ECDSA_SIG(sig.get(), &out) != size) throw std::runtime_error("ECDSA encoding failed");
  return der;
}

bool VerifyDigest(const VerificationKey::State& key, const detail::Sha256Digest& digest,
                  const std::vector<std::uint8_t>& signature) {
  detail::PkeyCtxPtr ctx = detail::DupOperation(key.verify.get());
  std::vector<std::uint8_t> der;
  std::span<const std::uint8_t> to_verify = signature;
  if (key.alg == JwsAlg::kEs256) {
    der = RawToDer(signature);
    to_verify = der;
  }
  const int rc =
      EVP_PKEY_verify(ctx.get(), to_verify.data(), to_verify.size(), digest.data(), digest.size());
  if (rc != 1) detail::ClearOpenSslErrors();
  return rc == 1;
}

std::shared_ptr<const VerificationKey::State> MakeState(JwsAlg alg, const std::string& kid,
                                                        EVP_PKEY* pkey,
                                                        std::size_t signature_bytes) {
  VerificationKey::State state;
  state.alg = alg;
  state.kid = kid;
  state.pkey = detail::UpRef(pkey);
  state.verify = detail::NewCtx(pkey);
  state.signature_bytes = signature_bytes;
  EVP_PKEY_CTX* ctx = state.verify.get();
  bool ok = EVP_PKEY_verify_init(ctx) == 1;
  if (alg == JwsAlg::kPs256) {
    ok = ok && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_signature_md(ctx, detail::Sha256()) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, detail::Sha256()) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, kPs256SaltBytes) == 1;
  } else if (alg == JwsAlg::kRs256) {
    ok = ok && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
         EVP_PKEY_CTX_set_signature_md(ctx, detail::Sha256()) == 1;
  }
  if (!ok) {
    detail::ClearOpenSslErrors();
    throw std::runtime_error("cannot prepare JWS verification");
  }
  return std::make_shared<const VerificationKey::State>(std::move(state));
}

core::Result<void> CheckKeyMetadata(const std::string& use, const std::string& key_alg,
                                    JwsAlg pinned) {
  if (use == "enc" || (!key_alg.empty() && key_alg != JwsAlgName(pinned))) {
    return core::Fail(core::ErrorCode::kConfigInvalid,
                      "key metadata does not allow " + std::string(JwsAlgName(pinned)));
  }
  return {};
}

}  // namespace

std::string_view JwsAlgName(JwsAlg alg) {
  switch (alg) {
    case JwsAlg::kEs256:
      return "ES256";
    case JwsAlg::kPs256:
      return "PS256";
    case JwsAlg::kRs256:
      return "RS256";
  }
  throw std::logic_error("unknown JwsAlg");
}

core::Result<VerificationKey> VerificationKey::Es256(const EcKey& key) {
  if (auto ok = CheckKeyMetadata(key.use(), key.alg(), JwsAlg::kEs256); !ok) {
    return tl::unexpected(std::move(ok.error()));
  }
  return VerificationKey(MakeState(JwsAlg::kEs256, key.kid(), key.pkey(), kEs256SignatureBytes));
}

core::Result<VerificationKey> VerificationKey::Ps256(const RsaKey& key) {
  if (auto ok = CheckKeyMetadata(key.use(), key.alg(), JwsAlg::kPs256); !ok) {
    return tl::unexpected(std::move(ok.error()));
  }
  return VerificationKey(MakeState(JwsAlg::kPs256, key.kid(), key.pkey(), key.modulus_bytes()));
}

core::Result<VerificationKey> VerificationKey::Rs256(const RsaKey& key) {
  if (auto ok = CheckKeyMetadata(key.use(), key.alg(), JwsAlg::kRs256); !ok) {
    return tl::unexpected(std::move(ok.error()));
  }
  return VerificationKey(MakeState(JwsAlg::kRs256, key.kid(), key.pkey(), key.modulus_bytes()));
}

JwsAlg VerificationKey::alg() const { return state_->alg; }
const std::string& VerificationKey::kid() const { return state_->kid; }

core::Result<json::object> PeekJwsHeader(std::string_view compact) {
  auto parts = Split(compact);
  if (!parts) return tl::unexpected(std::move(parts.error()));
  return DecodeHeader(parts->header);
}

struct DetachedJwsVerifier::Impl {
  VerificationKey key;
  json::object header;
  std::vector<std::uint8_t> signature;
  SigningInputDigest digest;
  bool finished = false;
};

DetachedJwsVerifier::DetachedJwsVerifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DetachedJwsVerifier::DetachedJwsVerifier(DetachedJwsVerifier&&) noexcept = default;
DetachedJwsVerifier& DetachedJwsVerifier::operator=(DetachedJwsVerifier&&) noexcept = default;
DetachedJwsVerifier::~DetachedJwsVerifier() = default;

core::Result<DetachedJwsVerifier> DetachedJwsVerifier::Start(std::string_view compact,
                                                             const VerificationKey& key) {
  auto parts = Split(compact);
  if (!parts) return tl::unexpected(std::move(parts.error()));
  auto header = DecodeHeader(parts->header);
  if (!header) return tl::unexpected(std::move(header.error()));
  if (auto ok = CheckHeader(*header, key.state()); !ok)
    return tl::unexpected(std::move(ok.error()));
  // Appendix F: the payload part is empty. A token carrying one is not the detached
  // signature the caller expects, and accepting it would let it replace the real payload.
  if (!parts->payload.empty()) {
    return Invalid("JWS carries a payload where a detached one was expected");
  }
  auto signature = DecodeSignature(parts->signature, key.state());
  if (!signature) return tl::unexpected(std::move(signature.error()));
  return DetachedJwsVerifier(std::make_unique<Impl>(Impl{
      key, std::move(*header), std::move(*signature), SigningInputDigest(parts->header), false}));
}

void DetachedJwsVerifier::Update(std::string_view payload_piece) {
  impl_->digest.Update(payload_piece);
}

core::Result<json::object> DetachedJwsVerifier::Finish() {
  if (impl_->finished) throw std::logic_error("DetachedJwsVerifier::Finish called twice");
  impl_->finished = true;
  const detail::Sha256Digest digest = impl_->digest.Finish();
  if (!VerifyDigest(impl_->key.state(), digest, impl_->signature)) {
    return Invalid("JWS signature does not verify");
  }
  return std::move(impl_->header);
}

core::Result<VerifiedJws> VerifyJws(std::string_view compact, const VerificationKey& key,
                                    std::optional<std::string_view> detached_payload) {
  if (detached_payload) {
    auto verifier = DetachedJwsVerifier::Start(compact, key);
    if (!verifier) return tl::unexpected(std::move(verifier.error()));
    verifier->Update(*detached_payload);
    auto header = verifier->Finish();
    if (!header) return tl::unexpected(std::move(header.error()));
    return VerifiedJws{std::move(*header), {}};
  }

  auto parts = Split(compact);
  if (!parts) return tl::unexpected(std::move(parts.error()));
  auto header = DecodeHeader(parts->header);
  if (!header) return tl::unexpected(std::move(header.error()));
  if (auto ok = CheckHeader(*header, key.state()); !ok)
    return tl::unexpected(std::move(ok.error()));
  // An empty payload part is the detached form; without the payload there is nothing the
  // signature could be checked against.
  if (parts->payload.empty()) return Invalid("JWS has no payload (detached form)");
  auto payload = Base64UrlDecode(parts->payload);
  if (!payload) return Invalid("JWS payload is not base64url");
  auto signature = DecodeSignature(parts->signature, key.state());
  if (!signature) return tl::unexpected(std::move(signature.error()));
  if (!VerifyDigest(key.state(), DigestOf(parts->signing_input), *signature)) {
    return Invalid("JWS signature does not verify");
  }
  return VerifiedJws{std::move(*header), std::string(payload->begin(), payload->end())};
}

}  // namespace c2p::jose
