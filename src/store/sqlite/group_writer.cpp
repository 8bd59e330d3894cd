#include "store/sqlite/group_writer.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <utility>

#include <boost/asio/async_result.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "store/sqlite/sql.hpp"
#include "store/sqlite/write_tx.hpp"

namespace c2p::store::sqlite {

namespace asio = boost::asio;

namespace {

// A unit that throws is a bug in its author, not a store failure: it fails alone and the
// writer thread and its batch-mates carry on. The exception's text is not passed on, as it
// may hold data.
core::Result<void> RunWork(WriteTx& tx, const WriteWork& work) {
  try {
    return work(tx);
  } catch (...) {
    return core::Fail(core::ErrorCode::kInternal, "unit of work threw an exception");
  }
}

}  // namespace

GroupWriter::GroupWriter(Connection conn, std::size_t max_batch, WriterMetrics metrics)
    : conn_(std::move(conn)),
      max_batch_(std::max<std::size_t>(max_batch, 1)),
      metrics_(std::move(metrics)) {
  thread_ = std::thread([this] { Run(); });
}

GroupWriter::~GroupWriter() { Close(); }

asio::awaitable<core::Result<void>> GroupWriter::Write(WriteWork work) {
  auto executor = co_await asio::this_coro::executor;
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(core::Result<void>)>(
      [this, executor](auto handler, WriteWork unit_work) {
        Submit(PendingUnit{std::move(unit_work), std::move(handler),
                           asio::prefer(executor, asio::execution::outstanding_work.tracked)});
      },
      asio::use_awaitable, std::move(work));
}

void GroupWriter::Close() {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  wake_.notify_all();
  std::lock_guard join_lock(close_mu_);
  if (thread_.joinable()) thread_.join();
  conn_.reset();
}

void GroupWriter::Submit(PendingUnit unit) {
  {
    std::lock_guard lock(mu_);
    if (!closing_) {
      queue_.push_back(std::move(unit));
      metrics_.queue_depth.Set(static_cast<std::int64_t>(queue_.size()));
      wake_.notify_one();
      return;
    }
  }
  Complete(unit, core::Fail(core::ErrorCode::kUnavailable, "store is closed"));
}

// Never resumes the caller inline: the writer thread must not run request code, and a
// caller completing inside Submit() would re-enter its own coroutine.
void GroupWriter::Complete(PendingUnit& unit, core::Result<void> result) {
  asio::post(unit.executor,
             [handler = std::move(unit.handler), result = std::move(result)]() mutable {
               std::move(handler)(std::move(result));
             });
}

void GroupWriter::Run() {
  std::vector<PendingUnit> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return !queue_.empty() || closing_; });
      if (queue_.empty()) return;  // closing, and everything queued is committed
      // Units that arrived while the previous batch was being fsynced all go into this
      // one: that is where the batching comes from, with no timer.
      const std::size_t n = std::min(max_batch_, queue_.size());
      for (std::size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      metrics_.queue_depth.Set(static_cast<std::int64_t>(queue_.size()));
    }
    CommitBatch(batch);
    batch.clear();
  }
}

void GroupWriter::CommitBatch(std::vector<PendingUnit>& batch) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<core::Result<void>> outcomes;
  outcomes.reserve(batch.size());
  if (auto committed = RunTransaction(batch, outcomes); !committed) {
    // Nothing of the batch is durable, whatever each unit returned.
    if (conn_->InTransaction()) (void)conn_->Run(sql::kRollback);
    metrics_.CommitFailed(committed.error().message);
    for (auto& unit : batch) {
      Complete(unit, core::Fail(core::ErrorCode::kUnavailable,
                                "store could not commit: " + committed.error().message));
    }
    return;
  }
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  metrics_.Committed();
  metrics_.batch_size.Observe(static_cast<double>(batch.size()));
  metrics_.commit_seconds.Observe(elapsed.count());
  for (std::size_t i = 0; i < batch.size(); ++i) Complete(batch[i], std::move(outcomes[i]));
}

core::Result<void> GroupWriter::RunTransaction(std::vector<PendingUnit>& batch,
                                               std::vector<core::Result<void>>& outcomes) {
  if (auto begin = conn_->Run(sql::kBeginImmediate); !begin) return begin;
  SqliteWriteTx tx(*conn_);
  for (auto& unit : batch) {
    core::Result<void> outcome;
    if (auto ran = RunUnit(tx, unit.work, outcome); !ran) return ran;
    outcomes.push_back(std::move(outcome));
  }
  return conn_->Run(sql::kCommit);
}

core::Result<void> GroupWriter::RunUnit(SqliteWriteTx& tx, const WriteWork& work,
                                        core::Result<void>& outcome) {
  if (auto savepoint = conn_->Run(sql::kSavepointUnit); !savepoint) return savepoint;
  outcome = RunWork(tx, work);
  // After some I/O or disk-full errors SQLite rolls the whole transaction back by itself.
  // Going on would run the next units in autocommit mode, each committing on its own.
  if (!conn_->InTransaction()) {
    return core::Fail(core::ErrorCode::kUnavailable, "store rolled the transaction back");
  }
  if (!outcome) {
    if (auto undo = conn_->Run(sql::kRollbackToUnit); !undo) return undo;
  }
  return conn_->Run(sql::kReleaseUnit);
}

}  // namespace c2p::store::sqlite
