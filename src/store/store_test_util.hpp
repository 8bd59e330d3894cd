#pragma once
// Helpers shared by the store's tests: a scratch directory, io_context threads, and
// waiting on asynchronous results with a deadline instead of sleeping.

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "store/store.hpp"
#include "tests/support/scratch_dir.hpp"

namespace c2p::store::testing {

inline constexpr std::chrono::seconds kDeadline{60};

using TempDir = c2p::testing::ScratchDir;

// Polls `done` until it holds or `deadline` passes; true if it held. The pause between
// polls only saves CPU for the threads being waited for.
template <typename Pred>
bool WaitUntil(Pred done, std::chrono::steady_clock::duration deadline = kDeadline) {
  return c2p::testing::Eventually(done, deadline, std::chrono::microseconds(200));
}

// An io_context run by `threads` threads until destruction.
class IoThreads {
 public:
  explicit IoThreads(int threads) : guard_(io_.get_executor()) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { io_.run(); });
  }
  ~IoThreads() {
    guard_.reset();
    for (auto& t : threads_) t.join();
  }
  IoThreads(const IoThreads&) = delete;
  IoThreads& operator=(const IoThreads&) = delete;

  boost::asio::io_context& io() { return io_; }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::vector<std::thread> threads_;
};

// Starts store.Write(work) as a coroutine on `io`.
inline std::future<core::Result<void>> StartWrite(boost::asio::io_context& io, Store& store,
                                                  WriteWork work) {
  return boost::asio::co_spawn(io, store.Write(std::move(work)), boost::asio::use_future);
}

// The result of a started write, or kInternal "timed out" past the deadline.
inline core::Result<void> Await(std::future<core::Result<void>>& write) {
  if (write.wait_for(kDeadline) != std::future_status::ready) {
    return core::Fail(core::ErrorCode::kInternal, "test timed out waiting for a write");
  }
  return write.get();
}

// A PENDING enrolment operation of ISSUER0001 and its job, due at `run_at_ms`: what the
// store's engine queries and the engine's own tests give a claim.
struct TestJob {
  std::string operation_id;
  std::string consumer_id;
  std::int64_t run_at_ms = 0;
  std::int64_t deadline_ms = 0;
  JobLane lane = JobLane::kInteractive;
  std::string kind = "TEST";
  std::string correlation_id = "corr";
  std::optional<Blob> input;
};

inline WriteWork InsertTestJob(TestJob t) {
  return [t = std::move(t)](WriteTx& tx) -> core::Result<void> {
    OperationRecord op;
    op.operation_id = t.operation_id;
    op.issuer_id = "ISSUER0001";
    op.operation = "CLICK_TO_PAY_ENROLMENT";
    op.status = "PENDING";
    op.requestor_type = "ISSUER";
    op.requestor_id = "ISSUER0001";
    op.consumer_id = t.consumer_id;
    op.start_ms = t.run_at_ms;
    if (auto r = tx.InsertOperation(op); !r) return r;
    JobRecord job;
    job.operation_id = t.operation_id;
    job.kind = t.kind;
    job.issuer_id = op.issuer_id;
    job.consumer_id = t.consumer_id;
    job.input = t.input;
    job.run_at_ms = t.run_at_ms;
    job.deadline_ms = t.deadline_ms;
    job.correlation_id = t.correlation_id;
    job.created_ms = t.run_at_ms;
    job.lane = t.lane;
    auto id = tx.InsertJob(job);
    if (!id) return tl::unexpected(id.error());
    return {};
  };
}

inline WriteWork PutSetting(std::string key, std::string value) {
  return [key = std::move(key), value = std::move(value)](WriteTx& tx) {
    return tx.PutSetting(key, value);
  };
}

}  // namespace c2p::store::testing
