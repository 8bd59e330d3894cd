// The engine's lanes on a real store: a bulk backlog (a batch campaign) runs within its
// share of the slots, and an interactive job written behind it runs at once, while every
// bulk job is still held by its (slow) directory.

#include <algorithm>
#include <memory>
#include <mutex>
#include <set>
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
#include "store/store_test_util.hpp"

namespace c2p::engine {
namespace {

namespace asio = boost::asio;
using store::JobLane;

// Bulk jobs wait at a gate (a directory that does not answer yet); interactive jobs end
// at once. Records what started, for the test thread.
class GatedDriver final : public Driver {
 public:
  explicit GatedDriver(asio::any_io_executor executor) : executor_(std::move(executor)) {}

  asio::awaitable<RunResult> Run(const store::JobRecord& job) override {
    {
      const std::lock_guard lock(mutex_);
      started_.push_back(job.operation_id);
      if (job.lane == JobLane::kBulk)
        most_bulk_running_ = std::max(most_bulk_running_, ++bulk_running_);
    }
    if (job.lane == JobLane::kBulk && !open_) {
      auto gate =
          std::make_shared<asio::steady_timer>(executor_, asio::steady_timer::time_point::max());
      gates_.push_back(gate);
      boost::system::error_code ec;
      co_await gate->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    {
      const std::lock_guard lock(mutex_);
      if (job.lane == JobLane::kBulk) --bulk_running_;
      ended_.insert(job.operation_id);
    }
    co_return SucceededWith({});
  }

  // Any thread: lets every bulk job through, now and later.
  void Open() {
    asio::post(executor_, [this] {
      open_ = true;
      for (auto& gate : gates_) gate->cancel();
      gates_.clear();
    });
  }

  std::vector<std::string> Started() const {
    const std::lock_guard lock(mutex_);
    return started_;
  }
  int BulkRunning() const {
    const std::lock_guard lock(mutex_);
    return bulk_running_;
  }
  int MostBulkRunning() const {
    const std::lock_guard lock(mutex_);
    return most_bulk_running_;
  }
  bool Ended(const std::string& operation_id) const {
    const std::lock_guard lock(mutex_);
    return ended_.count(operation_id) > 0;
  }
  std::size_t EndedCount() const {
    const std::lock_guard lock(mutex_);
    return ended_.size();
  }

 private:
  asio::any_io_executor executor_;
  bool open_ = false;                                       // engine thread only
  std::vector<std::shared_ptr<asio::steady_timer>> gates_;  // engine thread only
  mutable std::mutex mutex_;
  std::vector<std::string> started_;
  std::set<std::string> ended_;
  int bulk_running_ = 0;
  int most_bulk_running_ = 0;
};

class EngineLanesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::OpenStore("sqlite:" + dir_.File("c2p.db"), {}, metrics_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }
  void TearDown() override {
    if (store_) store_->Close();
  }

  void AddJob(const std::string& op_id, const std::string& consumer, JobLane lane) {
    ASSERT_TRUE(testing::AddTestJob(io_.io(), *store_, op_id, consumer, lane));
  }

  c2p::testing::ScratchDir dir_;
  core::metrics::Registry metrics_;
  store::testing::IoThreads io_{1};
  std::unique_ptr<store::Store> store_;
};

TEST_F(EngineLanesTest, AnInteractiveJobRunsAtOnceWhileTheBulkLaneIsFull) {
  OperationWatch watch;
  EngineOptions options;
  options.max_in_flight = 8;
  options.bulk_max_in_flight = 3;
  options.idle_poll = std::chrono::milliseconds(50);
  Engine engine(*store_, watch, metrics_, options);
  GatedDriver driver(engine.executor());
  engine.AddDriver("TEST", driver);

  // A campaign's backlog, all due now, written before the API's job.
  constexpr int kBulk = 20;
  for (int i = 0; i < kBulk; ++i) {
    AddJob("op_bulk_" + std::to_string(i), "bulk_" + std::to_string(i), JobLane::kBulk);
  }
  engine.Start();
  ASSERT_TRUE(store::testing::WaitUntil([&] { return driver.BulkRunning() == 3; }));

  AddJob("op_api", "api_consumer", JobLane::kInteractive);
  engine.Wake();
  ASSERT_TRUE(store::testing::WaitUntil([&] { return driver.Ended("op_api"); }));
  // The bulk lane never went past its share: 3 started, held at the gate, none ended.
  // The interactive job found one of the 5 slots left to it.
  EXPECT_EQ(driver.BulkRunning(), 3);
  const auto started = driver.Started();
  EXPECT_EQ(started.size(), 4U);
  EXPECT_EQ(driver.EndedCount(), 1U);

  // The directory answers: the backlog drains, at most 3 at a time, to the end.
  driver.Open();
  ASSERT_TRUE(store::testing::WaitUntil(
      [&] { return driver.EndedCount() == static_cast<std::size_t>(kBulk + 1); }));
  ASSERT_TRUE(
      store::testing::WaitUntil([&] { return core::BlockOn(store_->CountJobs()).value() == 0; }));
  EXPECT_EQ(driver.MostBulkRunning(), 3);
  engine.Stop();
}

TEST_F(EngineLanesTest, TheBulkLaneShrinksWhileInteractiveJobsRunAndGrowsBackAfter) {
  OperationWatch watch;
  core::InteractiveActivity activity;
  EngineOptions options;
  options.max_in_flight = 16;
  options.bulk_max_in_flight = 6;
  options.bulk_max_in_flight_when_interactive = 2;
  options.activity = &activity;
  options.idle_poll = std::chrono::milliseconds(50);
  Engine engine(*store_, watch, metrics_, options);
  GatedDriver driver(engine.executor());
  engine.AddDriver("TEST", driver);

  for (int i = 0; i < 10; ++i) {
    AddJob("op_bulk_" + std::to_string(i), "bulk_" + std::to_string(i), JobLane::kBulk);
  }
  activity.Touch();  // an interactive job ran a moment ago
  engine.Start();
  ASSERT_TRUE(store::testing::WaitUntil([&] { return driver.BulkRunning() == 2; }));

  // Another interactive job runs at once and keeps the lane small.
  AddJob("op_api", "api_consumer", JobLane::kInteractive);
  engine.Wake();
  ASSERT_TRUE(store::testing::WaitUntil([&] { return driver.Ended("op_api"); }));
  EXPECT_EQ(driver.MostBulkRunning(), 2);
  EXPECT_EQ(driver.Started().size(), 3U);

  // No interactive job for InteractiveActivity::kWindow: the lane takes its full share.
  ASSERT_TRUE(store::testing::WaitUntil([&] { return driver.BulkRunning() == 6; }));
  EXPECT_FALSE(activity.Recent());
  driver.Open();
  ASSERT_TRUE(
      store::testing::WaitUntil([&] { return core::BlockOn(store_->CountJobs()).value() == 0; }));
  EXPECT_EQ(driver.MostBulkRunning(), 6);
  engine.Stop();
}

}  // namespace
}  // namespace c2p::engine
