#pragma once
// Lets a getter with `wait=` (spec/api.md §5.8) sleep until its operation ends, without
// polling: the engine calls Notify() when it writes an operation's terminal state, and
// each registered waiter's timer is cancelled on its own executor.
//
// Use: Register() first, then read the operation, then Wait() only if it is still
// PENDING: an end that lands between the read and the wait is not missed, because the
// ticket already exists. The engine notifies its own process; with several c2pd on one
// PostgreSQL, the other nodes learn of the end through Store::WatchOperationEnds (NOTIFY),
// and a waiter whose notification is lost still wakes at its timeout and reads the
// final state.

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

namespace c2p::engine {

class OperationWatch {
 public:
  class Ticket {
   public:
    Ticket(OperationWatch& watch, std::string key, const boost::asio::any_io_executor& executor);
    ~Ticket();
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    // Completes on Notify(key) or after `timeout`, whichever comes first.
    boost::asio::awaitable<void> Wait(std::chrono::milliseconds timeout);

   private:
    friend class OperationWatch;
    OperationWatch& watch_;
    std::string key_;
    std::shared_ptr<boost::asio::steady_timer> timer_;
    std::shared_ptr<bool> notified_;  // touched on the timer's executor only
  };

  // The key of an operation: operations are scoped by issuer.
  static std::string Key(std::string_view issuer, std::string_view operation_id);

  // Call from any thread.
  void Notify(const std::string& key);
  // Wakes every waiter (each reads its operation again and, if it is still PENDING, waits
  // on): for when ends may have been missed (another node's announcements lost while
  // this node's listener reconnected).
  void NotifyAll();

  std::size_t waiting() const;

 private:
  struct Entry {
    std::shared_ptr<boost::asio::steady_timer> timer;
    std::shared_ptr<bool> notified;
  };
  mutable std::mutex mutex_;
  std::unordered_multimap<std::string, Entry> waiters_;
};

}  // namespace c2p::engine
