#include "tests/support/test_certs.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fstream>
#include <stdexcept>
#include <utility>

namespace c2p::testing {

namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using BioPtr = std::unique_ptr<BIO, BioFree>;

void Check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test certificate generation: ") + what);
}

PkeyPtr NewKey(KeyKind kind) {
  EVP_PKEY* key = nullptr;
  switch (kind) {
    case KeyKind::kEcP256:
      key = EVP_EC_gen("P-256");
      break;
    case KeyKind::kEcP384:
      key = EVP_EC_gen("P-384");
      break;
    case KeyKind::kRsa2048:
      key = EVP_RSA_gen(2048);
      break;
  }
  Check(key != nullptr, "key generation failed");
  return PkeyPtr(key);
}

void AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  Check(ext != nullptr, "bad extension");
  const int added = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  Check(added == 1, "cannot add extension");
}

struct Extensions {
  const char* basic_constraints;
  const char* key_usage;
  const char* extended_key_usage;  // null: none
  const char* subject_alt_name;    // null: none
};

// A certificate for `key` named `common_name`, signed by `issuer_key` under `issuer`
// (itself when null: self-signed).
X509Ptr MakeCert(EVP_PKEY* key, std::string_view common_name, X509* issuer, EVP_PKEY* issuer_key,
                 const Extensions& ext) {
  X509Ptr cert(X509_new());
  Check(cert != nullptr, "X509_new");
  Check(X509_set_version(cert.get(), X509_VERSION_3) == 1, "version");
  std::uint64_t serial = 0;
  Check(RAND_bytes(reinterpret_cast<unsigned char*>(&serial), sizeof(serial)) == 1, "serial");
  Check(ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert.get()), serial >> 1) == 1, "serial");
  Check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr, "notBefore");
  Check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400) != nullptr, "notAfter");
  Check(X509_set_pubkey(cert.get(), key) == 1, "pubkey");
  X509_NAME* subject = X509_get_subject_name(cert.get());
  if (!common_name.empty()) {
    Check(X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                                     reinterpret_cast<const unsigned char*>(common_name.data()),
                                     static_cast<int>(common_name.size()), -1, 0) == 1,
          "subject");
  }
  X509* signer = issuer == nullptr ? cert.get() : issuer;
  Check(X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)) == 1, "issuer");
  AddExtension(cert.get(), signer, NID_basic_constraints, ext.basic_constraints);
  AddExtension(cert.get(), signer, NID_key_usage, ext.key_usage);
  if (ext.extended_key_usage != nullptr) {
    AddExtension(cert.get(), signer, NID_ext_key_usage, ext.extended_key_usage);
  }
  if (ext.subject_alt_name != nullptr) {
    AddExtension(cert.get(), signer, NID_subject_alt_name, ext.subject_alt_name);
  }
  Check(X509_sign(cert.get(), issuer_key == nullptr ? key : issuer_key, EVP_sha256()) > 0, "sign");
  return cert;
}

std::string BioText(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::string CertPem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  Check(bio && PEM_write_bio_X509(bio.get(), cert) == 1, "PEM certificate");
  return BioText(bio.get());
}

std::string KeyPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  Check(bio && PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "PEM key");
  return BioText(bio.get());
}

}  // namespace

struct TestCa::Impl {
  PkeyPtr key;
  X509Ptr cert;
  std::string pem;

  PemPair Issue(std::string_view common_name, KeyKind kind, const Extensions& ext) const {
    PkeyPtr leaf_key = NewKey(kind);
    X509Ptr leaf = MakeCert(leaf_key.get(), common_name, cert.get(), key.get(), ext);
    return {CertPem(leaf.get()), KeyPem(leaf_key.get())};
  }
};

TestCa::TestCa(std::string_view common_name) : impl_(std::make_unique<Impl>()) {
  impl_->key = NewKey(KeyKind::kEcP256);
  impl_->cert = MakeCert(impl_->key.get(), common_name, nullptr, nullptr,
                         {"critical,CA:TRUE", "critical,keyCertSign,cRLSign", nullptr, nullptr});
  impl_->pem = CertPem(impl_->cert.get());
}

TestCa::~TestCa() = default;
TestCa::TestCa(TestCa&&) noexcept = default;
TestCa& TestCa::operator=(TestCa&&) noexcept = default;

const std::string& TestCa::certificate_pem() const { return impl_->pem; }

PemPair TestCa::IssueServer(KeyKind kind) const {
  // RSA keys sign in TLS 1.2 key exchange too, but keep the usage honest for each kind.
  const char* usage = kind == KeyKind::kRsa2048 ? "critical,digitalSignature,keyEncipherment"
                                                : "critical,digitalSignature";
  return impl_->Issue("localhost", kind,
                      {"critical,CA:FALSE", usage, "serverAuth", "DNS:localhost,IP:127.0.0.1"});
}

PemPair TestCa::IssueClient(std::string_view common_name, KeyKind kind) const {
  return impl_->Issue(common_name, kind,
                      {"critical,CA:FALSE", "critical,digitalSignature", "clientAuth", nullptr});
}

void WriteTextFile(const std::filesystem::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  Check(static_cast<bool>(out), "cannot write a file");
}

TlsFiles WriteServerTlsFiles(const std::filesystem::path& dir, const TestCa& ca,
                             KeyKind server_key) {
  std::filesystem::create_directories(dir);
  const PemPair server = ca.IssueServer(server_key);
  TlsFiles files{dir / "server.crt", dir / "server.key", dir / "client_ca.crt"};
  WriteTextFile(files.certificate, server.certificate);
  WriteTextFile(files.private_key, server.private_key);
  WriteTextFile(files.client_ca, ca.certificate_pem());
  return files;
}

}  // namespace c2p::testing
