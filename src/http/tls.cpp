#include "http/tls.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>

namespace c2p::http {

namespace {

// TLS 1.2: forward secret (ECDHE), authenticated by the ECDSA certificate, AEAD only.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305";
// TLS 1.3 suites are all AEAD; listed so that a changed library default cannot widen them.
constexpr const char* kTls13Suites =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
constexpr const char* kGroups = "X25519:P-256:P-384";
// Client CA, at most a few intermediates, the client certificate.
constexpr int kVerifyDepth = 4;
// ub-common-name (RFC 5280).
constexpr std::size_t kMaxCommonName = 64;
// Sessions resumed with a client certificate must come from this context (OpenSSL refuses
// to resume a verified session without a session id context).
constexpr std::string_view kSessionContext = "c2pd";

struct CtxFree {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct NameStackFree {
  void operator()(STACK_OF(X509_NAME) * s) const { sk_X509_NAME_pop_free(s, X509_NAME_free); }
};

// The earliest queued OpenSSL error (the root cause, e.g. "no start line" for a file that
// is not PEM), then clears the queue so it cannot leak into a later operation.
std::string OpenSslReason() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  const char* reason = e == 0 ? nullptr : ERR_reason_error_string(e);
  return reason == nullptr ? "unknown TLS library error" : reason;
}

tl::unexpected<core::Error> Invalid(std::string_view option, std::string what) {
  return core::Fail(core::ErrorCode::kConfigInvalid,
                    "tls." + std::string(option) + ": " + std::move(what));
}

// The single common name of a subject, if it is one c2p can use as an identity: exactly
// one CN (two would make "the" identity ambiguous), valid UTF-8, no control characters.
std::optional<std::string> SubjectCommonName(const X509* cert) {
  if (cert == nullptr) return std::nullopt;
  const X509_NAME* name = X509_get_subject_name(cert);
  const int at = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (at < 0 || X509_NAME_get_index_by_NID(name, NID_commonName, at) >= 0) return std::nullopt;
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, at));
  unsigned char* utf8 = nullptr;
  const int length = ASN1_STRING_to_UTF8(&utf8, data);
  if (length < 0) return std::nullopt;
  std::string cn(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(length));
  OPENSSL_free(utf8);
  if (cn.empty() || cn.size() > kMaxCommonName) return std::nullopt;
  for (const char c : cn) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return std::nullopt;
  }
  return cn;
}

// Runs after OpenSSL's own chain check, once per certificate. Refusing a leaf without a
// usable common name here makes the handshake fail with an alert the client can see,
// instead of accepting a connection that could never be authorised.
int VerifyPeer(int preverified, X509_STORE_CTX* store) {
  if (preverified != 1) return 0;
  if (X509_STORE_CTX_get_error_depth(store) != 0) return 1;
  if (!SubjectCommonName(X509_STORE_CTX_get_current_cert(store))) {
    X509_STORE_CTX_set_error(store, X509_V_ERR_APPLICATION_VERIFICATION);
    return 0;
  }
  return 1;
}

// No passphrase prompt on the terminal: an encrypted key fails to load instead.
int NoPassphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*userdata*/) { return 0; }

// Empty when the leaf certificate is ECDSA on P-256; otherwise why not.
std::string WhyNotEcdsaP256(const X509* cert) {
  const EVP_PKEY* key = cert == nullptr ? nullptr : X509_get0_pubkey(cert);
  if (key == nullptr) return "has no readable public key";
  if (EVP_PKEY_is_a(key, "EC") != 1) {
    const char* type = EVP_PKEY_get0_type_name(key);
    return std::string("must be an ECDSA P-256 certificate (found ") +
           (type == nullptr ? "another key type" : type) + ")";
  }
  char group[80] = {};
  std::size_t length = 0;
  if (EVP_PKEY_get_group_name(key, group, sizeof(group), &length) != 1) {
    return "must be an ECDSA P-256 certificate (curve not readable)";
  }
  const std::string_view curve(group, length);
  if (curve != "prime256v1" && curve != "P-256") {
    return "must be an ECDSA P-256 certificate (found curve " + std::string(curve) + ")";
  }
  return {};
}

}  // namespace

core::Result<std::shared_ptr<TlsContext>> MakeTlsContext(const TlsOptions& options) {
  ERR_clear_error();
  std::unique_ptr<SSL_CTX, CtxFree> owned(SSL_CTX_new(TLS_server_method()));
  if (!owned) {
    return core::Fail(core::ErrorCode::kInternal,
                      "cannot create a TLS context: " + OpenSslReason());
  }
  SSL_CTX* ctx = owned.get();
  // These fail only with a TLS library that lacks what they name: a broken installation.
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1 ||
      SSL_CTX_set_ciphersuites(ctx, kTls13Suites) != 1 ||
      SSL_CTX_set1_groups_list(ctx, kGroups) != 1 ||
      SSL_CTX_set_session_id_context(ctx,
                                     reinterpret_cast<const unsigned char*>(kSessionContext.data()),
                                     static_cast<unsigned>(kSessionContext.size())) != 1) {
    return core::Fail(core::ErrorCode::kInternal,
                      "the TLS library refuses c2p's protocol policy: " + OpenSslReason());
  }
  // Renegotiation would let a client swap certificates mid-connection; compression is the
  // CRIME attack. The server's cipher order wins over the client's.
  SSL_CTX_set_options(
      ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_default_passwd_cb(ctx, NoPassphrase);

  const std::string certificate = options.certificate.string();
  if (SSL_CTX_use_certificate_chain_file(ctx, certificate.c_str()) != 1) {
    return Invalid("certificate", "cannot load " + certificate + ": " + OpenSslReason());
  }
  if (auto why = WhyNotEcdsaP256(SSL_CTX_get0_certificate(ctx)); !why.empty()) {
    return Invalid("certificate", std::move(why));
  }
  const std::string key = options.private_key.string();
  // Loading the key also checks it against the certificate (and so does the explicit
  // check after it, for a library that would not).
  if (SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(ctx) != 1) {
    const unsigned long e = ERR_peek_error();
    if (ERR_GET_LIB(e) == ERR_LIB_X509 && ERR_GET_REASON(e) == X509_R_KEY_VALUES_MISMATCH) {
      ERR_clear_error();
      return Invalid("private_key", "does not match the certificate");
    }
    return Invalid("private_key",
                   "cannot load " + key + " (PEM, not encrypted): " + OpenSslReason());
  }

  const std::string ca = options.client_ca.string();
  if (SSL_CTX_load_verify_locations(ctx, ca.c_str(), nullptr) != 1) {
    return Invalid("client_ca", "cannot load " + ca + ": " + OpenSslReason());
  }
  // The CA names go into the CertificateRequest so a client holding several certificates
  // can pick the right one.
  std::unique_ptr<STACK_OF(X509_NAME), NameStackFree> names(SSL_load_client_CA_file(ca.c_str()));
  if (!names || sk_X509_NAME_num(names.get()) == 0) {
    ERR_clear_error();
    return Invalid("client_ca", "holds no certificate: " + ca);
  }
  SSL_CTX_set_client_CA_list(ctx, names.release());
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, VerifyPeer);
  SSL_CTX_set_verify_depth(ctx, kVerifyDepth);

  return std::make_shared<TlsContext>(owned.release());
}

std::optional<std::string> PeerIdentity(SSL* ssl) {
  if (SSL_get_verify_result(ssl) != X509_V_OK) return std::nullopt;
  return SubjectCommonName(SSL_get0_peer_certificate(ssl));
}

std::string_view HandshakeFailureLabel(HandshakeFailureKind kind) {
  switch (kind) {
    case HandshakeFailureKind::kTimeout:
      return "timeout";
    case HandshakeFailureKind::kClosed:
      return "closed";
    case HandshakeFailureKind::kCertificate:
      return "certificate";
    case HandshakeFailureKind::kProtocol:
      return "protocol";
  }
  return "protocol";
}

HandshakeFailure DescribeHandshakeFailure(SSL* ssl, const boost::system::error_code& ec) {
  namespace asio = boost::asio;
  if (ec == boost::beast::error::timeout) {
    return {HandshakeFailureKind::kTimeout, "no handshake within the header timeout"};
  }
  if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated ||
      ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
      ec == asio::error::operation_aborted) {
    return {HandshakeFailureKind::kClosed, ec.message()};
  }
  const long verify = SSL_get_verify_result(ssl);
  if (verify != X509_V_OK) {
    return {HandshakeFailureKind::kCertificate,
            ec.message() + ": " + X509_verify_cert_error_string(verify)};
  }
  // Asio carries OpenSSL's packed error code in the value; only its low bits hold the
  // reason, so the sign of the int does not matter once it is widened as unsigned.
  const auto packed = static_cast<unsigned long>(static_cast<unsigned int>(ec.value()));
  if (ec.category() == asio::error::get_ssl_category() &&
      ERR_GET_REASON(packed) == SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE) {
    return {HandshakeFailureKind::kCertificate, ec.message()};
  }
  return {HandshakeFailureKind::kProtocol, ec.message()};
}

}  // namespace c2p::http
