#pragma once
// What both connectors share: their configuration and one HTTP exchange with a directory
// (x-api-key, a fresh x-request-id, the caller's x-correlation-id, JSON in and out, a per-call
// timeout), and card data encrypted to the network's key.

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/error.hpp"
#include "core/secret_bytes.hpp"
#include "http/client.hpp"
#include "jose/rsa_key.hpp"
#include "networks/network_connector.hpp"
#include "networks/normalise.hpp"

namespace c2p::networks {

struct ConnectorConfig {
  std::string url;      // scheme://host[:port][/prefix], no trailing slash
  std::string api_key;  // sent as x-api-key; never logged
  std::shared_ptr<const jose::RsaKey> encryption_key;  // the network's public key
  std::chrono::milliseconds timeout{10'000};           // per call
  // Mastercard-like POST /enrollments blocks until the token is provisioned: seconds.
  std::chrono::milliseconds enrol_timeout{60'000};
  // How long a call left unanswered (timeout, lost connection) may still be running at the
  // directory; the repeat waits at least this or the call's own timeout, whichever is longer.
  std::chrono::milliseconds in_doubt{0};
  // Mastercard-like srcClientId / serviceId, issued at onboarding.
  std::string src_client_id = "c2p";
  std::string service_id = "c2p-issuer-enrolment";
};

// Completes `config` (url and timeouts already set) from the files configuration names:
// the API key (ReadSecretTextFile: one line) and the network's public RSA JWK. Fails with
// kConfigInvalid naming `what` ("networks.visa.encryption_key"): an unreadable file, an
// empty key, a JWK that is not an RSA key, or one holding a private part (c2p must never
// have the network's private key).
core::Result<void> LoadConnectorSecrets(ConnectorConfig& config,
                                        const std::filesystem::path& api_key_file,
                                        const std::filesystem::path& encryption_key,
                                        const std::string& what);

// The wait before repeating a call that was sent with `timeout` and got no answer.
std::chrono::milliseconds InDoubtWait(const ConnectorConfig& config,
                                      std::chrono::milliseconds timeout);

// The response (any status), or a transport failure classified (TransportFailure); one
// that may have been applied carries InDoubtWait as its retry_after.
// Headers: x-api-key, a fresh x-request-id, and the context's x-correlation-id.
// Whether a call can change what the directory holds (Visa's getData is a POST that only
// reads). A write is not sent when it could outlast the job's lease (CallContext).
enum class CallEffect { kReads, kWrites };

boost::asio::awaitable<Result<http::ClientResponse>> CallDirectory(
    http::Client& client, const ConnectorConfig& config, const CallContext& context,
    CallEffect effect, std::string method, std::string url, std::string body,
    std::chrono::milliseconds timeout);

// A compact JWE (RSA-OAEP-256 + A256GCM) of `plaintext` to the network's key.
std::string EncryptForNetwork(const ConnectorConfig& config, const core::SecretBytes& plaintext);

// True for ids the directories accept in paths and bodies: 1..max_len of [A-Za-z0-9._:-].
bool IsExternalId(std::string_view id, std::size_t max_len = 64);

// kDataIncomplete carrying a normaliser's refusal: its message and the fields it names.
Failure IncompleteFailure(NormaliseError error);

// kRejected for an id IsExternalId refuses, naming the field `which` ("externalCardId").
Failure BadIdFailure(std::string_view which);

}  // namespace c2p::networks
