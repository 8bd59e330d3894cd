#include "store/group_commit.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

#include <boost/asio/async_result.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace c2p::store {

namespace asio = boost::asio;

core::Result<void> RunUnitOfWork(WriteTx& tx, const WriteWork& work) {
  try {
    return work(tx);
  } catch (...) {
    return core::Fail(core::ErrorCode::kInternal, "unit of work threw an exception");
  }
}

GroupCommitter::GroupCommitter(std::size_t max_batch, WriterMetrics metrics, RunGroup run_group,
                               std::size_t threads)
    : max_batch_(std::max<std::size_t>(max_batch, 1)),
      run_group_(std::move(run_group)),
      metrics_(std::move(metrics)) {
  const std::size_t count = std::max<std::size_t>(threads, 1);
  threads_.reserve(count);
  try {
    for (std::size_t worker = 0; worker < count; ++worker) {
      threads_.emplace_back([this, worker] { Run(worker); });
    }
  } catch (...) {
    // A thread that could not start: the ones already running are stopped and joined, or
    // their destruction would end the process.
    (void)Close();
    throw;
  }
}

GroupCommitter::~GroupCommitter() { (void)Close(); }

asio::awaitable<core::Result<void>> GroupCommitter::Write(WriteWork work, WritePriority priority) {
  auto executor = co_await asio::this_coro::executor;
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(core::Result<void>)>(
      [this, executor, priority](auto handler, WriteWork unit_work) {
        Submit(PendingUnit{std::move(unit_work), std::move(handler),
                           asio::prefer(executor, asio::execution::outstanding_work.tracked)},
               priority);
      },
      asio::use_awaitable, std::move(work));
}

bool GroupCommitter::Close() {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  wake_.notify_all();
  std::lock_guard join_lock(close_mu_);
  if (threads_.empty()) return false;
  for (auto& thread : threads_) thread.join();
  threads_.clear();
  return true;
}

void GroupCommitter::Submit(PendingUnit unit, WritePriority priority) {
  {
    std::lock_guard lock(mu_);
    if (!closing_) {
      (priority == WritePriority::kBulk ? bulk_ : interactive_).push_back(std::move(unit));
      metrics_.queue_depth.Set(static_cast<std::int64_t>(interactive_.size() + bulk_.size()));
      wake_.notify_one();
      return;
    }
  }
  Complete(unit, core::Fail(core::ErrorCode::kUnavailable, "store is closed"));
}

// Never resumes the caller inline: the writer thread must not run request code, and a
// caller completing inside Submit() would re-enter its own coroutine.
void GroupCommitter::Complete(PendingUnit& unit, core::Result<void> result) {
  asio::post(unit.executor,
             [handler = std::move(unit.handler), result = std::move(result)]() mutable {
               std::move(handler)(std::move(result));
             });
}

std::deque<GroupCommitter::PendingUnit>* GroupCommitter::NextQueue() {
  if (interactive_.empty() && bulk_.empty()) return nullptr;
  if (bulk_.empty()) return &interactive_;
  if (interactive_.empty()) return &bulk_;
  return last_was_bulk_ ? &interactive_ : &bulk_;
}

void GroupCommitter::Run(std::size_t worker) {
  std::vector<PendingUnit> group;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return NextQueue() != nullptr || closing_; });
      std::deque<PendingUnit>* queue = NextQueue();
      if (queue == nullptr) return;  // closing, and everything queued is committed
      last_was_bulk_ = queue == &bulk_;
      const std::size_t n = std::min(max_batch_, queue->size());
      for (std::size_t i = 0; i < n; ++i) {
        group.push_back(std::move(queue->front()));
        queue->pop_front();
      }
      metrics_.queue_depth.Set(static_cast<std::int64_t>(interactive_.size() + bulk_.size()));
      // More than one group is waiting: another writer thread, if idle, takes the next.
      if (NextQueue() != nullptr) wake_.notify_one();
    }
    CommitGroup(worker, group);
    group.clear();
  }
}

void GroupCommitter::CommitGroup(std::size_t worker, std::vector<PendingUnit>& group) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<const WriteWork*> units;
  units.reserve(group.size());
  for (const auto& unit : group) units.push_back(&unit.work);
  std::vector<core::Result<void>> outcomes;
  outcomes.reserve(group.size());
  if (auto committed = run_group_(worker, units, outcomes); !committed) {
    // Nothing of the group is durable, whatever each unit returned: every caller learns
    // its outcome is unknown and retries with its idempotency key.
    {
      std::lock_guard lock(state_mu_);
      metrics_.CommitFailed(committed.error().message);
    }
    for (auto& unit : group) {
      Complete(unit, core::Fail(core::ErrorCode::kUnavailable,
                                "store could not commit: " + committed.error().message));
    }
    return;
  }
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  {
    std::lock_guard lock(state_mu_);
    metrics_.Committed();
  }
  metrics_.batch_size.Observe(static_cast<double>(group.size()));
  metrics_.commit_seconds.Observe(elapsed.count());
  for (std::size_t i = 0; i < group.size(); ++i) Complete(group[i], std::move(outcomes[i]));
}

}  // namespace c2p::store
