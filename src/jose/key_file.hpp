#pragma once
// Key files. Every key c2p uses is stored as one JWK JSON object per file (the webhook
// secret, a `whsec_…` string, is the one text file). Files are written atomically: a
// reader sees the old file or the new one, never a torn write, even across a crash.

#include <filesystem>
#include <span>
#include <string_view>

#include <boost/json/object.hpp>

#include "core/error.hpp"
#include "core/secret_bytes.hpp"

namespace c2p::jose {

// Key files are small; anything bigger is not a key file.
inline constexpr std::size_t kMaxKeyFileBytes = std::size_t{64} * 1024;

enum class Overwrite {
  kReplace,  // an existing file is atomically replaced
  kRefuse,   // fail with kIo if the file exists (checked atomically, not just beforehand)
};

// Reads a JWK JSON object with the strict JSON parser. Fails with kIo (cannot read, too
// big) or kConfigInvalid (not a JSON object); messages name the path, never the content.
core::Result<boost::json::object> ReadJwkFile(const std::filesystem::path& path);

// Writes `jwk` (serialised, newline-terminated) atomically: temporary file in the same
// directory, fsync, rename, fsync of the directory. Mode 0600 when `secret`, else 0644.
// The serialised text is wiped afterwards.
core::Result<void> WriteJwkFile(const std::filesystem::path& path, const boost::json::object& jwk,
                                bool secret, Overwrite overwrite = Overwrite::kReplace);

// The atomic write underneath WriteJwkFile, for other key material (the webhook secret).
core::Result<void> WriteFileAtomically(const std::filesystem::path& path,
                                       std::span<const std::uint8_t> content, bool secret,
                                       Overwrite overwrite);

// Reads a secret text file (e.g. a `whsec_…` webhook secret) into wiped memory, without
// the trailing newline and spaces editors and `echo` add.
core::Result<core::SecretBytes> ReadSecretTextFile(const std::filesystem::path& path);

}  // namespace c2p::jose
