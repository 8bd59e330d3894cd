#include "store/sqlite/group_writer.hpp"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <memory>

#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sql.hpp"
#include "store/store_test_util.hpp"

namespace c2p::store::sqlite {
namespace {

using core::ErrorCode;
using testing::Await;
using testing::PutSetting;
using testing::WaitUntil;

// A test-only schema addition that makes COMMIT fail: writing the setting "orphan" inserts
// a row breaking a deferred foreign key, which SQLite checks only at COMMIT.
constexpr std::string_view kOrphanTrigger = R"sql(
CREATE TABLE parent (id INTEGER PRIMARY KEY) STRICT;
CREATE TABLE child (parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)
  STRICT;
CREATE TRIGGER orphan AFTER INSERT ON settings WHEN NEW.key = 'orphan'
BEGIN
  INSERT INTO child (parent_id) VALUES (42);
END
)sql";

class GroupWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto conn = Connection::Open(path_, Connection::Access::kReadWrite, kBusy);
    ASSERT_TRUE(conn) << conn.error().message;
    const std::array migrations{Migrations()[0], Migration{2, "orphan_trigger", kOrphanTrigger}};
    ASSERT_TRUE(ApplyMigrations(*conn, migrations));
    writer_ = std::make_unique<GroupWriter>(std::move(*conn), 64, metrics_);
  }

  std::future<core::Result<void>> Start(WriteWork work) {
    return boost::asio::co_spawn(io_.io(),
                                 writer_->Write(std::move(work), WritePriority::kInteractive),
                                 boost::asio::use_future);
  }

  // Keeps the writer inside a unit until `depth` more are queued; see store_test.cpp.
  std::future<core::Result<void>> HoldWriterUntilQueued(std::int64_t depth) {
    auto entered = std::make_shared<std::atomic<bool>>(false);
    auto hold = Start([this, entered, depth](WriteTx&) -> core::Result<void> {
      entered->store(true);
      if (!WaitUntil([&] { return metrics_.queue_depth.value() >= depth; })) {
        return core::Fail(ErrorCode::kInternal, "the next batch never queued up");
      }
      return {};
    });
    EXPECT_TRUE(WaitUntil([&] { return entered->load(); }));
    return hold;
  }

  std::optional<std::string> Read(std::string_view key) {
    auto reader = Connection::Open(path_, Connection::Access::kReadOnly, kBusy);
    EXPECT_TRUE(reader);
    auto stmt = reader->Prepare(sql::kSelectSetting);
    EXPECT_TRUE(stmt);
    if (!stmt->Bind(1, key).Step().value()) return std::nullopt;
    return std::string(stmt->ColumnText(0));
  }

  static constexpr std::chrono::milliseconds kBusy{50};
  testing::TempDir dir_;
  std::string path_ = dir_.File("w.db");
  core::metrics::Registry registry_;
  WriterMetrics metrics_ = WriterMetrics::Register(registry_, "test");
  testing::IoThreads io_{1};
  std::unique_ptr<GroupWriter> writer_;
};

TEST_F(GroupWriterTest, FailedCommitFailsEveryUnitOfTheBatchAsUnavailable) {
  auto hold = HoldWriterUntilQueued(2);
  auto good = Start(PutSetting("good", "1"));
  auto orphan = Start(PutSetting("orphan", "1"));
  ASSERT_TRUE(Await(hold));

  for (auto* write : {&good, &orphan}) {
    auto written = Await(*write);
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().code, ErrorCode::kUnavailable);
  }
  EXPECT_EQ(metrics_.commit_failures.value(), 1u);
  EXPECT_FALSE(Read("good").has_value());

  // The writer rolled the failed transaction back and carries on.
  auto later = Start(PutSetting("later", "1"));
  EXPECT_TRUE(Await(later));
  EXPECT_EQ(Read("later"), "1");
}

// A unit that wrote, then failed. Alone in its group it has no savepoint: the transaction
// is rolled back. (With group mates it is rolled back to its savepoint: store_test.cpp,
// FailingUnitIsRolledBackWhileBatchMatesCommit, on both backends.)
WriteWork WriteThenFail(std::string key) {
  return [key = std::move(key)](WriteTx& tx) -> core::Result<void> {
    if (auto put = tx.PutSetting(key, "1"); !put) return put;
    return core::Fail(ErrorCode::kInvalidState, "refused after writing");
  };
}

TEST_F(GroupWriterTest, AUnitAloneInItsGroupThatFailsLeavesNothing) {
  auto alone_write = Start(WriteThenFail("alone"));
  auto alone = Await(alone_write);
  ASSERT_FALSE(alone);
  EXPECT_EQ(alone.error().code, ErrorCode::kInvalidState);  // its own error, not the store's
  EXPECT_FALSE(Read("alone").has_value());
  EXPECT_EQ(metrics_.commit_failures.value(), 0u);

  // A lone unit whose COMMIT fails is unavailable, and the writer carries on.
  auto orphan_write = Start(PutSetting("orphan", "1"));
  auto orphan = Await(orphan_write);
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(metrics_.commit_failures.value(), 1u);
  auto after = Start(PutSetting("after", "1"));
  EXPECT_TRUE(Await(after));
  EXPECT_EQ(Read("after"), "1");
  const auto sizes = metrics_.batch_size.Take();
  EXPECT_EQ(sizes.cumulative[0], sizes.count);  // every group above held one unit
}

TEST_F(GroupWriterTest, LockedDatabaseFailsTheBatchAndRecovers) {
  auto blocker = Connection::Open(path_, Connection::Access::kReadWrite, kBusy);
  ASSERT_TRUE(blocker);
  ASSERT_TRUE(blocker->Run(sql::kBeginImmediate));

  auto blocked = Start(PutSetting("blocked", "1"));
  auto written = Await(blocked);
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, ErrorCode::kUnavailable);
  EXPECT_GE(metrics_.commit_failures.value(), 1u);

  ASSERT_TRUE(blocker->Run(sql::kRollback));
  auto retried = Start(PutSetting("blocked", "1"));
  EXPECT_TRUE(Await(retried));
  EXPECT_EQ(Read("blocked"), "1");
}

TEST_F(GroupWriterTest, BatchNeverExceedsMaxBatch) {
  writer_.reset();
  auto conn = Connection::Open(path_, Connection::Access::kReadWrite, kBusy);
  ASSERT_TRUE(conn);
  writer_ = std::make_unique<GroupWriter>(std::move(*conn), 3, metrics_);
  auto hold = HoldWriterUntilQueued(7);
  std::vector<std::future<core::Result<void>>> writes;
  writes.reserve(7);
  for (int i = 0; i < 7; ++i) writes.push_back(Start(PutSetting("k" + std::to_string(i), "v")));
  ASSERT_TRUE(Await(hold));
  for (auto& w : writes) ASSERT_TRUE(Await(w));
  // 1 (hold) + 3 + 3 + 1.
  const auto sizes = metrics_.batch_size.Take();
  EXPECT_EQ(sizes.count, 4u);
  EXPECT_EQ(sizes.cumulative[1], sizes.count - 2);  // two batches above 2 units
  EXPECT_EQ(sizes.cumulative[2], sizes.count);      // none above 4 (bucket le=4)
}

}  // namespace
}  // namespace c2p::store::sqlite
