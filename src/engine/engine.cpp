#include "engine/engine.hpp"

#include <algorithm>
#include <iterator>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

#include "core/time_format.hpp"
#include "log/log.hpp"

namespace c2p::engine {

namespace asio = boost::asio;

namespace {

constexpr std::string_view kDeadlineCode = "NETWORK_UNAVAILABLE";

std::size_t BulkMax(const EngineOptions& o) {
  const std::size_t configured =
      o.bulk_max_in_flight == 0 ? o.max_in_flight / 2 : o.bulk_max_in_flight;
  return std::clamp<std::size_t>(configured, 1, std::max<std::size_t>(o.max_in_flight, 1));
}

std::size_t BulkMaxWhenInteractive(const EngineOptions& o) {
  const std::size_t full = BulkMax(o);
  const std::size_t configured =
      o.bulk_max_in_flight_when_interactive == 0 ? full / 4 : o.bulk_max_in_flight_when_interactive;
  return std::clamp<std::size_t>(configured, 1, full);
}

core::metrics::Counter& Ended(core::metrics::Registry& m, const char* status) {
  return m.GetCounter("c2p_operations_ended_total", "Operations the engine ended, by status.",
                      {{"status", status}});
}

}  // namespace

Engine::Engine(store::Store& store, OperationWatch& watch, core::metrics::Registry& metrics,
               EngineOptions options)
    : store_(store),
      watch_(watch),
      options_(options),
      bulk_max_(BulkMax(options)),
      bulk_max_when_interactive_(BulkMaxWhenInteractive(options)),
      rng_(std::random_device{}()),
      succeeded_(Ended(metrics, "SUCCESSFUL")),
      failed_(Ended(metrics, "FAILED")),
      retried_(
          metrics.GetCounter("c2p_job_retries_total", "Job attempts that ended in a retry later.")),
      claim_errors_(metrics.GetCounter("c2p_job_claim_errors_total",
                                       "Claims of due jobs that the store refused.")),
      leases_lost_(metrics.GetCounter(
          "c2p_job_leases_lost_total",
          "Attempts whose outcome was dropped: the lease had lapsed and a later claim holds "
          "the job.")),
      settlement_retries_(metrics.GetCounter(
          "c2p_job_settlement_retries_total",
          "Writes of an attempt's outcome tried again because the store was unavailable.")) {}

Engine::~Engine() { Stop(); }

asio::any_io_executor Engine::executor() { return ioc_.get_executor(); }

void Engine::AddDriver(std::string kind, Driver& driver) { drivers_[std::move(kind)] = &driver; }

void Engine::Start() {
  if (started_.exchange(true)) return;
  looping_ = true;  // before the thread starts: Stop() must wait for the loop's end
  asio::co_spawn(ioc_, Loop(), asio::detached);
  thread_ = std::thread([this] { ioc_.run(); });
}

void Engine::Wake() {
  asio::post(ioc_, [this] { WakeLoop(); });
}

void Engine::WakeLoop() {
  wake_pending_ = true;
  wake_timer_.cancel();
}

void Engine::Stop(std::chrono::milliseconds grace) {
  if (!thread_.joinable()) return;
  asio::post(ioc_, [this] {
    stopping_ = true;
    WakeLoop();
  });
  // Running attempts finish (and write their outcome) unless they outlast the grace.
  const auto until = std::chrono::steady_clock::now() + grace;
  asio::co_spawn(
      ioc_,
      [this, until]() -> asio::awaitable<void> {
        asio::steady_timer tick(ioc_);
        // The loop too: a claim it awaits completes on this io_context, which must not be
        // gone by then (the store's writer would post to a destroyed executor).
        while ((in_flight_ > 0 || looping_) && std::chrono::steady_clock::now() < until) {
          tick.expires_after(std::chrono::milliseconds(10));
          boost::system::error_code ec;
          co_await tick.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
        ioc_.stop();
      },
      asio::detached);
  thread_.join();
}

std::size_t Engine::BulkCap() const {
  const bool interactive = options_.activity != nullptr && options_.activity->Recent();
  return interactive ? bulk_max_when_interactive_ : bulk_max_;
}

asio::awaitable<std::chrono::milliseconds> Engine::UntilNextDue() {
  const std::int64_t now = core::UnixMillisNow();
  // A bulk lane at its share has nothing claimable however many of its jobs are due:
  // counting them would spin the loop; the end of a bulk job wakes it instead.
  std::optional<std::int64_t> next;
  for (const auto lane : {store::JobLane::kInteractive, store::JobLane::kBulk}) {
    if (lane == store::JobLane::kBulk && !BulkHasRoom()) continue;
    auto due = co_await store_.NextJobDue(now, lane);
    if (due && *due && (!next || **due < *next)) next = **due;
  }
  if (!next) co_return options_.idle_poll;
  co_return std::clamp(std::chrono::milliseconds(*next - now), std::chrono::milliseconds(0),
                       options_.idle_poll);
}

asio::awaitable<void> Engine::Loop() {
  // With the embedded store this process is the only one: a lease still set was held by
  // a process that died, and waiting for it to lapse would only delay recovery.
  auto released = co_await store_.Write([](store::WriteTx& tx) { return tx.ReleaseJobLeases(); });
  if (!released) log::Error("engine.release_leases_failed", {{"error", released.error().message}});

  while (!stopping_) {
    // This round sees everything that woke the loop before it began.
    wake_pending_ = false;
    bool claimed_any = false;
    bool claim_ok = true;
    if (in_flight_ < options_.max_in_flight) {
      const int limit = static_cast<int>(std::min<std::size_t>(
          options_.max_in_flight - in_flight_, static_cast<std::size_t>(options_.claim_batch)));
      const std::size_t bulk_room = BulkHasRoom() ? BulkCap() - bulk_in_flight_ : 0;
      const std::int64_t now = core::UnixMillisNow();
      std::vector<store::JobRecord> jobs;
      // Interactive first; bulk jobs only fill what is left, within their share.
      auto claimed = co_await store_.Write([&](store::WriteTx& tx) -> core::Result<void> {
        jobs.clear();
        const std::int64_t lease_until = now + options_.lease.count();
        auto rows = tx.ClaimJobs(now, lease_until, store::JobLane::kInteractive, limit);
        if (!rows) return tl::unexpected(std::move(rows.error()));
        jobs = std::move(*rows);
        for (auto& job : jobs) job.lease_until_ms = lease_until;
        const int bulk_limit =
            std::min(limit - static_cast<int>(jobs.size()),
                     static_cast<int>(std::min(bulk_room, static_cast<std::size_t>(limit))));
        if (bulk_limit <= 0) return {};
        auto bulk = tx.ClaimJobs(now, lease_until, store::JobLane::kBulk, bulk_limit);
        if (!bulk) return tl::unexpected(std::move(bulk.error()));
        for (auto& job : *bulk) job.lease_until_ms = lease_until;
        std::move(bulk->begin(), bulk->end(), std::back_inserter(jobs));
        return {};
      });
      if (!claimed) {
        // The unit may have read its rows before the COMMIT failed: those claims were
        // never made (the attempt count did not move), and running them would call the
        // directories for jobs the store still offers to the next claim (a card enrolled
        // twice, seen with the disk full).
        jobs.clear();
        claim_ok = false;
        claim_errors_.Add();
        log::Error("engine.claim_failed", {{"error", claimed.error().message}});
      }
      for (auto& job : jobs) {
        ++in_flight_;
        if (job.lane == store::JobLane::kBulk) {
          ++bulk_in_flight_;
        } else if (options_.activity != nullptr) {
          options_.activity->Touch();
        }
        asio::co_spawn(ioc_, RunJob(std::move(job)), asio::detached);
      }
      claimed_any = claimed && !jobs.empty();
    }
    if (claimed_any) continue;  // more may be due
    // A store that refuses the claim (disk full, PostgreSQL down) would refuse it again at
    // once: the due jobs wait a poll rather than spin the loop and the log.
    auto wait = in_flight_ >= options_.max_in_flight || !claim_ok ? options_.idle_poll
                                                                  : co_await UntilNextDue();
    // A retry settled while this round read the next due time may be earlier than it.
    wait = std::min(wait, UntilRetryDue());
    if (wait.count() == 0 && in_flight_ < options_.max_in_flight) continue;
    // A wake-up that came while this round waited for the store (a claim, the read of
    // the next due time) found no wait to cancel: look again rather than sleep through it.
    if (wake_pending_) continue;
    co_await Sleep(wait);
  }
  looping_ = false;
}

std::chrono::milliseconds Engine::UntilRetryDue() {
  if (retry_due_ms_ == 0) return std::chrono::milliseconds::max();
  const auto left =
      std::chrono::milliseconds(std::max<std::int64_t>(retry_due_ms_ - core::UnixMillisNow(), 0));
  retry_due_ms_ = 0;
  return left;
}

asio::awaitable<void> Engine::Sleep(std::chrono::milliseconds wait) {
  auto until = std::chrono::steady_clock::now() + wait;
  sleeping_until_ms_ = core::UnixMillisNow() + wait.count();
  for (;;) {
    wake_timer_.expires_at(until);
    boost::system::error_code ec;
    co_await wake_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    // Expired, woken (WakeLoop) or stopping: the next round. Otherwise a retry due sooner
    // cut the sleep short (NoteRetryDue): sleep on until it is due, without a round.
    if (!ec || wake_pending_ || stopping_) break;
    if (const auto left = UntilRetryDue(); left != std::chrono::milliseconds::max()) {
      until = std::min(until, std::chrono::steady_clock::now() + left);
    }
  }
  sleeping_until_ms_ = 0;
}

void Engine::NoteRetryDue(std::int64_t run_at) {
  if (retry_due_ms_ == 0 || run_at < retry_due_ms_) retry_due_ms_ = run_at;
  if (sleeping_until_ms_ != 0 && run_at < sleeping_until_ms_) wake_timer_.cancel();
}

asio::awaitable<void> Engine::RunJob(store::JobRecord job) {
  RunResult result;
  auto driver = drivers_.find(job.kind);
  if (driver != drivers_.end() && core::UnixMillisNow() >= job.deadline_ms) {
    const std::string message = "the operation's deadline passed";
    try {
      result = co_await driver->second->GiveUpAtDeadline(job, std::string(kDeadlineCode), message);
    } catch (const std::exception& e) {
      // The look is I/O like an attempt: a bug there still ends the operation.
      log::Error("engine.driver_threw",
                 {{"operation_id", job.operation_id}, {"kind", job.kind}, {"error", e.what()}});
      result = driver->second->GiveUp(job, std::string(kDeadlineCode), message);
    }
  } else if (driver == drivers_.end()) {
    // A job written by a newer c2pd (rolling upgrade): leave it for a node that knows it.
    result = RetryWith("NETWORK_UNAVAILABLE", "no driver for this kind of job",
                       std::chrono::seconds(60));
  } else {
    try {
      result = co_await driver->second->Run(job);
    } catch (const std::exception& e) {
      // A bug in a driver must not end the engine: the job is retried like any failure.
      log::Error("engine.driver_threw",
                 {{"operation_id", job.operation_id}, {"kind", job.kind}, {"error", e.what()}});
      result = RetryWith("NETWORK_UNAVAILABLE", "internal error");
    }
  }
  co_await Settle(job, std::move(result));
  --in_flight_;
  bool bulk_freed = false;
  if (job.lane == store::JobLane::kBulk) {
    --bulk_in_flight_;
    bulk_freed = bulk_in_flight_ + 1 == BulkCap();  // the lane was full: claim again
  }
  if (in_flight_ + 1 == options_.max_in_flight || bulk_freed || stopping_) WakeLoop();
}

asio::awaitable<void> Engine::Settle(const store::JobRecord& job, RunResult result) {
  if (auto* end = std::get_if<Finished>(&result)) {
    co_await Finish(job, *end);
    co_return;
  }
  auto& retry = std::get<RetryLater>(result);
  const std::string& progress = retry.progress ? *retry.progress : job.progress;
  const auto delay = RetryDelay(options_.retry, job.attempts, retry.retry_after, rng_());
  const std::int64_t now = core::UnixMillisNow();
  const std::int64_t run_at = now + delay.count();
  // In doubt, the directory may still apply a call or end a request it accepted: the
  // operation is not given up now but by a last attempt after the usual back-off (which
  // covers the call's in-doubt wait), past the deadline, that looks first (RunJob).
  if (run_at >= job.deadline_ms && !retry.in_doubt) {
    auto driver = drivers_.find(job.kind);
    // The driver gives up from the checkpoint this attempt reached, not the one it began at.
    store::JobRecord last = job;
    last.progress = progress;
    Finished end =
        driver == drivers_.end()
            ? FailedWith(retry.failure_code, retry.message)
            : driver->second->GiveUp(last, retry.failure_code,
                                     "retries exhausted before the deadline: " + retry.message);
    if (!end.profile_network) end.profile_network = retry.profile_network;
    co_await Finish(job, end);
    co_return;
  }
  retried_.Add();
  log::Info("engine.retry_later", {{"correlation_id", job.correlation_id},
                                   {"operation_id", job.operation_id},
                                   {"attempt", job.attempts},
                                   {"delay_ms", delay.count()},
                                   {"reason", retry.message}});
  bool held = true;
  auto written = co_await WriteSettlement([&](store::WriteTx& tx) -> core::Result<void> {
    auto rescheduled = tx.RescheduleJob(job, run_at, progress);
    if (!rescheduled) return tl::unexpected(std::move(rescheduled.error()));
    held = *rescheduled;
    if (!held) return {};
    if (retry.profile_network) {
      if (auto p = tx.PutNetworkProfile(job.issuer_id, job.consumer_id, *retry.profile_network,
                                        core::UnixMillisNow());
          !p) {
        return p;
      }
    }
    return {};
  });
  // Unwritten, the job keeps its lease and runs again once the lease lapses.
  if (!written) log::Error("engine.reschedule_failed", {{"error", written.error().message}});
  if (written && !held) LeaseLost(job);
  // Otherwise a retry due before the loop wakes would wait for its idle poll, not its
  // back-off.
  if (written && held) NoteRetryDue(run_at);
}

// A deadlock or serialization failure between nodes, a lost connection or a full disk is
// usually over within a second; without this the job would wait for its lease to lapse
// (minutes) before anyone wrote its outcome. Each unit re-runs from the start and sets
// everything it reports itself. A COMMIT whose answer was lost is safe to repeat: the job
// row is gone, the fenced delete or reschedule touches nothing and reports the lease lost.
asio::awaitable<core::Result<void>> Engine::WriteSettlement(const store::WriteWork& work) {
  const auto give_up = std::chrono::steady_clock::now() + options_.lease / 2;
  auto pause = std::chrono::milliseconds(50);
  for (;;) {
    auto written = co_await store_.Write(work);
    if (written || written.error().code != core::ErrorCode::kUnavailable || stopping_ ||
        std::chrono::steady_clock::now() + pause >= give_up) {
      co_return written;
    }
    settlement_retries_.Add();
    asio::steady_timer timer(ioc_, pause);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    pause = std::min(pause * 2, std::chrono::milliseconds(2000));
  }
}

void Engine::LeaseLost(const store::JobRecord& job) {
  leases_lost_.Add();
  log::Warn("engine.lease_lost", {{"correlation_id", job.correlation_id},
                                  {"operation_id", job.operation_id},
                                  {"attempt", job.attempts}});
}

asio::awaitable<void> Engine::Finish(const store::JobRecord& job, const Finished& end) {
  store::OperationOutcome outcome;
  outcome.issuer_id = job.issuer_id;
  outcome.operation_id = job.operation_id;
  outcome.status = end.successful ? "SUCCESSFUL" : "FAILED";
  if (!end.successful) {
    outcome.error_code = end.error_code;
    outcome.error_message = end.error_message;
  }
  if (!end.details.empty()) outcome.details_json = boost::json::serialize(end.details);
  outcome.end_ms = core::UnixMillisNow();
  // A failed enrolment leaves the card enrollable again.
  std::optional<std::string> card_status = end.card_status;
  const notify::NotificationQueue* notifications = options_.notifications;
  bool next_queued = false;
  bool held = true;
  auto written = co_await WriteSettlement([&](store::WriteTx& tx) -> core::Result<void> {
    next_queued = false;
    // First, so that a holder whose lease was taken over writes nothing at all.
    auto deleted = tx.DeleteJob(job);
    if (!deleted) return tl::unexpected(std::move(deleted.error()));
    held = *deleted;
    if (!held) return {};
    // The consumer's row, then the card's, before the notification (PostgreSQL, several
    // writers): the consumer first is the store's lock order (store.hpp), which the
    // issuer's calls on this consumer and its cards follow too. The card's row because a
    // token event queueing a notification of the same card locks that row first as well,
    // so their notifications are numbered in the order they commit. Updating the row
    // locks it; a settlement that leaves it alone locks it (the operation's incarnation,
    // whichever is the newest now).
    if (auto c = tx.FindConsumer(job.issuer_id, job.consumer_id); !c) {
      return tl::unexpected(std::move(c.error()));
    }
    if (job.card_ref && card_status) {
      if (auto c = tx.SetCardClickToPay(*job.card_ref, *card_status, outcome.end_ms,
                                        end.digital_card_id);
          !c) {
        return c;
      }
    } else if (job.card_ref) {
      if (auto c = tx.LockCardRow(*job.card_ref); !c) return c;
    }
    auto ended = tx.FinishOperation(outcome);
    if (!ended) return tl::unexpected(std::move(ended.error()));
    if (*ended && notifications) {
      auto queued = job.card_ref ? notifications->CardOperation(tx, job.issuer_id, *job.card_ref,
                                                                job.operation_id,
                                                                job.correlation_id, outcome.end_ms)
                                 : notifications->ConsumerOperation(
                                       tx, job.issuer_id, job.consumer_id, job.operation_id,
                                       job.correlation_id, outcome.end_ms);
      if (!queued) return queued;
    }
    for (const CardEffect& card : end.cards) {
      if (auto c = tx.SetCardClickToPay(card.card_ref, card.card_status, outcome.end_ms,
                                        card.digital_card_id);
          !c) {
        return c;
      }
      if (card.operation_id) {
        store::OperationOutcome related = outcome;
        related.operation_id = *card.operation_id;
        related.details_json.reset();
        auto related_ended = tx.FinishOperation(related);
        if (!related_ended) return tl::unexpected(std::move(related_ended.error()));
        if (*related_ended && notifications) {
          if (auto q =
                  notifications->CardOperation(tx, job.issuer_id, card.card_ref, *card.operation_id,
                                               job.correlation_id, outcome.end_ms);
              !q) {
            return q;
          }
        }
      }
    }
    for (const std::string& id : end.related_operations) {
      store::OperationOutcome related = outcome;
      related.operation_id = id;
      related.details_json.reset();
      auto related_ended = tx.FinishOperation(related);
      if (!related_ended) return tl::unexpected(std::move(related_ended.error()));
      if (*related_ended && notifications) {
        if (auto q = notifications->ConsumerOperation(tx, job.issuer_id, job.consumer_id, id,
                                                      job.correlation_id, outcome.end_ms);
            !q) {
          return q;
        }
      }
    }
    if (end.profile_network) {
      if (auto p = tx.PutNetworkProfile(job.issuer_id, job.consumer_id, *end.profile_network,
                                        outcome.end_ms);
          !p) {
        return p;
      }
    }
    for (const std::string& network : end.profiles_removed) {
      if (auto p = tx.DeleteNetworkProfile(job.issuer_id, job.consumer_id, network); !p) return p;
    }
    // The consumer's next queued job (auto-enrolment) is its head now, due at once.
    auto more = tx.ConsumerHasJob(job.issuer_id, job.consumer_id);
    if (!more) return tl::unexpected(std::move(more.error()));
    next_queued = *more;
    return {};
  });
  if (!written) {
    log::Error("engine.finish_failed",
               {{"operation_id", job.operation_id}, {"error", written.error().message}});
    co_return;
  }
  if (!held) {
    LeaseLost(job);
    co_return;
  }
  if (next_queued) WakeLoop();  // on the engine's thread: the loop claims it
  if (notifications && notifications->Notifies(job.issuer_id)) notifications->Wake();
  (end.successful ? succeeded_ : failed_).Add();
  log::Info("engine.operation_ended", {{"correlation_id", job.correlation_id},
                                       {"issuer", job.issuer_id},
                                       {"operation_id", job.operation_id},
                                       {"kind", job.kind},
                                       {"status", outcome.status},
                                       {"error_code", outcome.error_code.value_or("")},
                                       {"attempts", job.attempts}});
  watch_.Notify(OperationWatch::Key(job.issuer_id, job.operation_id));
  for (const CardEffect& card : end.cards) {
    if (card.operation_id) watch_.Notify(OperationWatch::Key(job.issuer_id, *card.operation_id));
  }
  for (const std::string& id : end.related_operations) {
    watch_.Notify(OperationWatch::Key(job.issuer_id, id));
  }
}

}  // namespace c2p::engine
