#include "store/store.hpp"

namespace c2p::store {

core::Result<std::optional<LockedCard>> LockCard(WriteTx& tx, std::string_view issuer,
                                                 std::string_view card_id) {
  auto peeked = tx.PeekCard(issuer, card_id);
  if (!peeked) return tl::unexpected(std::move(peeked.error()));
  if (!*peeked) return std::optional<LockedCard>();
  const std::string consumer_id = (*peeked)->consumer_id;
  auto consumer = tx.FindConsumer(issuer, consumer_id);
  if (!consumer) return tl::unexpected(std::move(consumer.error()));
  if (!*consumer) return core::Fail(core::ErrorCode::kInternal, "card without its consumer");
  // Read again under the consumer's lock: whoever changed the card before we had that
  // lock has committed by now, and nobody changes it until this group commits.
  auto card = tx.FindCard(issuer, card_id);
  if (!card) return tl::unexpected(std::move(card.error()));
  if (!*card) return core::Fail(core::ErrorCode::kInternal, "a card vanished");
  if ((*card)->consumer_id != consumer_id) {
    // A new incarnation of the card id, under another consumer, committed meanwhile.
    return core::Fail(core::ErrorCode::kUnavailable, "the card changed meanwhile; retry");
  }
  return LockedCard{std::move(**card), std::move(**consumer)};
}

}  // namespace c2p::store
