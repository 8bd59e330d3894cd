#include "auth/assertion_keys.hpp"

#include <fstream>
#include <iterator>

#include "jose/jwk.hpp"
#include "jose/key_file.hpp"

namespace c2p::auth {

namespace {

core::Result<std::string> ReadSmallFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Fail(core::ErrorCode::kIo, "cannot read key file " + path.string());
  std::string text;
  text.resize(jose::kMaxKeyFileBytes + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > jose::kMaxKeyFileBytes) {
    return core::Fail(core::ErrorCode::kIo, "key file too large: " + path.string());
  }
  return text;
}

bool LooksLikePem(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && text.substr(first).starts_with("-----BEGIN ");
}

}  // namespace

core::Result<jose::VerificationKey> LoadAssertionKey(const std::filesystem::path& path) {
  auto text = ReadSmallFile(path);
  if (!text) return tl::unexpected(text.error());
  core::Result<jose::EcKey> key = core::Fail(core::ErrorCode::kConfigInvalid, "");
  if (LooksLikePem(*text)) {
    key = jose::EcKey::FromPublicPem(*text);
  } else {
    auto jwk = jose::ReadJwkFile(path);
    if (!jwk) return tl::unexpected(jwk.error());
    key = jose::EcKey::FromJwk(*jwk);
  }
  if (!key) {
    return core::Fail(core::ErrorCode::kConfigInvalid,
                      "assertion key " + path.string() + ": " + key.error().message);
  }
  if (key->kid().empty()) key->set_kid(key->Thumbprint());
  auto pinned = jose::VerificationKey::Es256(*key);
  if (!pinned) {
    return core::Fail(core::ErrorCode::kConfigInvalid,
                      "assertion key " + path.string() + ": " + pinned.error().message);
  }
  return pinned;
}

}  // namespace c2p::auth
