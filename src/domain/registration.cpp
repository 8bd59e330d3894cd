#include "domain/registration.hpp"

#include <string>

namespace c2p::domain {

namespace {

tl::unexpected<core::Error> InvalidState(std::string message) {
  return core::Fail(core::ErrorCode::kInvalidState, std::move(message));
}

}  // namespace

core::Result<ConsumerState> ConsumerStateAfterPut(std::optional<ConsumerState> current,
                                                  std::optional<ConsumerState> requested) {
  if (!current) return requested.value_or(ConsumerState::kActive);
  if (*current == ConsumerState::kDeleted) return InvalidState("consumer is DELETED");
  // The body reader admits only ACTIVE and INACTIVE; anything else is a caller's bug.
  if (requested == ConsumerState::kDeleted) {
    return InvalidState("a consumer is deleted by its delete operation, not by PUT");
  }
  return requested.value_or(*current);
}

core::Result<void> CheckConsumerTakesCards(ConsumerState consumer) {
  if (consumer == ConsumerState::kDeleted) return InvalidState("consumer is DELETED");
  return {};
}

core::Result<CardState> CardStateAfterPut(std::optional<CardState> current,
                                          std::optional<CardState> requested) {
  if (requested == CardState::kSuspended || requested == CardState::kDeleted) {
    return InvalidState("a PUT sets ACTIVE or INACTIVE only; use the lifecycle operations");
  }
  if (!current) return requested.value_or(CardState::kActive);
  if (!requested || *requested == *current) return *current;
  switch (*current) {
    case CardState::kInactive:
      return *requested;  // ACTIVE: the card is activated
    case CardState::kActive:
      return InvalidState("card is ACTIVE; suspend or delete it to take it out of use");
    case CardState::kSuspended:
      return InvalidState("card is SUSPENDED; only resume changes its state");
    case CardState::kDeleted:
      break;
  }
  return InvalidState("card is DELETED");
}

core::Result<void> CheckCardIdBinding(const CardIdBinding& binding) {
  if (!binding.same_pan) {
    return core::Fail(core::ErrorCode::kCardIdInUse,
                      "cardId is registered to another PAN; delete that card first");
  }
  if (!binding.same_consumer) {
    return core::Fail(core::ErrorCode::kCardIdInUse, "cardId is registered to another consumerId",
                      "/consumerId");
  }
  if (!binding.same_product) {
    return core::Fail(core::ErrorCode::kCardIdInUse,
                      "cardId is registered with another cardProductId", "/cardProductId");
  }
  return {};
}

}  // namespace c2p::domain
