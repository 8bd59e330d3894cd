#include "domain/lifecycle.hpp"

#include <string>

namespace c2p::domain {

namespace {

// States are not personal data: naming them tells the issuer what to fix.
tl::unexpected<core::Error> Refuse(std::string message) {
  return core::Fail(core::ErrorCode::kInvalidState, std::move(message));
}

std::string CardIs(CardState card) { return "card is " + std::string(WireName(card)); }

}  // namespace

core::Result<CardState> SuspendCard(CardState card) {
  if (card != CardState::kActive)
    return Refuse(CardIs(card) + "; only an ACTIVE card can be suspended");
  return CardState::kSuspended;
}

core::Result<CardState> ResumeCard(CardState card, ConsumerState consumer) {
  if (card != CardState::kSuspended) {
    return Refuse(CardIs(card) + "; only a SUSPENDED card can be resumed");
  }
  if (consumer != ConsumerState::kActive) {
    return Refuse("consumer is " + std::string(WireName(consumer)) +
                  "; a card is resumed only for an ACTIVE consumer");
  }
  return CardState::kActive;
}

core::Result<CardState> DeleteCard(CardState card) {
  if (card == CardState::kDeleted) return Refuse("card is DELETED");
  return CardState::kDeleted;
}

core::Result<ConsumerState> DeleteConsumer(ConsumerState consumer) {
  if (consumer == ConsumerState::kDeleted) return Refuse("consumer is DELETED");
  return ConsumerState::kDeleted;
}

}  // namespace c2p::domain
