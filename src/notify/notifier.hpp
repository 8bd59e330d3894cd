#pragma once
// Delivers the notifications the store holds (shared/spec/outbound.md §3) on a thread of
// its own, so a slow issuer or a busy engine never delays the other.
//
// Each round: pack queued notifications into messages (one unit of work: the body and the
// webhook-id are fixed before the first attempt), claim due messages under a lease (a
// crash leaves the lease to lapse and the message is sent again under the same
// webhook-id: at least once), send them concurrently, and write each outcome:
//   2xx                     DELIVERED (the card's next notification may go)
//   410                     the issuer is suspended until an operator resumes it
//   anything else, no answer retried on the schedule (retry_schedule.hpp); past the
//                           horizon DEAD (listed, re-sendable with c2pctl)
// Redirects are never followed (the client does not) and count as failures.
// Concurrency is bounded per issuer, so one slow endpoint holds only its own messages.

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/metrics.hpp"
#include "http/client.hpp"
#include "notify/outbound_oauth.hpp"
#include "notify/packing.hpp"
#include "notify/retry_schedule.hpp"
#include "notify/webhook_signer.hpp"
#include "store/store.hpp"

namespace c2p::notify {

struct NotifierIssuer {
  std::string issuer_id;
  std::string url;  // notification_url, no trailing slash
  WebhookSigner signer;
  unsigned max_operations = 10;
  OutboundOAuth* oauth = nullptr;  // not owned; null: no Authorization header
};

struct NotifierOptions {
  RetrySchedule schedule;
  int max_in_flight_per_issuer = 4;
  int pack_batch = 512;
  std::chrono::milliseconds timeout{10'000};  // one attempt, connection included
  std::chrono::milliseconds lease{60'000};    // a claimed message is not claimed again before
  // The longest sleep between rounds: picks up c2pctl's redeliver/resume and refreshes the
  // backlog metrics.
  std::chrono::milliseconds idle_poll{1'000};
};

class Notifier {
 public:
  Notifier(store::Store& store, std::vector<NotifierIssuer> issuers, RenderOperation render,
           core::metrics::Registry& metrics, NotifierOptions options = {},
           http::ClientOptions client_options = {});
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // Whether `issuer` has a notification endpoint (so its operations are queued at all).
  bool Notifies(std::string_view issuer) const;
  void Start();
  // Something was queued: look now rather than at the next poll. Any thread.
  void Wake();
  // Attempts in flight are abandoned (their lease lapses and they are sent again).
  void Stop();

 private:
  struct IssuerState;
  boost::asio::awaitable<void> Loop();
  // Ends the loop's wait now, or its next one. Notifier thread only.
  void WakeLoop();
  boost::asio::awaitable<void> PackRound();
  boost::asio::awaitable<bool> ClaimRound();
  boost::asio::awaitable<void> Deliver(store::NotificationMessage message);
  boost::asio::awaitable<void> Settle(const store::NotificationMessage& message, unsigned status,
                                      std::string error,
                                      std::optional<std::chrono::seconds> retry_after);
  boost::asio::awaitable<void> RefreshBacklog();
  boost::asio::awaitable<std::chrono::milliseconds> UntilNextDue();

  store::Store& store_;
  RenderOperation render_;
  NotifierOptions options_;
  std::map<std::string, std::unique_ptr<IssuerState>, std::less<>> issuers_;
  boost::asio::io_context ioc_;
  std::unique_ptr<http::Client> client_;
  boost::asio::steady_timer wake_timer_{ioc_};
  // A wake that came while the loop was busy (a round's store writes): a cancel then finds
  // no wait to end, and the loop must not go to sleep on top of it. Notifier thread only.
  bool wake_pending_ = false;
  std::thread thread_;
  std::atomic<bool> started_{false};
  bool stopping_ = false;
  std::mt19937_64 rng_;
  std::chrono::steady_clock::time_point backlog_refreshed_{};
  core::metrics::Counter& pack_errors_;
};

}  // namespace c2p::notify
