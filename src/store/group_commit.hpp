#pragma once
// The backend-neutral half of a store's single writer: the queue of units of work, the
// writer thread, the grouping, the metrics and the resumption of each caller on its own
// executor. A backend supplies one function that runs a group of units as one durable
// transaction (sqlite/group_writer.hpp, postgres/group_writer.hpp).
//
// Units that arrive while a group is being committed all go into the next group, up to
// `max_batch`: that is where the batching comes from, with no timer. A backend whose
// server runs transactions concurrently (PostgreSQL) may ask for several writer threads,
// each taking the next group from the same queues, so that one group's round trips
// overlap another's instead of adding up; SQLite has one. No caller is resumed
// before its group's COMMIT has returned. Interactive and bulk units queue apart and never
// share a group; when both wait, the kind that did not have the last group has the next
// (store.hpp, WritePriority).

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "core/error.hpp"
#include "store/store.hpp"
#include "store/writer_metrics.hpp"

namespace c2p::store {

// Runs one unit inside the backend's transaction. A unit that throws is a bug in its
// author, not a store failure: it fails alone and its batch-mates carry on. The
// exception's text is not passed on, as it may hold data.
core::Result<void> RunUnitOfWork(WriteTx& tx, const WriteWork& work);

class GroupCommitter {
 public:
  // Runs `units` as one transaction on writer thread `worker` (0 .. threads - 1; each
  // thread calls with its own index, so a backend keeps one connection per worker). On
  // success every unit's own result is in `outcomes` (same order) and the group is
  // durable; on failure nothing of the group may be durable and the backend has cleaned
  // up its transaction.
  using RunGroup = std::function<core::Result<void>(std::size_t worker,
                                                    const std::vector<const WriteWork*>& units,
                                                    std::vector<core::Result<void>>& outcomes)>;

  // Starts `threads` writer threads (at least one): `run_group` must be callable from now
  // until Close().
  GroupCommitter(std::size_t max_batch, WriterMetrics metrics, RunGroup run_group,
                 std::size_t threads = 1);
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // See Store::Write. The committer must outlive the returned awaitable.
  boost::asio::awaitable<core::Result<void>> Write(WriteWork work, WritePriority priority);

  // Commits what is queued, then stops the threads; later writes fail with kUnavailable.
  // Idempotent: true for the one call that stopped the threads, after which the backend may
  // release what `run_group` used. Must not be called from inside a unit of work (the
  // writer would wait for itself).
  bool Close();

 private:
  struct PendingUnit {
    WriteWork work;
    boost::asio::any_completion_handler<void(core::Result<void>)> handler;
    // The caller's executor, with outstanding work tracked: its io_context keeps running
    // until the result has been posted back.
    boost::asio::any_io_executor executor;
  };

  void Submit(PendingUnit unit, WritePriority priority);
  // The queue the next group comes from; null when both are empty. Under mu_.
  std::deque<PendingUnit>* NextQueue();
  static void Complete(PendingUnit& unit, core::Result<void> result);
  void Run(std::size_t worker);
  void CommitGroup(std::size_t worker, std::vector<PendingUnit>& group);

  const std::size_t max_batch_;
  RunGroup run_group_;

  // The writer threads report each group's end under this lock, so the failing /
  // recovered changes reach metrics_.on_state one at a time and in order.
  std::mutex state_mu_;
  WriterMetrics metrics_;

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<PendingUnit> interactive_;  // guarded by mu_
  std::deque<PendingUnit> bulk_;         // guarded by mu_
  bool last_was_bulk_ = false;           // guarded by mu_: the kind of the last group
  bool closing_ = false;                 // guarded by mu_

  std::mutex close_mu_;               // serialises Close() callers around the joins
  std::vector<std::thread> threads_;  // last: they start once everything above is built
};

}  // namespace c2p::store
