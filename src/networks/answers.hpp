#pragma once
// The directories' answers read into CallResult / Profile, and their failures classified
// (docs/networks.md has the table). Pure functions over (status, body, Retry-After), so
// they are unit-tested and fuzzed without a network: any input gives a value, a malformed
// answer a kMalformedAnswer failure, never an exception or a crash.

#include <optional>
#include <string>
#include <string_view>

#include "networks/network_connector.hpp"

namespace c2p::http {
struct TransportError;
}

namespace c2p::networks {

struct Answer {
  unsigned status = 0;
  std::string_view body;
  std::string_view retry_after;  // the Retry-After header, empty when absent
};

// A Failure with its retryable flag and §5.8 code set from `reason`.
Failure MakeFailure(FailureReason reason, std::string message, unsigned http_status = 0);
// The §5.8 code a reason ends in (retryable ones: NETWORK_UNAVAILABLE).
std::string_view FailureCodeOf(FailureReason reason);
bool IsRetryable(FailureReason reason);
// Retry-After as delta-seconds (0..86400); nullopt for absent, an HTTP-date or garbage.
std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value);
// Connect errors are retryable and not applied; timeouts and lost connections may be.
Failure TransportFailure(const http::TransportError& error);

// Visa-like: a write's 202 {requestTraceId} -> pending Outcome; any error answer.
CallResult ReadVisaWriteAnswer(const Answer& answer);
// GET /requestStatus/{id}: IN_PROGRESS -> pending; COMPLETED -> the detail for
// `external_card_id` (or the first detail when empty): SUCCESS with tokenId, or FAILED
// classified by its errorDetails reason.
CallResult ReadVisaStatusAnswer(const Answer& answer, std::string_view external_card_id);
// POST /getData 200.
Result<Profile> ReadVisaProfile(const Answer& answer);
// Any non-2xx Visa-like answer: {reason, message} by its VIDC code.
Failure ReadVisaError(const Answer& answer);

// Mastercard-like POST /enrollments 200 {srcDigitalCardId, consumerCreated, …}.
CallResult ReadMastercardEnrolAnswer(const Answer& answer);
// PUT (200) and DELETE (204): success carries nothing.
CallResult ReadMastercardWriteAnswer(const Answer& answer);
// GET /consumers/{id} 200 {consumer, cards[]}.
Result<Profile> ReadMastercardProfile(const Answer& answer);
// Any non-2xx Mastercard-like answer: the gateway shape {Errors:{Error:[…]}}.
Failure ReadMastercardError(const Answer& answer);

}  // namespace c2p::networks
