#include "networks/directory_call.hpp"

#include <utility>

#include "core/ids.hpp"
#include "jose/jwe.hpp"
#include "networks/answers.hpp"

namespace c2p::networks {

boost::asio::awaitable<Result<http::ClientResponse>> CallDirectory(
    http::Client& client, const ConnectorConfig& config, std::string method, std::string url,
    std::string body, std::chrono::milliseconds timeout) {
  http::ClientRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.headers.emplace_back("accept", "application/json");
  request.headers.emplace_back("x-api-key", config.api_key);
  request.headers.emplace_back("x-request-id", core::NewRandomId("req_"));
  if (!body.empty()) request.headers.emplace_back("content-type", "application/json");
  request.body = std::move(body);
  request.timeout = timeout;
  auto response = co_await client.Send(std::move(request));
  if (!response) co_return tl::unexpected(TransportFailure(response.error()));
  co_return std::move(*response);
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
