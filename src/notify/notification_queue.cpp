#include "notify/notification_queue.hpp"

namespace c2p::notify {

NotificationQueue::NotificationQueue(std::set<std::string, std::less<>> issuers,
                                     std::set<std::string, std::less<>> pending_issuers,
                                     std::function<void()> wake)
    : issuers_(std::move(issuers)),
      pending_issuers_(std::move(pending_issuers)),
      wake_(std::move(wake)) {}

core::Result<void> NotificationQueue::Queue(store::WriteTx& tx, std::string_view issuer,
                                            std::string_view kind, std::string order_key,
                                            std::string_view operation_id,
                                            std::string_view correlation_id, std::int64_t now_ms,
                                            bool pending) const {
  if (!Notifies(issuer)) return {};
  if (pending && !pending_issuers_.contains(issuer)) return {};
  store::NotificationRecord n;
  n.issuer_id = std::string(issuer);
  n.kind = std::string(kind);
  n.order_key = std::move(order_key);
  n.operation_id = std::string(operation_id);
  n.pending = pending;
  n.correlation_id = std::string(correlation_id);
  n.created_ms = now_ms;
  return tx.QueueNotification(n);
}

core::Result<void> NotificationQueue::CardOperation(store::WriteTx& tx, std::string_view issuer,
                                                    std::int64_t card_ref,
                                                    std::string_view operation_id,
                                                    std::string_view correlation_id,
                                                    std::int64_t now_ms, bool pending) const {
  return Queue(tx, issuer, "CARD", "card:" + std::to_string(card_ref), operation_id, correlation_id,
               now_ms, pending);
}

core::Result<void> NotificationQueue::ConsumerOperation(store::WriteTx& tx, std::string_view issuer,
                                                        std::string_view consumer_id,
                                                        std::string_view operation_id,
                                                        std::string_view correlation_id,
                                                        std::int64_t now_ms, bool pending) const {
  return Queue(tx, issuer, "CONSUMER", "consumer:" + std::string(consumer_id), operation_id,
               correlation_id, now_ms, pending);
}

core::Result<void> NotificationQueue::DigitalCardEvent(store::WriteTx& tx, std::string_view issuer,
                                                       std::int64_t card_ref,
                                                       std::string_view operation_id,
                                                       std::string_view correlation_id,
                                                       std::int64_t now_ms) const {
  // The card's order key: its token events and its operations reach the issuer in the
  // order they happened.
  return Queue(tx, issuer, "DIGITAL_CARD", "card:" + std::to_string(card_ref), operation_id,
               correlation_id, now_ms, false);
}

}  // namespace c2p::notify
