#include "notify/notifier.hpp"

#include <algorithm>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/ids.hpp"
#include "core/time_format.hpp"
#include "log/log.hpp"
#include "notify/consumer_info_client.hpp"

namespace c2p::notify {

namespace asio = boost::asio;

namespace {

// Buckets for delivery latency, 10 ms .. 3 days: a notification may wait hours for an
// issuer that is down.
std::vector<double> DeliveryBuckets() {
  return {0.01, 0.05, 0.1,  0.5,  1,          5,           10,         30,
          60,   300,  1800, 3600, 4 * 3600.0, 24 * 3600.0, 72 * 3600.0};
}

}  // namespace

struct Notifier::IssuerState {
  IssuerState(NotifierIssuer c, core::metrics::Registry& m)
      : config(std::move(c)),
        waiting(m.GetGauge("c2p_notifications_waiting",
                           "Operations queued for an issuer and not yet delivered (nor dead).",
                           {{"issuer", config.issuer_id}})),
        oldest_age(m.GetGauge("c2p_notifications_oldest_waiting_seconds",
                              "Age of the oldest operation waiting to be notified.",
                              {{"issuer", config.issuer_id}})),
        in_flight_gauge(m.GetGauge("c2p_notifications_in_flight",
                                   "Notification requests being sent.",
                                   {{"issuer", config.issuer_id}})),
        suspended(m.GetGauge("c2p_notifications_suspended",
                             "1 while the issuer's notifications are suspended (after a 410).",
                             {{"issuer", config.issuer_id}})),
        delivered(m.GetCounter("c2p_notifications_delivered_total",
                               "Notification requests the issuer acknowledged (2xx).",
                               {{"issuer", config.issuer_id}})),
        retried(m.GetCounter("c2p_notifications_retried_total",
                             "Notification attempts that failed and will be retried.",
                             {{"issuer", config.issuer_id}})),
        dead(m.GetCounter("c2p_notifications_dead_total",
                          "Notification requests given up after the retry horizon.",
                          {{"issuer", config.issuer_id}})),
        latency(m.GetHistogram("c2p_notification_delivery_seconds",
                               "From a request's creation to the issuer's 2xx.",
                               {{"issuer", config.issuer_id}}, DeliveryBuckets())) {}

  NotifierIssuer config;
  int in_flight = 0;
  core::metrics::Gauge& waiting;
  core::metrics::Gauge& oldest_age;
  core::metrics::Gauge& in_flight_gauge;
  core::metrics::Gauge& suspended;
  core::metrics::Counter& delivered;
  core::metrics::Counter& retried;
  core::metrics::Counter& dead;
  core::metrics::Histogram& latency;
};

Notifier::Notifier(store::Store& store, std::vector<NotifierIssuer> issuers, RenderOperation render,
                   core::metrics::Registry& metrics, NotifierOptions options,
                   http::ClientOptions client_options)
    : store_(store),
      render_(std::move(render)),
      options_(std::move(options)),
      rng_(std::random_device{}()),
      pack_errors_(metrics.GetCounter("c2p_notification_pack_errors_total",
                                      "Rounds of packing notifications the store refused.")) {
  for (auto& issuer : issuers) {
    std::string id = issuer.issuer_id;
    issuers_.emplace(std::move(id), std::make_unique<IssuerState>(std::move(issuer), metrics));
  }
  client_options.timeout = options_.timeout;
  client_ = std::make_unique<http::Client>(ioc_.get_executor(), client_options);
}

Notifier::~Notifier() { Stop(); }

bool Notifier::Notifies(std::string_view issuer) const { return issuers_.contains(issuer); }

void Notifier::Start() {
  if (started_.exchange(true) || issuers_.empty()) return;
  asio::co_spawn(ioc_, Loop(), asio::detached);
  thread_ = std::thread([this] { ioc_.run(); });
}

void Notifier::Wake() {
  asio::post(ioc_, [this] { WakeLoop(); });
}

void Notifier::Stop() {
  if (!thread_.joinable()) return;
  asio::post(ioc_, [this] {
    stopping_ = true;
    ioc_.stop();
  });
  thread_.join();
  // The client's transfers end (kCancelled) before the io_context that runs them goes.
  client_.reset();
}

asio::awaitable<std::chrono::milliseconds> Notifier::UntilNextDue() {
  auto due = co_await store_.NextNotificationDue();
  if (!due || !*due) co_return options_.idle_poll;
  co_return std::clamp(std::chrono::milliseconds(**due - core::UnixMillisNow()),
                       std::chrono::milliseconds(0), options_.idle_poll);
}

asio::awaitable<void> Notifier::RefreshBacklog() {
  const auto now = std::chrono::steady_clock::now();
  if (now - backlog_refreshed_ < options_.idle_poll) co_return;
  backlog_refreshed_ = now;
  auto backlog = co_await store_.NotificationBacklogs();
  auto suspended = co_await store_.SuspendedNotificationIssuers();
  if (!backlog || !suspended) co_return;
  const std::int64_t now_ms = core::UnixMillisNow();
  for (auto& [id, state] : issuers_) {
    state->waiting.Set(0);
    state->oldest_age.Set(0);
    state->suspended.Set(std::count(suspended->begin(), suspended->end(), id) > 0 ? 1 : 0);
  }
  for (const auto& b : *backlog) {
    auto it = issuers_.find(b.issuer_id);
    if (it == issuers_.end()) continue;
    it->second->waiting.Set(b.waiting);
    it->second->oldest_age.Set(std::max<std::int64_t>(0, (now_ms - b.oldest_created_ms) / 1000));
  }
}

void Notifier::WakeLoop() {
  wake_pending_ = true;
  wake_timer_.cancel();
}

asio::awaitable<void> Notifier::Loop() {
  while (!stopping_) {
    // This round sees everything that woke the loop before it began.
    wake_pending_ = false;
    co_await PackRound();
    const bool claimed_any = co_await ClaimRound();
    co_await RefreshBacklog();
    if (claimed_any) continue;
    // Due but not claimable (an issuer's concurrency used up, or suspended): a request
    // that ends frees a slot and wakes the loop; a resume is seen at the next poll.
    // A delivery that ended during this round freed a slot or released a card's next
    // notification: look again rather than sleep through it (up to idle_poll).
    if (wake_pending_) continue;
    const auto wait = co_await UntilNextDue();
    if (wake_pending_) continue;  // woken while the read above waited for the store
    wake_timer_.expires_after(wait.count() == 0 ? options_.idle_poll : wait);
    boost::system::error_code ec;
    co_await wake_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

asio::awaitable<void> Notifier::PackRound() {
  // A read first: an idle notifier must not cost a commit (and its fsync) per poll.
  auto waiting = co_await store_.CountQueuedNotifications();
  if (waiting && *waiting == 0) co_return;
  PackContext context;
  context.render = render_;
  context.max_operations = [this](std::string_view issuer) {
    auto it = issuers_.find(issuer);
    return it == issuers_.end() ? 10U : it->second->config.max_operations;
  };
  context.new_webhook_id = [] { return core::NewRandomId("msg_"); };
  for (;;) {
    context.now_ms = core::UnixMillisNow();
    std::size_t packed = 0;
    auto written = co_await store_.Write([&](store::WriteTx& tx) -> core::Result<void> {
      auto queued = tx.PackableNotifications(options_.pack_batch);
      if (!queued) return tl::unexpected(std::move(queued.error()));
      std::map<std::string, store::OperationRecord, std::less<>> operations;
      for (const auto& n : *queued) {
        auto op = tx.FindOperation(n.issuer_id, n.operation_id);
        if (!op) return tl::unexpected(std::move(op.error()));
        if (*op) operations.emplace(n.operation_id, std::move(**op));
      }
      for (auto& m : PackNotifications(*queued, operations, context)) {
        auto id = tx.InsertNotificationMessage(m.message, m.notification_ids);
        if (!id) return tl::unexpected(std::move(id.error()));
      }
      packed = queued->size();
      return {};
    });
    if (!written) {
      pack_errors_.Add();
      log::Error("notify.pack_failed", {{"error", written.error().message}});
      co_return;
    }
    if (packed < static_cast<std::size_t>(options_.pack_batch)) co_return;
  }
}

asio::awaitable<bool> Notifier::ClaimRound() {
  std::vector<std::string> busy;
  for (const auto& [id, state] : issuers_) {
    if (state->in_flight >= options_.max_in_flight_per_issuer) busy.push_back(id);
  }
  if (busy.size() == issuers_.size()) co_return false;
  const std::int64_t now = core::UnixMillisNow();
  if (auto due = co_await store_.NextNotificationDue(); due && (!*due || **due > now)) {
    co_return false;
  }
  std::vector<store::NotificationMessage> claimed;
  auto written = co_await store_.Write([&](store::WriteTx& tx) -> core::Result<void> {
    auto rows = tx.ClaimNotificationMessages(now, now + options_.lease.count(),
                                             options_.max_in_flight_per_issuer, busy);
    if (!rows) return tl::unexpected(std::move(rows.error()));
    claimed = std::move(*rows);
    return {};
  });
  if (!written) {
    log::Error("notify.claim_failed", {{"error", written.error().message}});
    co_return false;
  }
  for (auto& message : claimed) {
    auto it = issuers_.find(message.issuer_id);
    if (it == issuers_.end()) {
      // An issuer no longer configured: its messages wait (the lease) until it is again.
      continue;
    }
    ++it->second->in_flight;
    it->second->in_flight_gauge.Add(1);
    asio::co_spawn(ioc_, Deliver(std::move(message)), asio::detached);
  }
  co_return !claimed.empty();
}

asio::awaitable<void> Notifier::Deliver(store::NotificationMessage message) {
  IssuerState& issuer = *issuers_.at(message.issuer_id);
  http::ClientRequest request;
  request.method = "POST";
  request.url = issuer.config.url + message.path;
  const std::string timestamp = std::to_string(core::UnixMillisNow() / 1000);
  request.headers = {{"Content-Type", "application/json"},
                     {"x-correlation-id", message.correlation_id},
                     {"webhook-id", message.webhook_id},
                     {"webhook-timestamp", timestamp},
                     {"webhook-signature",
                      issuer.config.signer.Sign(message.webhook_id, timestamp, message.body)}};
  request.timeout = options_.timeout;
  std::string token;
  if (issuer.config.oauth) {
    auto got = co_await issuer.config.oauth->Token(message.correlation_id);
    if (!got) {
      co_await Settle(message, 0, "no OAuth token from the issuer", std::nullopt);
      co_return;
    }
    token = *got;
    request.headers.emplace_back("Authorization", "Bearer " + token);
  }
  request.body = message.body;
  auto answer = co_await client_->Send(std::move(request));
  if (!answer) {
    co_await Settle(message, 0, std::string(http::TransportErrorKindName(answer.error().kind)),
                    std::nullopt);
    co_return;
  }
  if (answer->status == 401 && issuer.config.oauth) issuer.config.oauth->Invalidate(token);
  co_await Settle(message, answer->status, "HTTP " + std::to_string(answer->status),
                  ParseRetryAfter(answer->header("retry-after")));
}

asio::awaitable<void> Notifier::Settle(const store::NotificationMessage& message, unsigned status,
                                       std::string error,
                                       std::optional<std::chrono::seconds> retry_after) {
  IssuerState& issuer = *issuers_.at(message.issuer_id);
  const std::int64_t now = core::UnixMillisNow();
  const bool ok = status >= 200 && status < 300;
  std::optional<std::int64_t> next;
  if (!ok && status != 410) {
    const double draw = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
    next = NextAttemptMs(options_.schedule, message.attempts, message.created_ms, now, retry_after,
                         draw);
  }
  auto written = co_await store_.Write([&](store::WriteTx& tx) -> core::Result<void> {
    if (ok) return tx.EndNotificationMessage(message.message_id, "DELIVERED", now, std::nullopt);
    if (status == 410) {
      // Sent again, under the same webhook-id, once an operator resumes the issuer.
      if (auto s = tx.SuspendNotifications(message.issuer_id, now, "HTTP 410"); !s) return s;
      return tx.RescheduleNotificationMessage(message.message_id, now, error);
    }
    if (!next) return tx.EndNotificationMessage(message.message_id, "DEAD", now, error);
    return tx.RescheduleNotificationMessage(message.message_id, *next, error);
  });
  --issuer.in_flight;
  issuer.in_flight_gauge.Add(-1);
  if (!written) {
    // The lease lapses and the message is sent again.
    log::Error("notify.settle_failed",
               {{"webhook_id", message.webhook_id}, {"error", written.error().message}});
    WakeLoop();
    co_return;
  }
  if (ok) {
    issuer.delivered.Add();
    issuer.latency.Observe(static_cast<double>(now - message.created_ms) / 1000.0);
  } else if (status == 410) {
    issuer.suspended.Set(1);
    log::Warn("notify.issuer_suspended",
              {{"issuer", message.issuer_id}, {"webhook_id", message.webhook_id}});
  } else if (!next) {
    issuer.dead.Add();
    log::Warn("notify.dead", {{"issuer", message.issuer_id},
                              {"webhook_id", message.webhook_id},
                              {"attempts", message.attempts},
                              {"error", error}});
  } else {
    issuer.retried.Add();
    log::Info("notify.retry_later", {{"correlation_id", message.correlation_id},
                                     {"issuer", message.issuer_id},
                                     {"webhook_id", message.webhook_id},
                                     {"attempt", message.attempts},
                                     {"error", error}});
  }
  // A slot is free and a delivered message may release the card's next notification.
  WakeLoop();
}

}  // namespace c2p::notify
