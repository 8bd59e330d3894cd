#pragma once
// A small fixed pool of PostgreSQL connections for reads (autocommit: each statement sees
// every transaction committed before it). A connection found broken when leased is
// re-made first, so readers recover by themselves after PostgreSQL restarts.
//
// Leases are awaited: a caller that finds every connection busy waits on its own
// executor (a timer the returning lease wakes), never blocking its reactor thread. The
// pool's callers are coroutines on single-threaded executors (the reactors, the engine,
// the notifier, core::BlockOn).

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/error.hpp"
#include "store/postgres/connection.hpp"

namespace c2p::store::postgres {

class ReaderPool {
 public:
  // A lost connection is re-made within `reconnect_timeout` when next leased.
  ReaderPool(std::vector<Connection> readers, std::chrono::milliseconds reconnect_timeout);
  ReaderPool(const ReaderPool&) = delete;
  ReaderPool& operator=(const ReaderPool&) = delete;

  // A connection borrowed from the pool, returned when the lease ends.
  class Lease {
   public:
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Connection& operator*() const { return *conn_; }
    Connection* operator->() const { return conn_.get(); }

   private:
    friend class ReaderPool;
    Lease(ReaderPool& pool, std::unique_ptr<Connection> conn)
        : pool_(&pool), conn_(std::move(conn)) {}
    ReaderPool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  // Waits up to `wait` for a free connection, reconnecting it if it was lost;
  // kUnavailable if none frees up in time, PostgreSQL cannot be reached, or the pool is
  // closed.
  boost::asio::awaitable<core::Result<Lease>> Acquire(std::chrono::milliseconds wait);

  // Closes the free connections now and leased ones as they come back. Idempotent.
  void Close();

 private:
  using Waiter = std::shared_ptr<boost::asio::steady_timer>;
  // Takes a waiter out of the queue when its wait is over, or its coroutine destroyed.
  struct WaiterGone {
    ReaderPool& pool;
    Waiter waiter;
    WaiterGone(ReaderPool& p, Waiter w) : pool(p), waiter(std::move(w)) {}
    WaiterGone(const WaiterGone&) = delete;
    WaiterGone& operator=(const WaiterGone&) = delete;
    ~WaiterGone();
  };
  void Return(std::unique_ptr<Connection> conn);
  // Ends a waiter's wait, on its own executor (a timer is not thread-safe). Setting the
  // expiry also ends a wait that has not started yet, so no wake-up is lost. Called under
  // mu_.
  static void Wake(const Waiter& waiter);

  const std::chrono::milliseconds reconnect_timeout_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> free_;  // guarded by mu_
  std::deque<Waiter> waiters_;                     // guarded by mu_, oldest first
  bool closed_ = false;                            // guarded by mu_
};

}  // namespace c2p::store::postgres
