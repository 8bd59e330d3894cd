#include "networks/directory_call.hpp"

#include <algorithm>
#include <utility>

#include "core/ids.hpp"
#include "core/time_format.hpp"
#include "jose/jwe.hpp"
#include "jose/jwk.hpp"
#include "jose/key_file.hpp"
#include "networks/answers.hpp"

namespace c2p::networks {

std::chrono::milliseconds InDoubtWait(const ConnectorConfig& config,
                                      std::chrono::milliseconds timeout) {
  return std::max(config.in_doubt, timeout);
}

boost::asio::awaitable<Result<http::ClientResponse>> CallDirectory(
    http::Client& client, const ConnectorConfig& config, const CallContext& context,
    CallEffect effect, std::string method, std::string url, std::string body,
    std::chrono::milliseconds timeout) {
  // Reads may go out whenever: they change nothing a takeover could repeat.
  if (context.settled_by_ms > 0 && effect == CallEffect::kWrites) {
    const std::int64_t settled_ms =
        core::UnixMillisNow() + (timeout + InDoubtWait(config, timeout)).count();
    if (settled_ms > context.settled_by_ms) {
      co_return tl::unexpected(MakeFailure(
          FailureReason::kLeaseEnding, "not sent: the job's lease ends before the call settles"));
    }
  }
  http::ClientRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.headers.emplace_back("accept", "application/json");
  request.headers.emplace_back("x-api-key", config.api_key);
  request.headers.emplace_back("x-request-id", core::NewRandomId("req_"));
  if (!context.correlation_id.empty()) {
    request.headers.emplace_back("x-correlation-id", context.correlation_id);
  }
  if (!body.empty()) request.headers.emplace_back("content-type", "application/json");
  request.body = std::move(body);
  request.timeout = timeout;
  auto response = co_await client.Send(std::move(request));
  if (!response) {
    Failure f = TransportFailure(response.error());
    // Sent and unanswered, the request may still be queued or running at the directory:
    // a repeat that looked too soon would not see it and enrol the card a second time.
    if (f.maybe_applied) f.retry_after = InDoubtWait(config, timeout);
    co_return tl::unexpected(std::move(f));
  }
  co_return std::move(*response);
}

core::Result<void> LoadConnectorSecrets(ConnectorConfig& config,
                                        const std::filesystem::path& api_key_file,
                                        const std::filesystem::path& encryption_key,
                                        const std::string& what) {
  auto key_text = jose::ReadSecretTextFile(api_key_file);
  if (!key_text) {
    return core::Fail(core::ErrorCode::kConfigInvalid, what + ".api_key_file: cannot be read");
  }
  if (key_text->empty()) {
    return core::Fail(core::ErrorCode::kConfigInvalid, what + ".api_key_file: is empty");
  }
  for (const char c : key_text->as_text()) {
    if (c < 0x21 || c > 0x7e) {
      return core::Fail(core::ErrorCode::kConfigInvalid,
                        what + ".api_key_file: must hold printable ASCII without spaces");
    }
  }
  auto jwk = jose::ReadJwkFile(encryption_key);
  if (!jwk) {
    return core::Fail(core::ErrorCode::kConfigInvalid, what + ".encryption_key: cannot be read");
  }
  auto key = jose::RsaKey::FromJwk(*jwk);
  jose::WipeJwkSecrets(*jwk);
  if (!key) {
    return core::Fail(
        core::ErrorCode::kConfigInvalid,
        what + ".encryption_key: not a usable RSA public key (" + key.error().field + ")");
  }
  if (key->has_private()) {
    return core::Fail(core::ErrorCode::kConfigInvalid,
                      what + ".encryption_key: holds a private key; give the public half only");
  }
  config.api_key = std::string(key_text->as_text());
  config.encryption_key = std::make_shared<const jose::RsaKey>(std::move(*key));
  return {};
}

std::string EncryptForNetwork(const ConnectorConfig& config, const core::SecretBytes& plaintext) {
  return jose::EncryptRsaOaep256(plaintext.view(), *config.encryption_key);
}

bool IsExternalId(std::string_view id, std::size_t max_len) {
  if (id.empty() || id.size() > max_len) return false;
  for (const char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Failure IncompleteFailure(NormaliseError error) {
  Failure f = MakeFailure(FailureReason::kDataIncomplete, std::move(error.message));
  f.fields = std::move(error.fields);
  return f;
}

Failure BadIdFailure(std::string_view which) {
  Failure f = MakeFailure(FailureReason::kRejected, std::string(which) + " is not a valid id");
  f.fields.emplace_back(which);
  return f;
}

std::string_view NetworkName(Network network) {
  return network == Network::kVisa ? "visa" : "mastercard";
}

std::string_view FailureReasonName(FailureReason reason) {
  switch (reason) {
    case FailureReason::kDataIncomplete:
      return "DATA_INCOMPLETE";
    case FailureReason::kRejected:
      return "REJECTED";
    case FailureReason::kAlreadyEnrolled:
      return "ALREADY_ENROLLED";
    case FailureReason::kNotEnrolled:
      return "NOT_ENROLLED";
    case FailureReason::kCardAlreadyExists:
      return "CARD_ALREADY_EXISTS";
    case FailureReason::kCardExpired:
      return "CARD_EXPIRED";
    case FailureReason::kCardNotEligible:
      return "CARD_NOT_ELIGIBLE";
    case FailureReason::kTokenizationDeclined:
      return "TOKENIZATION_DECLINED";
    case FailureReason::kInProgress:
      return "IN_PROGRESS";
    case FailureReason::kRateLimited:
      return "RATE_LIMITED";
    case FailureReason::kUnavailable:
      return "UNAVAILABLE";
    case FailureReason::kTimeout:
      return "TIMEOUT";
    case FailureReason::kConnection:
      return "CONNECTION";
    case FailureReason::kLeaseEnding:
      return "LEASE_ENDING";
    case FailureReason::kMalformedAnswer:
      return "MALFORMED_ANSWER";
  }
  return "REJECTED";
}

const ProfileCard* Profile::FindCard(std::string_view external_card_id) const {
  for (const ProfileCard& c : cards) {
    if (c.external_card_id == external_card_id) return &c;
  }
  return nullptr;
}

}  // namespace c2p::networks
