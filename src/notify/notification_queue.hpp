#pragma once
// Who is told about what, in one place: every unit of work that ends an operation (the
// engine's terminal write, a token event) or creates a D1 one asks this to queue the
// notification in the same unit, so a crash can never separate the two. Built once by the
// composition root; the default notifies nobody.

#include <functional>
#include <set>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "store/store.hpp"

namespace c2p::notify {

class NotificationQueue {
 public:
  NotificationQueue() = default;
  // `issuers`: those with a notification endpoint; `pending_issuers`: those of them with
  // notify_pending; `wake`: the notifier's Wake (called after a commit that queued).
  NotificationQueue(std::set<std::string, std::less<>> issuers,
                    std::set<std::string, std::less<>> pending_issuers, std::function<void()> wake);

  bool Notifies(std::string_view issuer) const { return issuers_.contains(issuer); }

  // A card operation ended (or, `pending`, a D1 one began: queued only with notify_pending).
  core::Result<void> CardOperation(store::WriteTx& tx, std::string_view issuer,
                                   std::int64_t card_ref, std::string_view operation_id,
                                   std::string_view correlation_id, std::int64_t now_ms,
                                   bool pending = false) const;
  core::Result<void> ConsumerOperation(store::WriteTx& tx, std::string_view issuer,
                                       std::string_view consumer_id, std::string_view operation_id,
                                       std::string_view correlation_id, std::int64_t now_ms,
                                       bool pending = false) const;
  // A token event, told through the digital card notification.
  core::Result<void> DigitalCardEvent(store::WriteTx& tx, std::string_view issuer,
                                      std::int64_t card_ref, std::string_view operation_id,
                                      std::string_view correlation_id, std::int64_t now_ms) const;

  // After the unit committed: deliver without waiting for the notifier's next poll.
  void Wake() const {
    if (wake_) wake_();
  }

 private:
  core::Result<void> Queue(store::WriteTx& tx, std::string_view issuer, std::string_view kind,
                           std::string order_key, std::string_view operation_id,
                           std::string_view correlation_id, std::int64_t now_ms,
                           bool pending) const;

  std::set<std::string, std::less<>> issuers_;
  std::set<std::string, std::less<>> pending_issuers_;
  std::function<void()> wake_;
};

}  // namespace c2p::notify
