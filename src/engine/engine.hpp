#pragma once
// The durable engine: runs the jobs the API wrote (one per pending operation) to their
// end. Jobs are claimed from the store in batches under a lease, run by their kind's
// Driver as coroutines on one engine thread (network calls are asynchronous: thousands
// may be in flight on that thread), retried with back-off and jitter, and failed with
// the driver's code once their deadline passes. The terminal state, the card's Click to
// Pay status and the job's removal commit in one unit of work; waiters are woken after.
//
// A crash at any point loses nothing: an unfinished job is still in the store and runs
// again (see driver.hpp for why that is safe toward the networks).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/interactive_activity.hpp"
#include "core/metrics.hpp"
#include "core/time_format.hpp"
#include "engine/backoff.hpp"
#include "engine/driver.hpp"
#include "engine/operation_watch.hpp"
#include "notify/notification_queue.hpp"
#include "store/store.hpp"

namespace c2p::engine {

struct EngineOptions {
  std::size_t max_in_flight = 512;  // jobs running at once
  // The most bulk-lane jobs (batch files' auto-enrolments) running at once; 0: half of
  // max_in_flight (at least 1). Interactive jobs are claimed first and always keep the
  // other slots (docs/engine.md "Lanes").
  std::size_t bulk_max_in_flight = 0;
  // The bulk lane's share while interactive jobs run (`activity` recent); 0: a quarter of
  // bulk_max_in_flight (at least 1). Never above bulk_max_in_flight.
  std::size_t bulk_max_in_flight_when_interactive = 0;
  // Touched whenever interactive jobs are claimed, read for the bulk lane's share (and by
  // the batch processor for its chunk size). Null: the bulk lane always has its full share.
  core::InteractiveActivity* activity = nullptr;
  int claim_batch = 256;  // most jobs one claim takes
  std::chrono::milliseconds lease{300'000};
  std::chrono::milliseconds idle_poll{500};  // longest sleep when nothing is due
  RetryPolicy retry;
  // Queues each ended operation's notification in its terminal unit; null: nobody is told.
  const notify::NotificationQueue* notifications = nullptr;
};

class Engine {
 public:
  Engine(store::Store& store, OperationWatch& watch, core::metrics::Registry& metrics,
         EngineOptions options);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // The engine thread's executor: build the outbound HTTP client and connectors on it.
  boost::asio::any_io_executor executor();

  // Before Start(). The engine does not own drivers.
  void AddDriver(std::string kind, Driver& driver);

  // Releases stale leases (embedded store), then starts claiming on the engine thread.
  void Start();
  // Something became due now (a job was written): claim without waiting for the poll.
  // Any thread.
  void Wake();
  // Stops claiming, lets the running attempts end (their outcome is written), then joins.
  // Jobs still running when `grace` passes are abandoned: their lease lapses and they
  // run again later. Idempotent.
  void Stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));

 private:
  boost::asio::awaitable<void> Loop();
  boost::asio::awaitable<void> RunJob(store::JobRecord job);
  boost::asio::awaitable<void> Settle(const store::JobRecord& job, RunResult result);
  boost::asio::awaitable<void> Finish(const store::JobRecord& job, const Finished& end);
  // Writes an attempt's outcome (finish or reschedule), trying again shortly while the
  // store is unavailable, within half the lease.
  boost::asio::awaitable<core::Result<void>> WriteSettlement(const store::WriteWork& work);
  // The attempt's outcome was not written: a later claim (this node or another) holds the
  // job now and writes its own.
  void LeaseLost(const store::JobRecord& job);
  boost::asio::awaitable<std::chrono::milliseconds> UntilNextDue();
  // On the engine's thread: ends the loop's wait, or makes it look again if it is not
  // waiting yet (busy with the store).
  void WakeLoop();
  // A job rescheduled to `run_at`: the loop sleeps no longer than that (engine thread).
  void NoteRetryDue(std::int64_t run_at);
  // Until the earliest retry noted since the last call (max() if none); forgets it.
  std::chrono::milliseconds UntilRetryDue();
  // The loop's sleep: until `wait` passes, WakeLoop is called, or a noted retry is due.
  boost::asio::awaitable<void> Sleep(std::chrono::milliseconds wait);
  // The bulk lane's share now: smaller while interactive jobs run.
  std::size_t BulkCap() const;
  bool BulkHasRoom() const { return bulk_in_flight_ < BulkCap(); }

  store::Store& store_;
  OperationWatch& watch_;
  EngineOptions options_;
  std::map<std::string, Driver*, std::less<>> drivers_;
  boost::asio::io_context ioc_{1};
  boost::asio::steady_timer wake_timer_{ioc_};
  std::thread thread_;
  std::size_t bulk_max_;
  std::size_t bulk_max_when_interactive_;
  std::size_t in_flight_ = 0;       // engine thread only, every lane
  std::size_t bulk_in_flight_ = 0;  // engine thread only, the bulk lane's part of in_flight_
  bool stopping_ = false;           // engine thread only
  bool looping_ = false;            // engine thread only: Loop() has not returned
  bool wake_pending_ = false;       // engine thread only: woken since the round began
  // Engine thread only: when the sleeping loop wakes by itself (Unix ms); 0 while it works.
  std::int64_t sleeping_until_ms_ = 0;
  // Engine thread only: the earliest run_at of a retry not yet planned for; 0: none.
  std::int64_t retry_due_ms_ = 0;
  std::atomic<bool> started_{false};
  std::mt19937_64 rng_;

  core::metrics::Counter& succeeded_;
  core::metrics::Counter& failed_;
  core::metrics::Counter& retried_;
  core::metrics::Counter& claim_errors_;
  core::metrics::Counter& leases_lost_;
  core::metrics::Counter& settlement_retries_;
};

}  // namespace c2p::engine
