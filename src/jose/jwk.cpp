#include "jose/jwk.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "jose/base64url.hpp"
#include "jose/evp_util.hpp"
#include "jose/jwk_members.hpp"

namespace c2p::jose {
namespace json = boost::json;

namespace {

constexpr std::size_t kP256FieldBytes = 32;
// OpenSSL's own name for P-256; the JWK name "P-256" is only the wire spelling.
constexpr char kP256GroupName[] = "prime256v1";
constexpr std::size_t kMinOctBytes = 16;
constexpr std::size_t kAesGcm256Bytes = 32;
constexpr std::size_t kHs256MinBytes = 32;

using detail::AddMetadata;
using detail::BnPtr;
using detail::InvalidMember;
using detail::InvalidMemberFromOpenSsl;
using detail::OptionalString;
using detail::ReadMetadata;
using detail::RequiredString;
using detail::UseAlg;
using CtxPtr = detail::PkeyCtxPtr;

struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* bld) const { OSSL_PARAM_BLD_free(bld); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* params) const { OSSL_PARAM_free(params); }
};
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, ParamFree>;

core::Result<std::array<std::uint8_t, kP256FieldBytes>> DecodeCoordinate(const json::object& jwk,
                                                                         std::string_view name) {
  auto text = RequiredString(jwk, name);
  if (!text) return tl::unexpected(std::move(text.error()));
  auto bytes = Base64UrlDecode(*text);
  if (!bytes) return InvalidMember(bytes.error().message, name);
  // RFC 7518 §6.2.1.2: the full field size, leading zeros kept, so one key has one JWK.
  if (bytes->size() != kP256FieldBytes) {
    return InvalidMember("P-256 coordinate must be 32 bytes", name);
  }
  std::array<std::uint8_t, kP256FieldBytes> out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

constexpr std::array<UseAlg, 2> kEcUses{{{"sig", "ES256"}, {"enc", "ECDH-ES"}}};
constexpr std::array<UseAlg, 2> kOctUses{{{"enc", "A256GCM"}, {"sig", "HS256"}}};

std::array<std::uint8_t, kP256FieldBytes> GetCoordinate(EVP_PKEY* pkey, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) {
    throw std::logic_error("EC key without public coordinates");
  }
  BnPtr bn(raw);
  std::array<std::uint8_t, kP256FieldBytes> out{};
  if (BN_bn2binpad(bn.get(), out.data(), static_cast<int>(out.size())) !=
      static_cast<int>(out.size())) {
    throw std::logic_error("EC coordinate wider than the P-256 field");
  }
  return out;
}

}  // namespace

EcKey EcKey::Generate() {
  CtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_group_name(ctx.get(), kP256GroupName) != 1 ||
      EVP_PKEY_generate(ctx.get(), &raw) != 1) {
    ERR_clear_error();
    throw std::runtime_error("P-256 key generation failed");
  }
  return EcKey(PkeyPtr(raw), true);
}

core::Result<EcKey> EcKey::FromJwk(const json::object& jwk) {
  auto kty = RequiredString(jwk, "kty");
  if (!kty) return tl::unexpected(std::move(kty.error()));
  if (*kty != "EC") return InvalidMember("JWK kty must be EC", "kty");
  auto crv = RequiredString(jwk, "crv");
  if (!crv) return tl::unexpected(std::move(crv.error()));
  if (*crv != "P-256") return InvalidMember("JWK crv must be P-256", "crv");
  auto meta = ReadMetadata(jwk, kEcUses);
  if (!meta) return tl::unexpected(std::move(meta.error()));
  auto x = DecodeCoordinate(jwk, "x");
  if (!x) return tl::unexpected(std::move(x.error()));
  auto y = DecodeCoordinate(jwk, "y");
  if (!y) return tl::unexpected(std::move(y.error()));

  BnPtr d;
  if (jwk.contains("d")) {
    auto d_text = RequiredString(jwk, "d");
    if (!d_text) return tl::unexpected(std::move(d_text.error()));
    auto d_bytes = Base64UrlDecodeSecret(*d_text);
    if (!d_bytes) return InvalidMember(d_bytes.error().message, "d");
    if (d_bytes->size() != kP256FieldBytes) return InvalidMember("P-256 d must be 32 bytes", "d");
    // A secure BIGNUM makes OSSL_PARAM_BLD keep the scalar in the (cleared) secure heap.
    d.reset(BN_secure_new());
    if (!d || BN_bin2bn(d_bytes->data(), static_cast<int>(d_bytes->size()), d.get()) == nullptr) {
      throw std::bad_alloc();
    }
  }

  // SEC 1 uncompressed point: 0x04 || x || y.
  std::array<std::uint8_t, 1 + 2 * kP256FieldBytes> point{};
  point[0] = 0x04;
  std::copy(x->begin(), x->end(), point.begin() + 1);
  std::copy(y->begin(), y->end(), point.begin() + 1 + kP256FieldBytes);

  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, kP256GroupName, 0) !=
          1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1 ||
      (d && OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) != 1)) {
    throw std::bad_alloc();
  }
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (!params) throw std::bad_alloc();

  CtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) throw std::bad_alloc();
  const int selection = d ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY;
  if (EVP_PKEY_fromdata(ctx.get(), &raw, selection, params.get()) != 1) {
    return InvalidMemberFromOpenSsl("JWK x/y is not a point on P-256", "x");
  }
  PkeyPtr pkey(raw);

  // fromdata only decodes: the full checks (point on the curve and in the prime-order
  // group; and with d, 0 < d < n and d·G == (x, y)) are done here.
  CtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  if (!check) throw std::bad_alloc();
  if (EVP_PKEY_public_check(check.get()) != 1) {
    return InvalidMemberFromOpenSsl("JWK x/y is not a valid P-256 public key", "x");
  }
  if (d && EVP_PKEY_check(check.get()) != 1) {
    return InvalidMemberFromOpenSsl("JWK d is not the private key of x/y", "d");
  }

  EcKey key(std::move(pkey), static_cast<bool>(d));
  key.kid_ = std::move(meta->kid);
  key.use_ = std::move(meta->use);
  key.alg_ = std::move(meta->alg);
  return key;
}

core::Result<EcKey> EcKey::FromPublicPem(std::string_view pem) {
  const auto invalid = [] {
    ERR_clear_error();
    return core::Fail(core::ErrorCode::kConfigInvalid, "not a PEM P-256 public key");
  };
  if (pem.size() > std::size_t{16} * 1024) return invalid();
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) throw std::bad_alloc();
  PkeyPtr pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!pkey || EVP_PKEY_get_base_id(pkey.get()) != EVP_PKEY_EC) return invalid();
  std::array<char, 64> group{};
  std::size_t group_len = 0;
  if (EVP_PKEY_get_utf8_string_param(pkey.get(), OSSL_PKEY_PARAM_GROUP_NAME, group.data(),
                                     group.size(), &group_len) != 1 ||
      std::string_view(group.data(), group_len) != kP256GroupName) {
    return invalid();
  }
  // Through the JWK path, so a PEM key passes exactly the checks a JWK key does.
  const auto x = GetCoordinate(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_X);
  const auto y = GetCoordinate(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_Y);
  json::object jwk{
      {"kty", "EC"}, {"crv", "P-256"}, {"x", Base64UrlEncode(x)}, {"y", Base64UrlEncode(y)}};
  auto key = FromJwk(jwk);
  if (!key) return invalid();
  return key;
}

json::object EcKey::ToPublicJwk() const {
  const auto x = GetCoordinate(pkey_.get(), OSSL_PKEY_PARAM_EC_PUB_X);
  const auto y = GetCoordinate(pkey_.get(), OSSL_PKEY_PARAM_EC_PUB_Y);
  json::object jwk;
  jwk["kty"] = "EC";
  jwk["crv"] = "P-256";
  AddMetadata(jwk, kid_, use_, alg_);
  jwk["x"] = Base64UrlEncode(x);
  jwk["y"] = Base64UrlEncode(y);
  return jwk;
}

json::object EcKey::ToPrivateJwk() const {
  if (!has_private_) throw std::logic_error("ToPrivateJwk on a public EC key");
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey_.get(), OSSL_PKEY_PARAM_PRIV_KEY, &raw) != 1) {
    throw std::logic_error("EC key pair without a private scalar");
  }
  BnPtr d(raw);
  core::SecretBytes d_bytes(kP256FieldBytes);
  if (BN_bn2binpad(d.get(), d_bytes.data(), static_cast<int>(d_bytes.size())) !=
      static_cast<int>(d_bytes.size())) {
    throw std::logic_error("EC private scalar wider than the P-256 order");
  }
  const core::SecretBytes d_text = Base64UrlEncodeSecret(d_bytes.view());
  json::object jwk = ToPublicJwk();
  jwk["d"] = d_text.as_text();
  return jwk;
}

std::string EcKey::Thumbprint() const {
  // RFC 7638 §3.2: the required members only, in lexicographic order, no whitespace.
  const auto x = GetCoordinate(pkey_.get(), OSSL_PKEY_PARAM_EC_PUB_X);
  const auto y = GetCoordinate(pkey_.get(), OSSL_PKEY_PARAM_EC_PUB_Y);
  const std::string canonical = R"({"crv":"P-256","kty":"EC","x":")" + Base64UrlEncode(x) +
                                R"(","y":")" + Base64UrlEncode(y) + R"("})";
  return Base64UrlEncode(detail::Sha256Of(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(canonical.data()), canonical.size())));
}

OctKey OctKey::Generate(std::size_t size_bytes) {
  if (size_bytes == 0) throw std::invalid_argument("OctKey::Generate of 0 bytes");
  core::SecretBytes bytes(size_bytes);
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("CSPRNG unavailable");
  }
  return OctKey(std::move(bytes));
}

core::Result<OctKey> OctKey::FromJwk(const json::object& jwk) {
  auto kty = RequiredString(jwk, "kty");
  if (!kty) return tl::unexpected(std::move(kty.error()));
  if (*kty != "oct") return InvalidMember("JWK kty must be oct", "kty");
  auto meta = ReadMetadata(jwk, kOctUses);
  if (!meta) return tl::unexpected(std::move(meta.error()));
  auto k_text = RequiredString(jwk, "k");
  if (!k_text) return tl::unexpected(std::move(k_text.error()));
  auto k = Base64UrlDecodeSecret(*k_text);
  if (!k) return InvalidMember(k.error().message, "k");
  if (meta->alg == "A256GCM" && k->size() != kAesGcm256Bytes) {
    return InvalidMember("A256GCM key must be 32 bytes", "k");
  }
  if (meta->alg == "HS256" && k->size() < kHs256MinBytes) {
    return InvalidMember("HS256 key must be at least 32 bytes", "k");
  }
  if (k->size() < kMinOctBytes)
    return InvalidMember("symmetric key must be at least 16 bytes", "k");
  OctKey key(std::move(*k));
  key.kid_ = std::move(meta->kid);
  key.use_ = std::move(meta->use);
  key.alg_ = std::move(meta->alg);
  return key;
}

json::object OctKey::ToJwk() const {
  json::object jwk;
  jwk["kty"] = "oct";
  AddMetadata(jwk, kid_, use_, alg_);
  const core::SecretBytes k_text = Base64UrlEncodeSecret(bytes_.view());
  jwk["k"] = k_text.as_text();
  return jwk;
}

void WipeJwkSecrets(json::object& jwk) {
  // "d" of EC and RSA keys, the RSA CRT members, "k" of oct keys.
  for (std::string_view name : {"d", "p", "q", "dp", "dq", "qi", "k"}) {
    json::value* v = jwk.if_contains(name);
    if (v == nullptr) continue;
    if (json::string* s = v->if_string()) core::SecureWipe(s->data(), s->size());
    jwk.erase(name);
  }
}

}  // namespace c2p::jose
