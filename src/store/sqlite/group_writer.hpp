#pragma once
// The single writer thread behind Store::Write, and its group commit.
//
// Callers queue units of work; the writer takes up to `max_batch` of them, runs them in
// one BEGIN IMMEDIATE transaction (each under its own savepoint, so a failing unit is
// rolled back alone) and makes them durable with one COMMIT, i.e. one fsync. Only then is
// each caller resumed, on its own executor.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "core/error.hpp"
#include "core/metrics.hpp"
#include "store/sqlite/connection.hpp"
#include "store/store.hpp"
#include "store/writer_metrics.hpp"

namespace c2p::store::sqlite {

class SqliteWriteTx;

using WriterMetrics = store::WriterMetrics;

class GroupWriter {
 public:
  // Takes ownership of `conn` (read-write, WAL, migrated) and starts the writer thread.
  GroupWriter(Connection conn, std::size_t max_batch, WriterMetrics metrics);
  // Closes.
  ~GroupWriter();
  GroupWriter(const GroupWriter&) = delete;
  GroupWriter& operator=(const GroupWriter&) = delete;

  // See Store::Write. The writer must outlive the returned awaitable.
  boost::asio::awaitable<core::Result<void>> Write(WriteWork work);

  // Commits what is queued, then stops the thread and closes the connection; later writes
  // fail with kUnavailable. Idempotent. Must not be called from inside a unit of work
  // (the writer would wait for itself).
  void Close();

 private:
  struct PendingUnit {
    WriteWork work;
    boost::asio::any_completion_handler<void(core::Result<void>)> handler;
    // The caller's executor, with outstanding work tracked: its io_context keeps running
    // until the result has been posted back.
    boost::asio::any_io_executor executor;
  };

  void Submit(PendingUnit unit);
  static void Complete(PendingUnit& unit, core::Result<void> result);

  void Run();
  void CommitBatch(std::vector<PendingUnit>& batch);
  core::Result<void> RunTransaction(std::vector<PendingUnit>& batch,
                                    std::vector<core::Result<void>>& outcomes);
  core::Result<void> RunUnit(SqliteWriteTx& tx, const WriteWork& work, core::Result<void>& outcome);

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

}  // namespace c2p::store::sqlite
