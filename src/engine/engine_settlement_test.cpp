// How an attempt's outcome reaches the store and the next attempt.
// - An outcome the store could not write is written again shortly, not left for the lease
//   to lapse: on PostgreSQL, the writer's session is ended (as by a restart or a failover)
//   while the attempt runs, so its first finishing write fails with the connection lost;
//   the operation still ends SUCCESSFUL within seconds under a 5-minute lease, and the
//   retry is counted.
// - A retry runs after its back-off, not after the loop's idle poll.
// - A retry that names a checkpoint replaces the job's; one that names none keeps it.
// - An attempt that ends in doubt with its deadline near is not failed at once: a last
//   attempt after the deadline, once the call has settled, asks the driver to look.

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/block_on.hpp"
#include "core/metrics.hpp"
#include "engine/engine.hpp"
#include "engine/engine_test_jobs.hpp"
#include "store/store_test_backends.hpp"

namespace c2p::engine {
namespace {

namespace asio = boost::asio;

// Holds its one job at a gate until the test opens it, then succeeds.
class GateDriver final : public Driver {
 public:
  explicit GateDriver(asio::any_io_executor executor)
      : executor_(std::move(executor)),
        gate_(std::make_shared<asio::steady_timer>(executor_,
                                                   asio::steady_timer::time_point::max())) {}

  asio::awaitable<RunResult> Run(const store::JobRecord&) override {
    running_ = true;
    boost::system::error_code ec;
    co_await gate_->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    co_return SucceededWith({});
  }
  void Open() {
    asio::post(executor_, [gate = gate_] { gate->cancel(); });
  }
  bool running() const { return running_; }

 private:
  asio::any_io_executor executor_;
  std::shared_ptr<asio::steady_timer> gate_;
  std::atomic<bool> running_{false};
};

// Its first attempt takes 200 ms (the loop goes to sleep meanwhile) and asks for a retry;
// the second succeeds.
class RetryOnceDriver final : public Driver {
 public:
  asio::awaitable<RunResult> Run(const store::JobRecord& job) override {
    if (job.attempts > 1) co_return SucceededWith({});
    asio::steady_timer call(co_await asio::this_coro::executor, std::chrono::milliseconds(200));
    boost::system::error_code ec;
    co_await call.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    co_return RetryWith("NETWORK_UNAVAILABLE", "once more");
  }
};

// Attempt 1 checkpoints {"step":1}; attempt 2 retries without naming one; attempt 3
// succeeds. Records the checkpoint each attempt started from.
class CheckpointDriver final : public Driver {
 public:
  asio::awaitable<RunResult> Run(const store::JobRecord& job) override {
    {
      std::lock_guard lock(mutex_);
      seen_.push_back(job.progress);
    }
    if (job.attempts == 1) {
      RetryLater later = RetryWith("NETWORK_UNAVAILABLE", "checkpointed");
      later.progress = R"({"step":1})";
      co_return later;
    }
    if (job.attempts == 2) co_return RetryWith("NETWORK_UNAVAILABLE", "no checkpoint named");
    co_return SucceededWith({});
  }
  std::vector<std::string> seen() const {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> seen_;
};

// Every attempt ends without an answer (in doubt, settled 300 ms later); after the
// deadline the look finds the effect or not, as `found` says.
class InDoubtDriver final : public Driver {
 public:
  explicit InDoubtDriver(bool in_doubt, bool found) : in_doubt_(in_doubt), found_(found) {}
  asio::awaitable<RunResult> Run(const store::JobRecord&) override {
    ++runs;
    ended_ms = core::UnixMillisNow();
    RetryLater later =
        RetryWith("NETWORK_UNAVAILABLE", "no answer", std::chrono::milliseconds(300));
    later.in_doubt = in_doubt_;
    co_return later;
  }
  asio::awaitable<Finished> GiveUpAtDeadline(const store::JobRecord&, std::string code,
                                             std::string message) override {
    looked_ms = core::UnixMillisNow();
    if (found_) co_return SucceededWith({{"found", true}});
    co_return FailedWith(std::move(code), std::move(message));
  }
  std::atomic<int> runs{0};
  std::atomic<std::int64_t> ended_ms{0};
  std::atomic<std::int64_t> looked_ms{0};

 private:
  const bool in_doubt_;
  const bool found_;
};

class InDoubtAtTheDeadline : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenStore("sqlite:" + dir_.File("c2p.db"), {}, metrics_);
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }
  void TearDown() override { store_->Close(); }

  // Runs `driver`'s job (deadline 200 ms away) to its end; its final status and the
  // deadline.
  std::pair<std::string, std::int64_t> RunToTheEnd(Driver& driver) {
    const std::int64_t deadline_ms = core::UnixMillisNow() + 200;
    EXPECT_TRUE(testing::AddTestJob(io_.io(), *store_, "op_doubt", "consumer",
                                    store::JobLane::kInteractive, std::chrono::milliseconds(200)));
    OperationWatch watch;
    EngineOptions options;
    options.retry.base = std::chrono::milliseconds(20);
    Engine engine(*store_, watch, metrics_, options);
    engine.AddDriver("TEST", driver);
    engine.Start();
    std::string status;
    EXPECT_TRUE(store::testing::WaitUntil(
        [&] {
          auto op = core::BlockOn(store_->GetOperation("ISSUER0001", "op_doubt"));
          if (op && *op && (*op)->status != "PENDING") status = (*op)->status;
          return !status.empty();
        },
        std::chrono::seconds(20)));
    engine.Stop();
    return {status, deadline_ms};
  }

  c2p::testing::ScratchDir dir_;
  core::metrics::Registry metrics_;
  store::testing::IoThreads io_{1};
  std::unique_ptr<store::Store> store_;
};

TEST_F(InDoubtAtTheDeadline, TheLastAttemptLooksOnceTheCallHasSettledAndReportsWhatItFound) {
  InDoubtDriver driver(/*in_doubt=*/true, /*found=*/true);
  const auto [status, deadline_ms] = RunToTheEnd(driver);
  EXPECT_EQ(status, "SUCCESSFUL");  // not FAILED at the first attempt's end
  EXPECT_EQ(driver.runs, 1);
  EXPECT_GE(driver.looked_ms, deadline_ms);
  EXPECT_GE(driver.looked_ms, driver.ended_ms + 300);  // after the in-doubt wait
}

TEST_F(InDoubtAtTheDeadline, NothingFoundFails) {
  InDoubtDriver driver(/*in_doubt=*/true, /*found=*/false);
  EXPECT_EQ(RunToTheEnd(driver).first, "FAILED");
  EXPECT_GT(driver.looked_ms, 0);
}

TEST_F(InDoubtAtTheDeadline, AFailureThatWasAnsweredIsGivenUpWithoutALook) {
  InDoubtDriver driver(/*in_doubt=*/false, /*found=*/true);
  const auto [status, deadline_ms] = RunToTheEnd(driver);
  EXPECT_EQ(status, "FAILED");
  EXPECT_EQ(driver.looked_ms, 0);
  EXPECT_LT(driver.ended_ms, deadline_ms);  // given up when the retry fell past the deadline
}

TEST(EngineSettlementTest, AnOutcomeWhoseWriteLostTheConnectionIsWrittenAgain) {
  store::testing::TestDatabase database(store::testing::Backend::kPostgres);
  ASSERT_EQ(database.error(), "");
  core::metrics::Registry metrics;
  auto opened = store::OpenStore(database.url(), {}, metrics);
  ASSERT_TRUE(opened) << opened.error().message;
  std::unique_ptr<store::Store> store = std::move(*opened);
  store::testing::IoThreads io(1);

  ASSERT_TRUE(testing::AddTestJob(io.io(), *store, "op_settle", "consumer"));

  OperationWatch watch;
  EngineOptions options;
  options.max_in_flight = 1;  // no claim writes while the job runs: its finish is the next
  options.idle_poll = std::chrono::milliseconds(50);
  options.lease = std::chrono::minutes(5);
  Engine engine(*store, watch, metrics, options);
  GateDriver driver(engine.executor());
  engine.AddDriver("TEST", driver);
  engine.Start();
  ASSERT_TRUE(store::testing::WaitUntil([&] { return driver.running(); }));

  ASSERT_TRUE(database.CutConnections());
  driver.Open();
  ASSERT_TRUE(store::testing::WaitUntil(
      [&] {
        auto op = core::BlockOn(store->GetOperation("ISSUER0001", "op_settle"));
        return op && *op && (*op)->status == "SUCCESSFUL";
      },
      std::chrono::seconds(30)));
  EXPECT_EQ(core::BlockOn(store->CountJobs()).value(), 0);
  EXPECT_GE(metrics
                .GetCounter("c2p_job_settlement_retries_total",
                            "Writes of an attempt's outcome tried again because the store was "
                            "unavailable.")
                .value(),
            1U);
  engine.Stop();
  store->Close();
}

// Runs one TEST job (`operation_id`) through an engine with `options` and `driver` on a
// fresh embedded store: whether it ended SUCCESSFUL within 20 s.
bool RunsToSuccess(Driver& driver, const EngineOptions& options, const std::string& operation_id) {
  c2p::testing::ScratchDir dir;
  core::metrics::Registry metrics;
  auto opened = store::OpenStore("sqlite:" + dir.File("c2p.db"), {}, metrics);
  EXPECT_TRUE(opened) << opened.error().message;
  if (!opened) return false;
  std::unique_ptr<store::Store> store = std::move(*opened);
  store::testing::IoThreads io(1);
  EXPECT_TRUE(testing::AddTestJob(io.io(), *store, operation_id, "consumer"));
  OperationWatch watch;
  Engine engine(*store, watch, metrics, options);
  engine.AddDriver("TEST", driver);
  engine.Start();
  const bool ended = store::testing::WaitUntil(
      [&] {
        auto op = core::BlockOn(store->GetOperation("ISSUER0001", operation_id));
        return op && *op && (*op)->status == "SUCCESSFUL";
      },
      std::chrono::seconds(20));
  engine.Stop();
  store->Close();
  return ended;
}

// The loop sleeps an idle poll of a minute while the job's first attempt runs (nothing
// else is due; the job is leased): the retry, due 10 to 20 ms after it, must wake it.
TEST(EngineSettlementTest, ARetryRunsAfterItsBackOffNotTheIdlePoll) {
  EngineOptions options;
  options.idle_poll = std::chrono::minutes(1);
  options.retry.base = std::chrono::milliseconds(20);
  RetryOnceDriver driver;
  EXPECT_TRUE(RunsToSuccess(driver, options, "op_retry")) << "the retry waited for the idle poll";
}

TEST(EngineSettlementTest, ARetryKeepsTheCheckpointUnlessItNamesANewOne) {
  EngineOptions options;
  options.retry.base = std::chrono::milliseconds(10);
  CheckpointDriver driver;
  ASSERT_TRUE(RunsToSuccess(driver, options, "op_checkpoint"));
  const std::vector<std::string> seen = driver.seen();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[1], R"({"step":1})");
  EXPECT_EQ(seen[2], R"({"step":1})") << "a retry without a checkpoint lost the job's";
}

}  // namespace
}  // namespace c2p::engine
