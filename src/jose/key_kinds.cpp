#include "jose/key_kinds.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstring>
#include <stdexcept>
#include <system_error>

#include "core/ids.hpp"
#include "core/secret_bytes.hpp"
#include "jose/jwk.hpp"

namespace c2p::jose {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kOctKeyBytes = 32;
constexpr std::size_t kWebhookSecretBytes = 32;
constexpr std::string_view kWebhookPrefix = "whsec_";
constexpr std::size_t kMaxKidLength = 64;

tl::unexpected<core::Error> BadRequest(std::string message) {
  return core::Fail(core::ErrorCode::kConfigInvalid, std::move(message));
}

bool Exists(const fs::path& path) {
  std::error_code ec;
  // symlink_status: a dangling symlink is still a name we would overwrite.
  return fs::symlink_status(path, ec).type() != fs::file_type::not_found;
}

core::Result<std::string> WriteEcKey(KeyKind kind, const fs::path& out, std::string_view kid,
                                     const fs::path& public_out, Overwrite overwrite) {
  EcKey key = EcKey::Generate();
  key.set_kid(kid.empty() ? key.Thumbprint() : std::string(kid));
  if (kind == KeyKind::kIssuerSigning) {
    key.set_use("sig");
    key.set_alg("ES256");
  } else {
    key.set_use("enc");
    key.set_alg("ECDH-ES");
  }
  boost::json::object private_jwk = key.ToPrivateJwk();
  auto written = WriteJwkFile(out, private_jwk, /*secret=*/true, overwrite);
  WipeJwkSecrets(private_jwk);
  if (!written) return tl::unexpected(std::move(written.error()));
  if (!public_out.empty()) {
    auto public_written = WriteJwkFile(public_out, key.ToPublicJwk(), /*secret=*/false, overwrite);
    if (!public_written) {
      // Half a key pair is worse than none: the caller would onboard nothing or a key
      // whose private half it never saw. Retrying is always safe.
      std::error_code ignored;
      fs::remove(out, ignored);
      return tl::unexpected(std::move(public_written.error()));
    }
  }
  return key.kid();
}

core::Result<std::string> WriteOctKey(KeyKind kind, const fs::path& out, std::string_view kid,
                                      Overwrite overwrite) {
  OctKey key = OctKey::Generate(kOctKeyBytes);
  std::string_view prefix;
  switch (kind) {
    case KeyKind::kPan:
      key.set_alg("A256GCM");
      prefix = "pan-";
      break;
    case KeyKind::kPanHmac:
      key.set_alg("HS256");
      prefix = "pan-hmac-";
      break;
    case KeyKind::kTokenMac:
      key.set_alg("HS256");
      prefix = "token-mac-";
      break;
    default:
      throw std::logic_error("WriteOctKey for a non-oct kind");
  }
  // The prefix makes a kid in a config file or a log line say what it names; no thumbprint
  // for symmetric keys, whose hash need not be published anywhere.
  key.set_kid(kid.empty() ? core::NewRandomId(prefix) : std::string(kid));
  boost::json::object jwk = key.ToJwk();
  auto written = WriteJwkFile(out, jwk, /*secret=*/true, overwrite);
  WipeJwkSecrets(jwk);
  if (!written) return tl::unexpected(std::move(written.error()));
  return key.kid();
}

core::Result<std::string> WriteWebhookSecret(const fs::path& out, Overwrite overwrite) {
  core::SecretBytes raw(kWebhookSecretBytes);
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) {
    throw std::runtime_error("CSPRNG unavailable");
  }
  // Standard Webhooks: "whsec_" + standard base64 (with padding) of the secret. 32 bytes
  // encode to 44 characters; EVP_EncodeBlock also writes a terminating NUL.
  constexpr std::size_t kEncoded = (kWebhookSecretBytes + 2) / 3 * 4;
  core::SecretBytes text(kWebhookPrefix.size() + kEncoded + 1);
  std::memcpy(text.data(), kWebhookPrefix.data(), kWebhookPrefix.size());
  const int n = EVP_EncodeBlock(text.data() + kWebhookPrefix.size(), raw.data(),
                                static_cast<int>(raw.size()));
  if (n != static_cast<int>(kEncoded)) throw std::logic_error("unexpected base64 length");
  // Newline-terminated like any text file; readers strip it (ReadSecretTextFile).
  text.data()[kWebhookPrefix.size() + kEncoded] = '\n';
  auto written = WriteFileAtomically(out, text.view(), /*secret=*/true, overwrite);
  if (!written) return tl::unexpected(std::move(written.error()));
  return std::string();
}

}  // namespace

std::string_view KeyKindName(KeyKind kind) { return kKeyKindNames[static_cast<std::size_t>(kind)]; }

core::Result<KeyKind> ParseKeyKind(std::string_view name) {
  for (std::size_t i = 0; i < kKeyKindNames.size(); ++i) {
    if (kKeyKindNames[i] == name) return static_cast<KeyKind>(i);
  }
  return BadRequest(
      "unknown key kind; expected one of issuer-signing, jwe, pan, pan-hmac, "
      "token-mac, webhook");
}

bool KeyKindHasPublicKey(KeyKind kind) {
  return kind == KeyKind::kIssuerSigning || kind == KeyKind::kJwe;
}

bool KeyKindHasKid(KeyKind kind) { return kind != KeyKind::kWebhook; }

core::Result<std::string> GenerateKeyFile(KeyKind kind, const fs::path& out, std::string_view kid,
                                          const fs::path& public_out, Overwrite overwrite) {
  if (out.empty()) return BadRequest("no output file given");
  if (!public_out.empty() && !KeyKindHasPublicKey(kind)) {
    return BadRequest(std::string(KeyKindName(kind)) + " keys have no public part to write");
  }
  if (!kid.empty() && !KeyKindHasKid(kind)) {
    return BadRequest(std::string(KeyKindName(kind)) + " secrets have no kid");
  }
  if (!kid.empty() && !core::IsIdToken(kid, 1, kMaxKidLength)) {
    return BadRequest("kid must be 1 to 64 characters of A-Z a-z 0-9 _ -");
  }
  if (!public_out.empty() &&
      fs::absolute(out).lexically_normal() == fs::absolute(public_out).lexically_normal()) {
    return BadRequest("the private and public key files must differ");
  }
  if (overwrite == Overwrite::kRefuse) {
    // Checked up front so that nothing is written when either file is in the way; the
    // writes themselves still refuse atomically should a file appear meanwhile.
    for (const fs::path* path : {&out, &public_out}) {
      if (!path->empty() && Exists(*path)) {
        return core::Fail(core::ErrorCode::kIo,
                          path->string() + ": already exists; refusing to overwrite it");
      }
    }
  }
  switch (kind) {
    case KeyKind::kIssuerSigning:
    case KeyKind::kJwe:
      return WriteEcKey(kind, out, kid, public_out, overwrite);
    case KeyKind::kPan:
    case KeyKind::kPanHmac:
    case KeyKind::kTokenMac:
      return WriteOctKey(kind, out, kid, overwrite);
    case KeyKind::kWebhook:
      return WriteWebhookSecret(out, overwrite);
  }
  throw std::logic_error("unhandled KeyKind");
}

}  // namespace c2p::jose
