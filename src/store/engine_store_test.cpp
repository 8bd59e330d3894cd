// The engine's rows through the Store interface on both backends (a real SQLite file, a
// real PostgreSQL database): what src/engine relies on (a queue of jobs per consumer of
// which only the head runs, claims under lease, rescheduling, releasing leases at start on
// SQLite and not on PostgreSQL, terminal states written once, network profiles).

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/block_on.hpp"
#include "store/store.hpp"
#include "store/store_test_backends.hpp"
#include "store/store_test_util.hpp"

namespace c2p::store {
namespace {

// A fenced write as a unit's result: refused when the lease was taken over.
core::Result<void> Held(const core::Result<bool>& written) {
  if (!written) return tl::unexpected(written.error());
  if (!*written) return core::Fail(core::ErrorCode::kInternal, "lease taken over");
  return {};
}

using testing::Await;
using testing::StartWrite;

class EngineQueriesTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUp() override {
    ASSERT_EQ(db_.error(), "");
    auto store = OpenStore(db_.url(), {}, registry_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }

  core::Result<void> Write(WriteWork work) {
    auto f = StartWrite(io_.io(), *store_, std::move(work));
    return Await(f);
  }

  // An operation and its job for `consumer`, due at `run_at`.
  core::Result<void> AddJob(const std::string& op_id, const std::string& consumer,
                            std::int64_t run_at, JobLane lane = JobLane::kInteractive) {
    return Write(testing::InsertTestJob({.operation_id = op_id,
                                         .consumer_id = consumer,
                                         .run_at_ms = run_at,
                                         .deadline_ms = run_at + 1000,
                                         .lane = lane,
                                         .kind = "CARD_ENROLMENT",
                                         .input = Blob{7, 7}}));
  }

  std::vector<JobRecord> Claim(std::int64_t now, std::int64_t lease_until, int limit,
                               JobLane lane = JobLane::kInteractive) {
    std::vector<JobRecord> out;
    EXPECT_TRUE(Write([&](WriteTx& tx) -> core::Result<void> {
      auto rows = tx.ClaimJobs(now, lease_until, lane, limit);
      if (!rows) return tl::unexpected(rows.error());
      out = std::move(*rows);
      return {};
    }));
    return out;
  }

  std::optional<std::int64_t> NextDue(std::int64_t now, JobLane lane = JobLane::kInteractive) {
    return core::BlockOn(store_->NextJobDue(now, lane)).value();
  }

  testing::TestDatabase db_{GetParam()};
  core::metrics::Registry registry_;
  testing::IoThreads io_{1};
  std::unique_ptr<Store> store_;
};

TEST_P(EngineQueriesTest, ConsumerHasJobWhileAnyIsQueued) {
  ASSERT_TRUE(AddJob("op_1", "c1", 100));
  ASSERT_TRUE(AddJob("op_2", "c1", 100));  // queued behind op_1, not refused
  EXPECT_TRUE(Write([](WriteTx& tx) -> core::Result<void> {
    auto busy = tx.ConsumerHasJob("ISSUER0001", "c1");
    if (!busy || !*busy) return core::Fail(core::ErrorCode::kInternal, "c1 should be busy");
    auto free = tx.ConsumerHasJob("ISSUER0001", "c2");
    if (!free || *free) return core::Fail(core::ErrorCode::kInternal, "c2 should be free");
    return {};
  }));
  EXPECT_EQ(core::BlockOn(store_->CountJobs()).value(), 2);
}

TEST_P(EngineQueriesTest, OnlyTheHeadOfAConsumersQueueIsClaimed) {
  ASSERT_TRUE(AddJob("op_head", "c1", 200));
  // Queued behind op_head although due earlier: the queue's order is the insertion order.
  ASSERT_TRUE(AddJob("op_queued", "c1", 100));
  ASSERT_TRUE(AddJob("op_other", "c2", 150));
  auto first = Claim(500, 5'000, 10);
  std::set<std::string> ids;
  for (const auto& j : first) ids.insert(j.operation_id);
  EXPECT_EQ(ids, (std::set<std::string>{"op_head", "op_other"}));
  // While the head runs (leased), the queued job is neither claimed nor due.
  EXPECT_TRUE(Claim(600, 6'000, 10).empty());
  EXPECT_FALSE(NextDue(600));
  // The head ends: the next job of the consumer becomes the head, due at once.
  const auto head = std::find_if(first.begin(), first.end(),
                                 [](const JobRecord& j) { return j.operation_id == "op_head"; });
  ASSERT_NE(head, first.end());
  ASSERT_TRUE(Write([&](WriteTx& tx) { return Held(tx.DeleteJob(*head)); }));
  EXPECT_EQ(NextDue(600), 100);
  auto next = Claim(600, 6'000, 10);
  ASSERT_EQ(next.size(), 1U);
  EXPECT_EQ(next[0].operation_id, "op_queued");
  EXPECT_EQ(next[0].attempts, 1);
}

TEST_P(EngineQueriesTest, NextDueIgnoresQueuedJobsBehindAHeadThatWaits) {
  ASSERT_TRUE(AddJob("op_head", "c1", 100));
  ASSERT_TRUE(AddJob("op_queued", "c1", 100));
  auto claimed = Claim(100, 1'000'000, 10);
  ASSERT_EQ(claimed.size(), 1U);
  EXPECT_EQ(claimed[0].operation_id, "op_head");
  // The head retries later: the consumer's next due time is the head's, not the queued
  // job's (already past), which would make the engine spin on a job it cannot claim.
  ASSERT_TRUE(Write([&](WriteTx& tx) { return Held(tx.RescheduleJob(claimed[0], 700, "{}")); }));
  EXPECT_EQ(NextDue(200), 700);
  EXPECT_TRUE(Claim(200, 1'000'000, 10).empty());
  auto again = Claim(700, 1'000'000, 10);
  ASSERT_EQ(again.size(), 1U);
  EXPECT_EQ(again[0].operation_id, "op_head");
}

TEST_P(EngineQueriesTest, ClaimsDueJobsOnceUnderLeaseOldestFirst) {
  ASSERT_TRUE(AddJob("op_late", "c1", 300));
  ASSERT_TRUE(AddJob("op_early", "c2", 100));
  ASSERT_TRUE(AddJob("op_future", "c3", 10'000));
  auto first = Claim(500, 5'000, 10);
  ASSERT_EQ(first.size(), 2U);
  std::set<std::string> ids{first[0].operation_id, first[1].operation_id};
  EXPECT_EQ(ids, (std::set<std::string>{"op_early", "op_late"}));
  for (const auto& j : first) {
    EXPECT_EQ(j.attempts, 1);
    EXPECT_EQ(j.input, (Blob{7, 7}));
    EXPECT_EQ(j.correlation_id, "corr");
  }
  // Leased: not claimed again before the lease ends, claimed again after it.
  EXPECT_TRUE(Claim(600, 6'000, 10).empty());
  EXPECT_EQ(NextDue(600), 10'000);
  auto again = Claim(5'000, 9'000, 1);
  ASSERT_EQ(again.size(), 1U);
  EXPECT_EQ(again[0].operation_id, "op_early");  // the limit takes the oldest due
  EXPECT_EQ(again[0].attempts, 2);
}

TEST_P(EngineQueriesTest, RescheduleAndReleaseMakeJobsDueAgain) {
  ASSERT_TRUE(AddJob("op_1", "c1", 100));
  auto claimed = Claim(100, 1'000'000, 10);
  ASSERT_EQ(claimed.size(), 1U);
  ASSERT_TRUE(Write(
      [&](WriteTx& tx) { return Held(tx.RescheduleJob(claimed[0], 400, R"({"step":"poll"})")); }));
  EXPECT_TRUE(Claim(300, 1'000'000, 10).empty());
  auto due = Claim(400, 1'000'000, 10);
  ASSERT_EQ(due.size(), 1U);
  EXPECT_EQ(due[0].progress, R"({"step":"poll"})");
  // A crash leaves the lease set. The embedded store's next start releases it; on
  // PostgreSQL another node may hold it, so it lapses only by time.
  EXPECT_TRUE(Claim(500, 1'000'000, 10).empty());
  ASSERT_TRUE(Write([](WriteTx& tx) { return tx.ReleaseJobLeases(); }));
  if (GetParam() == testing::Backend::kSqlite) {
    EXPECT_EQ(Claim(500, 1'000'000, 10).size(), 1U);
  } else {
    EXPECT_TRUE(Claim(500, 1'000'000, 10).empty());
    EXPECT_EQ(Claim(1'000'000, 2'000'000, 10).size(), 1U);
  }
}

TEST_P(EngineQueriesTest, AHolderWhoseLeaseWasTakenOverWritesNothing) {
  ASSERT_TRUE(AddJob("op_1", "c1", 100));
  auto first = Claim(100, 1'000, 10);
  ASSERT_EQ(first.size(), 1U);
  // The first holder stalls past its lease; a second worker (another node) claims the job.
  auto second = Claim(1'000, 2'000, 10);
  ASSERT_EQ(second.size(), 1U);
  EXPECT_EQ(second[0].attempts, first[0].attempts + 1);
  bool rescheduled = true;
  bool deleted = true;
  ASSERT_TRUE(Write([&](WriteTx& tx) -> core::Result<void> {
    auto r = tx.RescheduleJob(first[0], 5'000, R"({"stale":true})");
    if (!r) return tl::unexpected(r.error());
    rescheduled = *r;
    auto d = tx.DeleteJob(first[0]);
    if (!d) return tl::unexpected(d.error());
    deleted = *d;
    return {};
  }));
  EXPECT_FALSE(rescheduled);
  EXPECT_FALSE(deleted);
  EXPECT_EQ(core::BlockOn(store_->CountJobs()).value(), 1);
  // The current holder's writes go through, with its own progress.
  ASSERT_TRUE(Write([&](WriteTx& tx) { return Held(tx.RescheduleJob(second[0], 3'000, "{}")); }));
  auto third = Claim(3'000, 4'000, 10);
  ASSERT_EQ(third.size(), 1U);
  EXPECT_EQ(third[0].progress, "{}");
  ASSERT_TRUE(Write([&](WriteTx& tx) { return Held(tx.DeleteJob(third[0])); }));
  EXPECT_EQ(core::BlockOn(store_->CountJobs()).value(), 0);
}

TEST_P(EngineQueriesTest, TerminalStateIsWrittenOnceAndTheJobGoes) {
  ASSERT_TRUE(AddJob("op_1", "c1", 100));
  auto claimed = Claim(100, 1'000, 10);
  ASSERT_EQ(claimed.size(), 1U);
  OperationOutcome ok{"ISSUER0001", "op_1",       "SUCCESSFUL",
                      std::nullopt, std::nullopt, R"({"digitalCardId":"dc_1"})",
                      200};
  ASSERT_TRUE(Write([&](WriteTx& tx) -> core::Result<void> {
    auto finished = tx.FinishOperation(ok);
    if (!finished || !*finished) return core::Fail(core::ErrorCode::kInternal, "not finished");
    if (auto p = tx.PutNetworkProfile("ISSUER0001", "c1", "VISA", 200); !p) return p;
    return Held(tx.DeleteJob(claimed[0]));
  }));
  // A second end (a replay after a crash) changes nothing.
  OperationOutcome late{"ISSUER0001", "op_1",       "FAILED", "NETWORK_UNAVAILABLE",
                        "late",       std::nullopt, 300};
  ASSERT_TRUE(Write([&](WriteTx& tx) -> core::Result<void> {
    auto finished = tx.FinishOperation(late);
    if (!finished || *finished) return core::Fail(core::ErrorCode::kInternal, "ended twice");
    return tx.PutNetworkProfile("ISSUER0001", "c1", "VISA", 300);  // idempotent
  }));
  auto op = core::BlockOn(store_->GetOperation("ISSUER0001", "op_1")).value();
  ASSERT_TRUE(op);
  EXPECT_EQ(op->status, "SUCCESSFUL");
  EXPECT_EQ(op->end_ms, 200);
  EXPECT_EQ(op->details_json, R"({"digitalCardId":"dc_1"})");
  EXPECT_EQ(core::BlockOn(store_->CountJobs()).value(), 0);
  EXPECT_FALSE(NextDue(1'000'000));
  EXPECT_EQ(core::BlockOn(store_->GetNetworkProfiles("ISSUER0001", "c1")).value(),
            (std::vector<std::string>{"VISA"}));
  EXPECT_TRUE(core::BlockOn(store_->GetNetworkProfiles("ISSUER0001", "c2")).value().empty());
  // An opted-out consumer's profile goes; deleting it again is harmless.
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(
        Write([](WriteTx& tx) { return tx.DeleteNetworkProfile("ISSUER0001", "c1", "VISA"); }));
  }
  EXPECT_TRUE(core::BlockOn(store_->GetNetworkProfiles("ISSUER0001", "c1")).value().empty());
}

// Another node on the same store hears each operation that ends (PostgreSQL NOTIFY at
// COMMIT), once, as "<issuer>/<operationId>"; a second end of the same operation, which
// changes nothing, is not announced. SQLite has one node and announces nothing.
TEST_P(EngineQueriesTest, AnOperationThatEndsIsAnnouncedToTheOtherNodes) {
  auto other = OpenStore(db_.url(), {}, registry_);
  ASSERT_TRUE(other) << other.error().message;
  std::mutex mu;
  std::vector<std::string> heard;
  (*other)->WatchOperationEnds([&](const std::string& key) {
    std::lock_guard lock(mu);
    heard.push_back(key);
  });
  auto heard_now = [&] {
    std::lock_guard lock(mu);
    return heard;
  };
  // The listener connects on its own thread: operations may end before it listens, so
  // end new ones until one is heard.
  std::string first_heard;
  for (int i = 0; i < 200 && first_heard.empty(); ++i) {
    const std::string id = "op_n" + std::to_string(i);
    ASSERT_TRUE(AddJob(id, "cn" + std::to_string(i), 100));
    OperationOutcome ok{"ISSUER0001", id, "SUCCESSFUL", std::nullopt, std::nullopt, "{}", 200};
    ASSERT_TRUE(Write([&](WriteTx& tx) { return tx.FinishOperation(ok).map([](bool) {}); }));
    if (GetParam() == testing::Backend::kSqlite) break;
    testing::WaitUntil([&] { return heard_now().size() > 1; }, std::chrono::milliseconds(50));
    for (const auto& h : heard_now()) {
      if (!h.empty() && first_heard.empty()) first_heard = h;  // "": the listener's LISTEN
    }
  }
  if (GetParam() == testing::Backend::kSqlite) {
    EXPECT_TRUE(heard_now().empty());
    (*other)->Close();
    return;
  }
  ASSERT_FALSE(first_heard.empty()) << "no end was announced";
  EXPECT_EQ(first_heard.rfind("ISSUER0001/op_n", 0), 0U) << first_heard;
  // One more end, then a second end of it: only the first is announced.
  ASSERT_TRUE(AddJob("op_last", "c_last", 100));
  for (const char* status : {"SUCCESSFUL", "FAILED"}) {
    OperationOutcome end{"ISSUER0001", "op_last", status, std::nullopt, std::nullopt, "{}", 300};
    ASSERT_TRUE(Write([&](WriteTx& tx) { return tx.FinishOperation(end).map([](bool) {}); }));
  }
  ASSERT_TRUE(testing::WaitUntil([&] {
    auto h = heard_now();
    return std::count(h.begin(), h.end(), "ISSUER0001/op_last") == 1;
  }));
  (*other)->Close();
  auto h = heard_now();
  EXPECT_EQ(std::count(h.begin(), h.end(), "ISSUER0001/op_last"), 1);
}

TEST_P(EngineQueriesTest, EachLaneIsClaimedOnItsOwnSoInteractiveJobsSkipTheBulkBacklog) {
  // A batch campaign: bulk jobs due long before the API's job.
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(
        AddJob("op_bulk_" + std::to_string(i), "b" + std::to_string(i), 100 + i, JobLane::kBulk));
  }
  ASSERT_TRUE(AddJob("op_api", "c1", 400));
  EXPECT_EQ(NextDue(500), 400);
  EXPECT_EQ(NextDue(500, JobLane::kBulk), 100);
  // The interactive claim takes the API's job although five older bulk jobs are due.
  auto interactive = Claim(500, 5'000, 1);
  ASSERT_EQ(interactive.size(), 1U);
  EXPECT_EQ(interactive[0].operation_id, "op_api");
  EXPECT_EQ(interactive[0].lane, JobLane::kInteractive);
  // The bulk claim keeps to its limit (the engine's share), oldest first.
  auto bulk = Claim(500, 5'000, 2, JobLane::kBulk);
  ASSERT_EQ(bulk.size(), 2U);
  std::set<std::string> ids{bulk[0].operation_id, bulk[1].operation_id};
  EXPECT_EQ(ids, (std::set<std::string>{"op_bulk_0", "op_bulk_1"}));
  for (const auto& j : bulk) EXPECT_EQ(j.lane, JobLane::kBulk);
  EXPECT_TRUE(Claim(500, 5'000, 10).empty());  // no interactive job left
  EXPECT_FALSE(NextDue(500));
  EXPECT_EQ(Claim(500, 5'000, 10, JobLane::kBulk).size(), 3U);
}

TEST_P(EngineQueriesTest, AConsumersOrderHoldsAcrossLanes) {
  // The consumer's bulk auto-enrolment came first: its later interactive job waits for it.
  ASSERT_TRUE(AddJob("op_bulk", "c1", 100, JobLane::kBulk));
  ASSERT_TRUE(AddJob("op_api", "c1", 100));
  EXPECT_TRUE(Claim(500, 5'000, 10).empty());
  EXPECT_FALSE(NextDue(500));
  auto bulk = Claim(500, 5'000, 10, JobLane::kBulk);
  ASSERT_EQ(bulk.size(), 1U);
  EXPECT_EQ(bulk[0].operation_id, "op_bulk");
  ASSERT_TRUE(Write([&](WriteTx& tx) { return Held(tx.DeleteJob(bulk[0])); }));
  auto next = Claim(500, 5'000, 10);
  ASSERT_EQ(next.size(), 1U);
  EXPECT_EQ(next[0].operation_id, "op_api");
}

// Several nodes on one store claim at once (on PostgreSQL: FOR UPDATE SKIP LOCKED): every
// due job is claimed exactly once.
TEST_P(EngineQueriesTest, NodesClaimingTogetherClaimEachJobOnce) {
  constexpr int kJobs = 60;
  constexpr int kNodes = 3;
  for (int i = 0; i < kJobs; ++i) {
    ASSERT_TRUE(AddJob("op_" + std::to_string(i), "c" + std::to_string(i), 100));
  }
  std::vector<std::unique_ptr<Store>> nodes;
  std::vector<std::unique_ptr<core::metrics::Registry>> registries;
  for (int n = 0; n < kNodes; ++n) {
    registries.push_back(std::make_unique<core::metrics::Registry>());
    auto node = OpenStore(db_.url(), {}, *registries.back());
    ASSERT_TRUE(node) << node.error().message;
    nodes.push_back(std::move(*node));
  }
  std::mutex mu;
  std::vector<std::int64_t> claimed;
  std::atomic<int> failures{0};
  std::vector<std::thread> workers;
  for (auto& node : nodes) {
    workers.emplace_back([&, store = node.get()] {
      for (;;) {
        std::vector<JobRecord> got;
        auto write = StartWrite(io_.io(), *store, [&](WriteTx& tx) -> core::Result<void> {
          auto rows = tx.ClaimJobs(1'000, 1'000'000'000, JobLane::kInteractive, 4);
          if (!rows) return tl::unexpected(rows.error());
          got = std::move(*rows);
          return {};
        });
        if (!Await(write)) {
          ++failures;
          return;
        }
        if (got.empty()) return;
        const std::lock_guard lock(mu);
        for (const auto& job : got) claimed.push_back(job.job_id);
      }
    });
  }
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(failures.load(), 0);
  std::sort(claimed.begin(), claimed.end());
  EXPECT_EQ(std::adjacent_find(claimed.begin(), claimed.end()), claimed.end());  // no twice
  EXPECT_EQ(claimed.size(), static_cast<std::size_t>(kJobs));
}

C2P_STORE_BACKENDS(EngineQueriesTest);

}  // namespace
}  // namespace c2p::store
