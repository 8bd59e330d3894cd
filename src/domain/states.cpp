#include "domain/states.hpp"

#include <array>
#include <cstddef>

namespace c2p::domain {

namespace {

// Names indexed by enumerator value: every enum above counts from 0 without gaps, and each
// table's size is checked against its last enumerator.
constexpr std::array<std::string_view, 4> kCardStates = {"ACTIVE", "INACTIVE", "SUSPENDED",
                                                         "DELETED"};
constexpr std::array<std::string_view, 3> kConsumerStates = {"ACTIVE", "INACTIVE", "DELETED"};
constexpr std::array<std::string_view, 6> kClickToPayStatuses = {
    "NOT_ENROLLED", "ENROLLING", "ENROLLED", "OPTING_OUT", "OPTED_OUT", "FAILED"};
constexpr std::array<std::string_view, 2> kNetworks = {"VISA", "MASTERCARD"};
constexpr std::array<std::string_view, 2> kReasonCodes = {"ISSUER_DECISION", "USER_DECISION"};
constexpr std::array<std::string_view, 8> kOperationTypes = {"CLICK_TO_PAY_ENROLMENT",
                                                             "CLICK_TO_PAY_UPDATE",
                                                             "CLICK_TO_PAY_OPTOUT",
                                                             "REGISTER",
                                                             "SUSPEND",
                                                             "RESUME",
                                                             "DELETE",
                                                             "DIGITIZE"};
constexpr std::array<std::string_view, 3> kOperationStatuses = {"PENDING", "SUCCESSFUL", "FAILED"};
constexpr std::array<std::string_view, 4> kRequestorTypes = {"ISSUER", "D1", "TSP", "CCI"};

static_assert(kCardStates.size() == static_cast<std::size_t>(CardState::kDeleted) + 1);
static_assert(kConsumerStates.size() == static_cast<std::size_t>(ConsumerState::kDeleted) + 1);
static_assert(kClickToPayStatuses.size() ==
              static_cast<std::size_t>(ClickToPayStatus::kFailed) + 1);
static_assert(kNetworks.size() == static_cast<std::size_t>(Network::kMastercard) + 1);
static_assert(kReasonCodes.size() == static_cast<std::size_t>(ReasonCode::kUserDecision) + 1);
static_assert(kOperationTypes.size() == static_cast<std::size_t>(OperationType::kDigitize) + 1);
static_assert(kOperationStatuses.size() == static_cast<std::size_t>(OperationStatus::kFailed) + 1);
static_assert(kRequestorTypes.size() == static_cast<std::size_t>(RequestorType::kCci) + 1);

template <typename Enum, std::size_t N>
std::string_view NameOf(const std::array<std::string_view, N>& names, Enum value) {
  return names.at(static_cast<std::size_t>(value));
}

template <typename Enum, std::size_t N>
std::optional<Enum> ValueOf(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace

std::string_view WireName(CardState state) { return NameOf(kCardStates, state); }
std::string_view WireName(ConsumerState state) { return NameOf(kConsumerStates, state); }
std::string_view WireName(ClickToPayStatus status) { return NameOf(kClickToPayStatuses, status); }
std::string_view WireName(Network network) { return NameOf(kNetworks, network); }
std::string_view WireName(ReasonCode code) { return NameOf(kReasonCodes, code); }
std::string_view WireName(OperationType type) { return NameOf(kOperationTypes, type); }
std::string_view WireName(OperationStatus status) { return NameOf(kOperationStatuses, status); }
std::string_view WireName(RequestorType type) { return NameOf(kRequestorTypes, type); }

std::optional<CardState> ParseCardState(std::string_view name) {
  return ValueOf<CardState>(kCardStates, name);
}
std::optional<ConsumerState> ParseConsumerState(std::string_view name) {
  return ValueOf<ConsumerState>(kConsumerStates, name);
}
std::optional<ClickToPayStatus> ParseClickToPayStatus(std::string_view name) {
  return ValueOf<ClickToPayStatus>(kClickToPayStatuses, name);
}
std::optional<Network> ParseNetwork(std::string_view name) {
  return ValueOf<Network>(kNetworks, name);
}
std::optional<ReasonCode> ParseReasonCode(std::string_view name) {
  return ValueOf<ReasonCode>(kReasonCodes, name);
}
std::optional<OperationType> ParseOperationType(std::string_view name) {
  return ValueOf<OperationType>(kOperationTypes, name);
}
std::optional<OperationStatus> ParseOperationStatus(std::string_view name) {
  return ValueOf<OperationStatus>(kOperationStatuses, name);
}
std::optional<RequestorType> ParseRequestorType(std::string_view name) {
  return ValueOf<RequestorType>(kRequestorTypes, name);
}

std::optional<CardState> ParseRequestedCardState(std::string_view name) {
  auto state = ParseCardState(name);
  if (state != CardState::kActive && state != CardState::kInactive) return std::nullopt;
  return state;
}

std::optional<ConsumerState> ParseRequestedConsumerState(std::string_view name) {
  auto state = ParseConsumerState(name);
  if (state != ConsumerState::kActive && state != ConsumerState::kInactive) return std::nullopt;
  return state;
}

bool IsConsumerOperation(OperationType type) {
  switch (type) {
    case OperationType::kClickToPayUpdate:
    case OperationType::kClickToPayOptOut:
    case OperationType::kRegister:
    case OperationType::kDelete:
      return true;
    case OperationType::kClickToPayEnrolment:
    case OperationType::kSuspend:
    case OperationType::kResume:
    case OperationType::kDigitize:
      return false;
  }
  return false;
}

bool IsTerminal(OperationStatus status) { return status != OperationStatus::kPending; }

}  // namespace c2p::domain
