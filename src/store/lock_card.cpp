#include "store/store.hpp"

namespace c2p::store {

core::Result<std::optional<LockedCard>> LockCard(WriteTx& tx, std::string_view issuer,
                                                 std::string_view card_id) {
  // A card always has its consumer (a foreign key): no consumer, no card.
  auto consumer = tx.FindConsumerOfCard(issuer, card_id);
  if (!consumer) return tl::unexpected(std::move(consumer.error()));
  if (!*consumer) return std::optional<LockedCard>();
  // Read under the consumer's lock: whoever changed the card before we had that lock has
  // committed by now, and nobody changes it until this group commits.
  auto card = tx.FindCard(issuer, card_id);
  if (!card) return tl::unexpected(std::move(card.error()));
  if (!*card || (*card)->consumer_id != (*consumer)->consumer_id) {
    // A new incarnation of the card id, under another consumer, committed in between.
    return core::Fail(core::ErrorCode::kUnavailable, "the card changed meanwhile; retry");
  }
  return LockedCard{std::move(**card), std::move(**consumer)};
}

}  // namespace c2p::store
