#include "store/group_commit.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "store/store_test_util.hpp"

namespace c2p::store {
namespace {

using testing::Await;
using testing::WaitUntil;

// A unit that only carries a name: the fake backend below reads it back from the
// std::function to see which units each group held. Never run.
struct Named {
  std::string name;
  core::Result<void> operator()(WriteTx& /*tx*/) const { return {}; }
};

// A GroupCommitter over a backend that records its groups. The first group is held until
// Release(), so the test can line up a queue behind it.
class GroupCommitTest : public ::testing::Test {
 protected:
  void Build(std::size_t max_batch) {
    committer_ = std::make_unique<GroupCommitter>(
        max_batch, metrics_,
        [this](std::size_t /*worker*/, const std::vector<const WriteWork*>& units,
               std::vector<core::Result<void>>& outcomes) {
          std::vector<std::string> names;
          for (const WriteWork* unit : units) {
            names.push_back(unit->target<Named>()->name);
            outcomes.emplace_back();
          }
          bool first = false;
          {
            std::lock_guard lock(mu_);
            first = groups_.empty();
            groups_.push_back(names);
          }
          if (first && !WaitUntil([&] { return released_.load(); })) {
            return core::Result<void>(
                core::Fail(core::ErrorCode::kInternal, "the first group was never released"));
          }
          return core::Result<void>();
        });
  }

  std::future<core::Result<void>> Start(std::string name, WritePriority priority) {
    return boost::asio::co_spawn(io_.io(), committer_->Write(Named{std::move(name)}, priority),
                                 boost::asio::use_future);
  }

  // Starts the held group and then queues `units` behind it, one at a time so that the
  // queue's order is the order given; releases the held group once all are queued.
  void HoldAndQueue(WritePriority hold_priority,
                    const std::vector<std::pair<std::string, WritePriority>>& units) {
    auto hold = Start("hold", hold_priority);
    ASSERT_TRUE(WaitUntil([&] { return !Groups().empty(); }));
    std::vector<std::future<core::Result<void>>> writes;
    for (const auto& [name, priority] : units) {
      const auto depth = metrics_.queue_depth.value();
      writes.push_back(Start(name, priority));
      ASSERT_TRUE(WaitUntil([&] { return metrics_.queue_depth.value() == depth + 1; }));
    }
    released_ = true;
    ASSERT_TRUE(Await(hold));
    for (auto& w : writes) ASSERT_TRUE(Await(w));
  }

  std::vector<std::vector<std::string>> Groups() {
    std::lock_guard lock(mu_);
    return groups_;
  }

  core::metrics::Registry registry_;
  WriterMetrics metrics_ = WriterMetrics::Register(registry_, "test");
  testing::IoThreads io_{1};
  std::atomic<bool> released_{false};
  std::mutex mu_;
  std::vector<std::vector<std::string>> groups_;  // guarded by mu_
  std::unique_ptr<GroupCommitter> committer_;
};

using GroupList = std::vector<std::vector<std::string>>;
constexpr auto kBulk = WritePriority::kBulk;
constexpr auto kInteractive = WritePriority::kInteractive;

TEST_F(GroupCommitTest, InteractiveAndBulkUnitsNeverShareAGroupAndTakeTurns) {
  Build(64);
  HoldAndQueue(kInteractive, {{"b1", kBulk},
                              {"b2", kBulk},
                              {"i1", kInteractive},
                              {"i2", kInteractive},
                              {"b3", kBulk},
                              {"i3", kInteractive}});
  // The held group was interactive, so bulk has the next turn, then interactive.
  EXPECT_EQ(Groups(), (GroupList{{"hold"}, {"b1", "b2", "b3"}, {"i1", "i2", "i3"}}));
}

TEST_F(GroupCommitTest, AfterABulkGroupWaitingInteractiveUnitsGoFirst) {
  Build(64);
  HoldAndQueue(kBulk, {{"b1", kBulk}, {"i1", kInteractive}, {"b2", kBulk}, {"i2", kInteractive}});
  EXPECT_EQ(Groups(), (GroupList{{"hold"}, {"i1", "i2"}, {"b1", "b2"}}));
}

TEST_F(GroupCommitTest, OneKindAloneFillsGroupsUpToMaxBatch) {
  Build(2);
  HoldAndQueue(kBulk, {{"b1", kBulk}, {"b2", kBulk}, {"b3", kBulk}, {"b4", kBulk}, {"b5", kBulk}});
  EXPECT_EQ(Groups(), (GroupList{{"hold"}, {"b1", "b2"}, {"b3", "b4"}, {"b5"}}));
}

// Several writer threads (PostgreSQL): a second group runs while the first is still in
// its transaction, so their round trips overlap, and each thread passes its own index (the
// backend's connection). One writer thread would hold the first group until the deadline
// and fail it.
TEST(GroupCommitThreadsTest, SeveralWriterThreadsRunGroupsAtOnceEachWithItsOwnIndex) {
  testing::IoThreads io{1};
  core::metrics::Registry registry;
  std::mutex mu;
  std::set<std::size_t> running;   // guarded by mu: the workers inside a group
  std::set<std::size_t> together;  // guarded by mu: the workers seen running at once
  std::atomic<bool> overlapped{false};
  GroupCommitter committer(
      64, WriterMetrics::Register(registry, "test"),
      [&](std::size_t worker, const std::vector<const WriteWork*>& units,
          std::vector<core::Result<void>>& outcomes) {
        {
          std::lock_guard lock(mu);
          running.insert(worker);
          if (running.size() == 2) {
            together = running;
            overlapped = true;
          }
        }
        const bool both = WaitUntil([&] { return overlapped.load(); });
        {
          std::lock_guard lock(mu);
          running.erase(worker);
        }
        for (std::size_t i = 0; i < units.size(); ++i) outcomes.emplace_back();
        if (!both) return core::Result<void>(core::Fail(core::ErrorCode::kInternal, "alone"));
        return core::Result<void>();
      },
      2);
  auto first = boost::asio::co_spawn(io.io(), committer.Write(Named{"first"}, kInteractive),
                                     boost::asio::use_future);
  ASSERT_TRUE(WaitUntil([&] {
    std::lock_guard lock(mu);
    return !running.empty();
  }));
  auto second = boost::asio::co_spawn(io.io(), committer.Write(Named{"second"}, kInteractive),
                                      boost::asio::use_future);
  ASSERT_TRUE(Await(first));
  ASSERT_TRUE(Await(second));
  std::lock_guard lock(mu);
  EXPECT_EQ(together, (std::set<std::size_t>{0, 1}));
}

}  // namespace
}  // namespace c2p::store
