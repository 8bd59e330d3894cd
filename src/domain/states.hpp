#pragma once
// The enumerations of spec/api.md §4-§5 and their wire names. WireName() gives the name;
// each Parse*() takes exactly that name (case-sensitive) and nothing else.

#include <optional>
#include <string_view>

namespace c2p::domain {

// Card `state` (§4.5).
enum class CardState { kActive, kInactive, kSuspended, kDeleted };
// Consumer `state` (§4.1, §4.6): set to ACTIVE or INACTIVE by PUT; DELETED by the delete
// operation, and final.
enum class ConsumerState { kActive, kInactive, kDeleted };
// Card `clickToPay.status` (§4.5).
enum class ClickToPayStatus { kNotEnrolled, kEnrolling, kEnrolled, kOptingOut, kOptedOut, kFailed };
// Payment network, decided by the card product (§4.4).
enum class Network { kVisa, kMastercard };
// `reasonCode` (§1); ISSUER_DECISION when absent.
enum class ReasonCode { kIssuerDecision, kUserDecision };
// Operation `operation` (§5.8); every type exists for cards, some for consumers too.
enum class OperationType {
  kClickToPayEnrolment,
  kClickToPayUpdate,
  kClickToPayOptOut,
  kRegister,
  kSuspend,
  kResume,
  kDelete,
  kDigitize,
};
// Operation `status` (§5.8): PENDING, then one terminal state that never changes.
enum class OperationStatus { kPending, kSuccessful, kFailed };
// Operation `requestorType` (§5.8).
enum class RequestorType { kIssuer, kD1, kTsp, kCci };

std::string_view WireName(CardState state);
std::string_view WireName(ConsumerState state);
std::string_view WireName(ClickToPayStatus status);
std::string_view WireName(Network network);
std::string_view WireName(ReasonCode code);
std::string_view WireName(OperationType type);
std::string_view WireName(OperationStatus status);
std::string_view WireName(RequestorType type);

std::optional<CardState> ParseCardState(std::string_view name);
std::optional<ConsumerState> ParseConsumerState(std::string_view name);
std::optional<ClickToPayStatus> ParseClickToPayStatus(std::string_view name);
std::optional<Network> ParseNetwork(std::string_view name);
std::optional<ReasonCode> ParseReasonCode(std::string_view name);
std::optional<OperationType> ParseOperationType(std::string_view name);
std::optional<OperationStatus> ParseOperationStatus(std::string_view name);
std::optional<RequestorType> ParseRequestorType(std::string_view name);

// A PUT may only ask for ACTIVE or INACTIVE (§4.1, §4.4): the other states are reached
// through the lifecycle operations.
std::optional<CardState> ParseRequestedCardState(std::string_view name);
std::optional<ConsumerState> ParseRequestedConsumerState(std::string_view name);

// Whether a consumer can have an operation of this type (§5.8): CLICK_TO_PAY_UPDATE,
// CLICK_TO_PAY_OPTOUT, REGISTER and DELETE.
bool IsConsumerOperation(OperationType type);
// SUCCESSFUL and FAILED.
bool IsTerminal(OperationStatus status);

}  // namespace c2p::domain
