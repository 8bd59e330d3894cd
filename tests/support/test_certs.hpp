#pragma once
// Certificates made at test time with OpenSSL, for TLS tests (unit and end-to-end): a CA,
// and server and client certificates it signs, as PEM text or as files for
// `[server.tls]`. Valid from an hour ago for a day; not for anything but tests. Failures
// throw std::runtime_error: they mean a broken test environment, not a tested behaviour.

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace c2p::testing {

enum class KeyKind { kEcP256, kEcP384, kRsa2048 };

struct PemPair {
  std::string certificate;  // PEM
  std::string private_key;  // PEM, unencrypted PKCS#8
};

class TestCa {
 public:
  // A self-signed CA with an EC P-256 key.
  explicit TestCa(std::string_view common_name);
  ~TestCa();
  TestCa(TestCa&&) noexcept;
  TestCa& operator=(TestCa&&) noexcept;
  TestCa(const TestCa&) = delete;
  TestCa& operator=(const TestCa&) = delete;

  const std::string& certificate_pem() const;
  // CN=localhost, subjectAltName DNS:localhost and IP:127.0.0.1, serverAuth.
  PemPair IssueServer(KeyKind kind = KeyKind::kEcP256) const;
  // Subject CN=`common_name` (no subject at all when empty), clientAuth.
  PemPair IssueClient(std::string_view common_name, KeyKind kind = KeyKind::kEcP256) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// What ServerOptions::tls and `[server.tls]` name.
struct TlsFiles {
  std::filesystem::path certificate;
  std::filesystem::path private_key;
  std::filesystem::path client_ca;
};

// Writes a server certificate and key issued by `ca`, and `ca`'s certificate as the
// client CA, into `dir` (created if needed): server.crt, server.key, client_ca.crt.
TlsFiles WriteServerTlsFiles(const std::filesystem::path& dir, const TestCa& ca,
                             KeyKind server_key = KeyKind::kEcP256);

void WriteTextFile(const std::filesystem::path& path, std::string_view text);

}  // namespace c2p::testing
