#pragma once
// The single writer thread behind Store::Write on PostgreSQL, and its group commit: the
// same shape as sqlite/group_writer.hpp. The writer takes up to `max_batch` queued units,
// runs them in one transaction (BEGIN; SAVEPOINT u per unit, released or rolled back
// alone) and makes them durable with one COMMIT under synchronous_commit = on. Only then
// is each caller resumed, on its own executor.
//
// When the COMMIT fails or the connection is lost, every caller of the group gets
// kUnavailable (its outcome is unknown: the client retries with its idempotency key) and
// the writer reconnects before the next group. The writer blocks only its own thread.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "core/error.hpp"
#include "store/postgres/connection.hpp"
#include "store/store.hpp"
#include "store/writer_metrics.hpp"

namespace c2p::store::postgres {

class PgWriteTx;

class GroupWriter {
 public:
  // Takes ownership of `conn` (migrated) and starts the writer thread.
  GroupWriter(Connection conn, std::size_t max_batch, WriterMetrics metrics);
  ~GroupWriter();
  GroupWriter(const GroupWriter&) = delete;
  GroupWriter& operator=(const GroupWriter&) = delete;

  // See Store::Write. The writer must outlive the returned awaitable.
  boost::asio::awaitable<core::Result<void>> Write(WriteWork work);

  // Commits what is queued, then stops the thread and closes the connection; later writes
  // fail with kUnavailable. Idempotent. Not from inside a unit of work.
  void Close();

 private:
  struct PendingUnit {
    WriteWork work;
    boost::asio::any_completion_handler<void(core::Result<void>)> handler;
    boost::asio::any_io_executor executor;  // the caller's, with outstanding work tracked
  };

  void Submit(PendingUnit unit);
  static void Complete(PendingUnit& unit, core::Result<void> result);

  void Run();
  void CommitBatch(std::vector<PendingUnit>& batch);
  core::Result<void> RunTransaction(std::vector<PendingUnit>& batch,
                                    std::vector<core::Result<void>>& outcomes);
  core::Result<void> RunUnit(PgWriteTx& tx, const WriteWork& work, core::Result<void>& outcome);

  std::optional<Connection> conn_;  // the writer thread's alone; reset by Close()
  const std::size_t max_batch_;
  WriterMetrics metrics_;

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<PendingUnit> queue_;  // guarded by mu_
  bool closing_ = false;           // guarded by mu_

  std::mutex close_mu_;  // serialises Close() callers around the join
  std::thread thread_;   // last: starts once everything above is built
};

}  // namespace c2p::store::postgres
