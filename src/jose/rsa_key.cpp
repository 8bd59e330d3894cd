#include "jose/rsa_key.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <array>
#include <cstdint>
#include <new>
#include <stdexcept>
#include <vector>

#include "jose/base64url.hpp"
#include "jose/evp_util.hpp"
#include "jose/jwk_members.hpp"

namespace c2p::jose {
namespace json = boost::json;

namespace {

using detail::BnPtr;
using detail::InvalidMember;
using detail::InvalidMemberFromOpenSsl;
using detail::RequiredString;
using detail::UseAlg;

constexpr std::array<UseAlg, 3> kRsaUses{
    {{"sig", "PS256"}, {"sig", "RS256"}, {"enc", "RSA-OAEP-256"}}};
constexpr int kMaxExponentBits = 64;

// The private members of an RSA JWK and OpenSSL's names for them, in JWK order.
struct PrivateMember {
  std::string_view jwk_name;
  const char* param_name;
};
constexpr std::array<PrivateMember, 6> kPrivateMembers{{
    {"d", OSSL_PKEY_PARAM_RSA_D},
    {"p", OSSL_PKEY_PARAM_RSA_FACTOR1},
    {"q", OSSL_PKEY_PARAM_RSA_FACTOR2},
    {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1},
    {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2},
    {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1},
}};

struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* bld) const { OSSL_PARAM_BLD_free(bld); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* params) const { OSSL_PARAM_free(params); }
};
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, ParamFree>;

// n and e: RFC 7518 §2 Base64urlUInt, the minimum number of octets, so that one public key
// has one JWK (and one thumbprint input).
core::Result<BnPtr> DecodePublicUInt(const json::object& jwk, std::string_view name) {
  auto text = RequiredString(jwk, name);
  if (!text) return tl::unexpected(std::move(text.error()));
  auto bytes = Base64UrlDecode(*text);
  if (!bytes) return InvalidMember(bytes.error().message, name);
  if (bytes->empty()) return InvalidMember("RSA JWK member must not be empty", name);
  if (bytes->front() == 0) {
    return InvalidMember("RSA JWK member must not have leading zero octets", name);
  }
  BnPtr bn(BN_bin2bn(bytes->data(), static_cast<int>(bytes->size()), nullptr));
  if (!bn) throw std::bad_alloc();
  return bn;
}

// Private values go through wiped memory into a secure (cleared-on-free) BIGNUM. Leading
// zero octets are tolerated: some exporters pad the CRT values to half the modulus size.
core::Result<BnPtr> DecodePrivateUInt(const json::object& jwk, std::string_view name) {
  auto text = RequiredString(jwk, name);
  if (!text) return tl::unexpected(std::move(text.error()));
  auto bytes = Base64UrlDecodeSecret(*text);
  if (!bytes) return InvalidMember(bytes.error().message, name);
  if (bytes->empty()) return InvalidMember("RSA JWK member must not be empty", name);
  BnPtr bn(BN_secure_new());
  if (!bn || BN_bin2bn(bytes->data(), static_cast<int>(bytes->size()), bn.get()) == nullptr) {
    throw std::bad_alloc();
  }
  return bn;
}

BnPtr GetBn(EVP_PKEY* pkey, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) {
    detail::ClearOpenSslErrors();
    throw std::logic_error("RSA key without an expected parameter");
  }
  return BnPtr(raw);
}

std::string EncodePublicBn(const BIGNUM* bn) {
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(BN_num_bytes(bn)));
  BN_bn2bin(bn, bytes.data());
  return Base64UrlEncode(bytes);
}

core::SecretBytes EncodePrivateBn(const BIGNUM* bn) {
  core::SecretBytes bytes(static_cast<std::size_t>(BN_num_bytes(bn)));
  BN_bn2bin(bn, bytes.data());
  return Base64UrlEncodeSecret(bytes.view());
}

}  // namespace

RsaKey RsaKey::Generate(int bits) {
  if (bits < kMinBits || bits > kMaxBits) {
    throw std::invalid_argument("RSA key size outside 2048..4096 bits");
  }
  detail::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), bits) != 1 ||
      EVP_PKEY_generate(ctx.get(), &raw) != 1) {
    detail::ClearOpenSslErrors();
    throw std::runtime_error("RSA key generation failed");
  }
  return RsaKey(PkeyPtr(raw), true);
}

core::Result<RsaKey> RsaKey::FromJwk(const json::object& jwk) {
  auto kty = RequiredString(jwk, "kty");
  if (!kty) return tl::unexpected(std::move(kty.error()));
  if (*kty != "RSA") return InvalidMember("JWK kty must be RSA", "kty");
  auto meta = detail::ReadMetadata(jwk, kRsaUses);
  if (!meta) return tl::unexpected(std::move(meta.error()));
  if (jwk.contains("oth")) return InvalidMember("multi-prime RSA keys are not supported", "oth");

  auto n = DecodePublicUInt(jwk, "n");
  if (!n) return tl::unexpected(std::move(n.error()));
  const int n_bits = BN_num_bits(n->get());
  if (n_bits < kMinBits || n_bits > kMaxBits) {
    return InvalidMember("RSA modulus must have 2048 to 4096 bits", "n");
  }
  auto e = DecodePublicUInt(jwk, "e");
  if (!e) return tl::unexpected(std::move(e.error()));
  if (!BN_is_odd(e->get()) || BN_is_one(e->get())) {
    return InvalidMember("RSA exponent must be odd and greater than 1", "e");
  }
  if (BN_num_bits(e->get()) > kMaxExponentBits) {
    return InvalidMember("RSA exponent must fit in 64 bits", "e");
  }

  // All or nothing: a private key without its CRT values is refused rather than completed.
  bool any_private = false;
  for (const auto& member : kPrivateMembers)
    any_private = any_private || jwk.contains(member.jwk_name);
  std::array<BnPtr, kPrivateMembers.size()> private_values;
  if (any_private) {
    for (std::size_t i = 0; i < kPrivateMembers.size(); ++i) {
      const std::string_view name = kPrivateMembers[i].jwk_name;
      if (!jwk.contains(name)) {
        return InvalidMember("RSA private key needs all of d, p, q, dp, dq and qi", name);
      }
      auto value = DecodePrivateUInt(jwk, name);
      if (!value) return tl::unexpected(std::move(value.error()));
      private_values[i] = std::move(*value);
    }
  }

  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n->get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e->get()) != 1) {
    throw std::bad_alloc();
  }
  if (any_private) {
    for (std::size_t i = 0; i < kPrivateMembers.size(); ++i) {
      if (OSSL_PARAM_BLD_push_BN(bld.get(), kPrivateMembers[i].param_name,
                                 private_values[i].get()) != 1) {
        throw std::bad_alloc();
      }
    }
  }
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (!params) throw std::bad_alloc();

  detail::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) throw std::bad_alloc();
  EVP_PKEY* raw = nullptr;
  const int selection = any_private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY;
  if (EVP_PKEY_fromdata(ctx.get(), &raw, selection, params.get()) != 1) {
    return InvalidMemberFromOpenSsl("JWK is not a valid RSA key", "n");
  }
  PkeyPtr pkey(raw);

  // fromdata only stores the numbers; the checks are separate calls.
  detail::PkeyCtxPtr check = detail::NewCtx(pkey.get());
  if (EVP_PKEY_public_check(check.get()) != 1) {
    return InvalidMemberFromOpenSsl("JWK n/e is not a valid RSA public key", "n");
  }
  if (any_private && EVP_PKEY_check(check.get()) != 1) {
    return InvalidMemberFromOpenSsl("JWK private members are not the private key of n/e", "d");
  }

  RsaKey key(std::move(pkey), any_private);
  key.kid_ = std::move(meta->kid);
  key.use_ = std::move(meta->use);
  key.alg_ = std::move(meta->alg);
  return key;
}

int RsaKey::bits() const { return EVP_PKEY_get_bits(pkey_.get()); }

std::size_t RsaKey::modulus_bytes() const {
  return static_cast<std::size_t>(EVP_PKEY_get_size(pkey_.get()));
}

json::object RsaKey::ToPublicJwk() const {
  const BnPtr n = GetBn(pkey_.get(), OSSL_PKEY_PARAM_RSA_N);
  const BnPtr e = GetBn(pkey_.get(), OSSL_PKEY_PARAM_RSA_E);
  json::object jwk;
  jwk["kty"] = "RSA";
  detail::AddMetadata(jwk, kid_, use_, alg_);
  jwk["n"] = EncodePublicBn(n.get());
  jwk["e"] = EncodePublicBn(e.get());
  return jwk;
}

json::object RsaKey::ToPrivateJwk() const {
  if (!has_private_) throw std::logic_error("ToPrivateJwk on a public RSA key");
  json::object jwk = ToPublicJwk();
  for (const auto& member : kPrivateMembers) {
    const BnPtr value = GetBn(pkey_.get(), member.param_name);
    const core::SecretBytes text = EncodePrivateBn(value.get());
    jwk[member.jwk_name] = text.as_text();
  }
  return jwk;
}

std::string RsaKey::Thumbprint() const {
  // RFC 7638 §3.2: the required members only, in lexicographic order, no whitespace.
  const BnPtr n = GetBn(pkey_.get(), OSSL_PKEY_PARAM_RSA_N);
  const BnPtr e = GetBn(pkey_.get(), OSSL_PKEY_PARAM_RSA_E);
  const std::string canonical = R"({"e":")" + EncodePublicBn(e.get()) + R"(","kty":"RSA","n":")" +
                                EncodePublicBn(n.get()) + R"("})";
  return Base64UrlEncode(detail::Sha256Of(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(canonical.data()), canonical.size())));
}

}  // namespace c2p::jose
