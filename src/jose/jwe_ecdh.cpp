// ECDH-ES key agreement on P-256 with the Concat KDF (RFC 7518 §4.6).

#include <array>
#include <stdexcept>

#include "jose/base64url.hpp"
#include "jose/jwe.hpp"
#include "jose/jwe_internal.hpp"

namespace c2p::jose {
namespace json = boost::json;

namespace detail {
namespace {

constexpr std::size_t kP256FieldBytes = 32;
constexpr std::size_t kP256PointBytes = 1 + 2 * kP256FieldBytes;  // 0x04 ‖ x ‖ y
constexpr std::size_t kZBytes = kP256FieldBytes;

void HashBigEndian32(EVP_MD_CTX* md, std::size_t value) {
  const std::array<std::uint8_t, 4> bytes = {
      static_cast<std::uint8_t>(value >> 24), static_cast<std::uint8_t>(value >> 16),
      static_cast<std::uint8_t>(value >> 8), static_cast<std::uint8_t>(value)};
  if (EVP_DigestUpdate(md, bytes.data(), bytes.size()) != 1) {
    throw std::runtime_error("SHA-256 update failed");
  }
}

void Hash(EVP_MD_CTX* md, std::span<const std::uint8_t> bytes) {
  if (!bytes.empty() && EVP_DigestUpdate(md, bytes.data(), bytes.size()) != 1) {
    throw std::runtime_error("SHA-256 update failed");
  }
}

void HashWithLength(EVP_MD_CTX* md, std::span<const std::uint8_t> bytes) {
  HashBigEndian32(md, bytes.size());
  Hash(md, bytes);
}

// Z from `ctx` (derive-initialised with our private key) and `peer`, into wiped memory.
// The peer's validity is established by the caller: the recipient key was checked when it
// was loaded, and an epk is only built through an on-curve check (see PeerFromEpk), so
// OpenSSL's own peer validation (a full public-key check, one more scalar multiplication
// on the hot path) is skipped.
core::Result<core::SecretBytes> Agree(EVP_PKEY_CTX* ctx, EVP_PKEY* peer) {
  core::SecretBytes z(kZBytes);
  std::size_t z_size = z.size();
  if (EVP_PKEY_derive_set_peer_ex(ctx, peer, 0) != 1 ||
      EVP_PKEY_derive(ctx, z.data(), &z_size) != 1 || z_size != kZBytes) {
    ClearOpenSslErrors();
    return InvalidJwe("JWE epk cannot be used for key agreement");
  }
  return z;
}

core::Result<std::array<std::uint8_t, kP256FieldBytes>> DecodeCoordinate(const json::object& epk,
                                                                         std::string_view name) {
  const json::value* v = epk.if_contains(name);
  const json::string* text = v == nullptr ? nullptr : v->if_string();
  if (text == nullptr) return InvalidJwe("JWE epk coordinate is missing or not a string");
  auto bytes = Base64UrlDecode(std::string_view(text->data(), text->size()));
  if (!bytes || bytes->size() != kP256FieldBytes) {
    return InvalidJwe("JWE epk coordinate is not 32 bytes of base64url");
  }
  std::array<std::uint8_t, kP256FieldBytes> out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

// The ephemeral public key as an EVP_PKEY with the group of `like`. Setting the encoded
// point makes OpenSSL decode it with EC_POINT_oct2point, which refuses coordinates not
// below p and points not on the curve; the uncompressed encoding cannot express the point
// at infinity, and P-256 has cofactor 1, so what is accepted is a point of prime order n.
core::Result<PkeyPtr> PeerFromEpk(const json::object& header, EVP_PKEY* like) {
  const json::value* v = header.if_contains("epk");
  const json::object* epk = v == nullptr ? nullptr : v->if_object();
  if (epk == nullptr) return InvalidJwe("JWE epk is missing or not a JSON object");
  const json::value* kty = epk->if_contains("kty");
  const json::value* crv = epk->if_contains("crv");
  if (kty == nullptr || !kty->is_string() || kty->get_string() != "EC" || crv == nullptr ||
      !crv->is_string() || crv->get_string() != "P-256") {
    return InvalidJwe("JWE epk is not a P-256 key");
  }
  if (epk->contains("d")) return InvalidJwe("JWE epk must not contain a private key");
  auto x = DecodeCoordinate(*epk, "x");
  if (!x) return tl::unexpected(std::move(x.error()));
  auto y = DecodeCoordinate(*epk, "y");
  if (!y) return tl::unexpected(std::move(y.error()));
  std::array<std::uint8_t, kP256PointBytes> point{};
  point[0] = 0x04;
  std::copy(x->begin(), x->end(), point.begin() + 1);
  std::copy(y->begin(), y->end(), point.begin() + 1 + kP256FieldBytes);

  PkeyPtr peer(EVP_PKEY_new());
  if (!peer || EVP_PKEY_copy_parameters(peer.get(), like) != 1) {
    ClearOpenSslErrors();
    throw std::runtime_error("cannot create an EC public key");
  }
  if (EVP_PKEY_set1_encoded_public_key(peer.get(), point.data(), point.size()) != 1) {
    ClearOpenSslErrors();
    return InvalidJwe("JWE epk is not a point on P-256");
  }
  return peer;
}

core::Result<std::vector<std::uint8_t>> OptionalPartyInfo(const json::object& header,
                                                          std::string_view name) {
  const json::value* v = header.if_contains(name);
  if (v == nullptr) return std::vector<std::uint8_t>{};
  const json::string* text = v->if_string();
  if (text == nullptr) return InvalidJwe("JWE apu/apv must be a string");
  auto bytes = Base64UrlDecode(std::string_view(text->data(), text->size()));
  if (!bytes) return InvalidJwe("JWE apu/apv is not base64url");
  return bytes;
}

}  // namespace

core::SecretBytes ConcatKdf(std::span<const std::uint8_t> z, std::string_view algorithm_id,
                            std::span<const std::uint8_t> apu, std::span<const std::uint8_t> apv,
                            std::size_t key_bits) {
  if (key_bits == 0 || key_bits % 8 != 0) throw std::invalid_argument("ConcatKdf key size");
  const std::size_t key_bytes = key_bits / 8;
  core::SecretBytes out(key_bytes);
  core::SecretBytes block(kSha256Bytes);
  MdCtxPtr md(EVP_MD_CTX_new());
  if (!md) throw std::bad_alloc();
  const std::span<const std::uint8_t> alg(
      reinterpret_cast<const std::uint8_t*>(algorithm_id.data()), algorithm_id.size());
  // One SHA-256 round per 256 bits of key, counter from 1 (SP 800-56A §5.8.1.1).
  for (std::size_t counter = 1, done = 0; done < key_bytes; ++counter) {
    unsigned int size = 0;
    if (EVP_DigestInit_ex(md.get(), Sha256(), nullptr) != 1) {
      throw std::runtime_error("SHA-256 init failed");
    }
    HashBigEndian32(md.get(), counter);
    Hash(md.get(), z);
    HashWithLength(md.get(), alg);
    HashWithLength(md.get(), apu);
    HashWithLength(md.get(), apv);
    HashBigEndian32(md.get(), key_bits);
    if (EVP_DigestFinal_ex(md.get(), block.data(), &size) != 1 || size != kSha256Bytes) {
      throw std::runtime_error("SHA-256 final failed");
    }
    const std::size_t n = std::min(block.size(), key_bytes - done);
    std::copy(block.data(), block.data() + n, out.data() + done);
    done += n;
  }
  return out;
}

PkeyCtxPtr PrepareEcdhDerive(EVP_PKEY* private_key) {
  PkeyCtxPtr ctx = NewCtx(private_key);
  if (EVP_PKEY_derive_init(ctx.get()) != 1) {
    ClearOpenSslErrors();
    throw std::runtime_error("cannot prepare ECDH");
  }
  return ctx;
}

core::Result<core::SecretBytes> EcdhEsUnwrap(const json::object& header,
                                             const JweDecryptionKeys::Entry& key) {
  auto peer = PeerFromEpk(header, key.pkey.get());
  if (!peer) return tl::unexpected(std::move(peer.error()));
  auto apu = OptionalPartyInfo(header, "apu");
  if (!apu) return tl::unexpected(std::move(apu.error()));
  auto apv = OptionalPartyInfo(header, "apv");
  if (!apv) return tl::unexpected(std::move(apv.error()));
  PkeyCtxPtr ctx = DupOperation(key.op.get());
  auto z = Agree(ctx.get(), peer->get());
  if (!z) return tl::unexpected(std::move(z.error()));
  // RFC 7518 §4.6.2: for direct agreement the AlgorithmID is the "enc" value.
  return ConcatKdf(z->view(), kEnc, *apu, *apv, kCekBytes * 8);
}

}  // namespace detail

std::string EncryptEcdhEs(std::span<const std::uint8_t> plaintext, const EcKey& recipient,
                          std::string_view kid) {
  const EcKey ephemeral = EcKey::Generate();
  detail::PkeyCtxPtr ctx = detail::PrepareEcdhDerive(ephemeral.pkey());
  auto z = detail::Agree(ctx.get(), recipient.pkey());
  if (!z) throw std::runtime_error("ECDH with the recipient key failed");
  const core::SecretBytes cek =
      detail::ConcatKdf(z->view(), detail::kEnc, {}, {}, detail::kCekBytes * 8);

  json::object header = detail::StartHeader("ECDH-ES", kid.empty() ? recipient.kid() : kid);
  header["epk"] = ephemeral.ToPublicJwk();
  return detail::SealCompact(header, {}, cek, plaintext);
}

}  // namespace c2p::jose
