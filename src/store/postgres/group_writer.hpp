#pragma once
// The writer behind Store::Write on PostgreSQL: store/group_commit.hpp's queue with one
// writer thread per connection, each running a group as one transaction (BEGIN;
// SAVEPOINT u per unit, released or rolled back alone) made durable by one COMMIT under
// synchronous_commit = on. A group spends most of its time waiting for round trips, one
// per statement; with several connections those waits overlap. The groups of one node's
// connections are concurrent transactions, exactly as the groups of several nodes are,
// and rely on the same defences (row locks, SKIP LOCKED claims, fencing, a lost race
// answered kUnavailable so that the client retries; one lock order, store.hpp);
// docs/deployment.md ("Concurrent writers") lists them and what they leave.
//
// When the COMMIT fails or the connection is lost, every caller of the group gets
// kUnavailable (its outcome is unknown: the client retries with its idempotency key) and
// the writer thread reconnects before its next group. Each blocks only its own thread.
// A lost connection usually means the server restarted, which ended the other threads'
// sessions too, though they cannot know it before their next statement fails: so every
// thread reconnects before its next group, rather than each failing one group of its
// own after the server is back.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/error.hpp"
#include "store/group_commit.hpp"
#include "store/postgres/connection.hpp"
#include "store/store.hpp"
#include "store/writer_metrics.hpp"

namespace c2p::store::postgres {

class PgWriteTx;

class GroupWriter {
 public:
  // Takes ownership of `conns` (at least one; the schema migrated) and starts one writer
  // thread per connection.
  GroupWriter(std::vector<Connection> conns, std::size_t max_batch, WriterMetrics metrics);
  ~GroupWriter();
  GroupWriter(const GroupWriter&) = delete;
  GroupWriter& operator=(const GroupWriter&) = delete;

  // See Store::Write. The writer must outlive the returned awaitable.
  boost::asio::awaitable<core::Result<void>> Write(WriteWork work, WritePriority priority) {
    return committer_.Write(std::move(work), priority);
  }

  // Commits what is queued, then stops the threads and closes the connections; later writes
  // fail with kUnavailable. Idempotent. Not from inside a unit of work.
  void Close();

 private:
  core::Result<void> RunGroup(std::size_t worker, const std::vector<const WriteWork*>& units,
                              std::vector<core::Result<void>>& outcomes);
  static core::Result<void> RunTransaction(Connection& conn,
                                           const std::vector<const WriteWork*>& units,
                                           std::vector<core::Result<void>>& outcomes);
  static core::Result<void> RunUnit(Connection& conn, PgWriteTx& tx, const WriteWork& work,
                                    core::Result<void>& outcome);

  // conns_[i] and made_at_[i] are writer thread i's alone; conns_ is cleared by Close()
  // once the threads are gone.
  std::vector<Connection> conns_;
  // Connections found lost so far, by any thread; made_at_[i] is what that count was when
  // conns_[i] was last made. A connection made before the latest loss is made again.
  std::atomic<std::uint64_t> losses_{0};
  std::vector<std::uint64_t> made_at_;
  GroupCommitter committer_;  // last: its threads start once conns_ is in place
};

}  // namespace c2p::store::postgres
