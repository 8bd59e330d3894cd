// How an attempt's outcome reaches the store and the next attempt.
// - An outcome the store could not write is written again shortly, not left for the lease
//   to lapse: on PostgreSQL, the writer's session is ended (as by a restart or a failover)
//   while the attempt runs, so its first finishing write fails with the connection lost;
//   the operation still ends SUCCESSFUL within seconds under a 5-minute lease, and the
//   retry is counted.
// - A retry runs after its back-off, not after the loop's idle poll.

#include <atomic>
#include <memory>
#include <string>

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

// The loop sleeps an idle poll of a minute while the job's first attempt runs (nothing
// else is due; the job is leased): the retry, due 10 to 20 ms after it, must wake it.
TEST(EngineSettlementTest, ARetryRunsAfterItsBackOffNotTheIdlePoll) {
  c2p::testing::ScratchDir dir;
  core::metrics::Registry metrics;
  auto opened = store::OpenStore("sqlite:" + dir.File("c2p.db"), {}, metrics);
  ASSERT_TRUE(opened) << opened.error().message;
  std::unique_ptr<store::Store> store = std::move(*opened);
  store::testing::IoThreads io(1);
  ASSERT_TRUE(testing::AddTestJob(io.io(), *store, "op_retry", "consumer"));

  OperationWatch watch;
  EngineOptions options;
  options.idle_poll = std::chrono::minutes(1);
  options.retry.base = std::chrono::milliseconds(20);
  Engine engine(*store, watch, metrics, options);
  RetryOnceDriver driver;
  engine.AddDriver("TEST", driver);
  engine.Start();
  EXPECT_TRUE(store::testing::WaitUntil(
      [&] {
        auto op = core::BlockOn(store->GetOperation("ISSUER0001", "op_retry"));
        return op && *op && (*op)->status == "SUCCESSFUL";
      },
      std::chrono::seconds(20)))
      << "the retry waited for the idle poll";
  engine.Stop();
  store->Close();
}

}  // namespace
}  // namespace c2p::engine
