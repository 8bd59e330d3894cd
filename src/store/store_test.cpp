#include "store/store.hpp"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include "core/block_on.hpp"
#include "store/postgres/migrations.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/store_test_backends.hpp"
#include "store/store_test_util.hpp"

namespace c2p::store {
namespace {

namespace asio = boost::asio;
using core::ErrorCode;
using testing::Await;
using testing::PutSetting;
using testing::StartWrite;
using testing::WaitUntil;

TEST(OpenStore, RejectsUnknownSchemeWithoutEchoingTheUrl) {
  core::metrics::Registry registry;
  auto store = OpenStore("postgres://user:secret@db/c2p", {}, registry);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kConfigInvalid);
  EXPECT_EQ(store.error().message, "unsupported store URL scheme");
}

TEST(OpenStore, RejectsUrlWithoutScheme) {
  core::metrics::Registry registry;
  auto store = OpenStore("/var/lib/c2p/store.db", {}, registry);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kConfigInvalid);
}

TEST(OpenStore, RejectsEmptyPath) {
  core::metrics::Registry registry;
  auto store = OpenStore("sqlite:", {}, registry);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kConfigInvalid);
}

TEST(OpenStore, RejectsInMemoryDatabaseThatCannotUseWal) {
  core::metrics::Registry registry;
  auto store = OpenStore("sqlite::memory:", {}, registry);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kConfigInvalid);
}

TEST(OpenStore, CreatesFileAtNewestSchemaVersion) {
  testing::TempDir dir;
  core::metrics::Registry registry;
  auto store = OpenStore("sqlite:" + dir.File("c2p.db"), {}, registry);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ((*store)->SchemaVersion(), sqlite::NewestMigrationVersion());
  EXPECT_TRUE(core::BlockOn((*store)->Ping()));
}

TEST(OpenStore, StoreFilesAreOwnerOnly) {
  testing::TempDir dir;
  core::metrics::Registry registry;
  auto store = OpenStore("sqlite:" + dir.File("c2p.db"), {}, registry);
  ASSERT_TRUE(store) << store.error().message;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    struct stat st {};
    ASSERT_EQ(::stat((dir.File("c2p.db") + suffix).c_str(), &st), 0) << suffix;
    EXPECT_EQ(st.st_mode & 0777, 0600u) << suffix;
  }
}

TEST(OpenStore, UnreachablePostgresIsUnavailableWithoutEchoingThePassword) {
  core::metrics::Registry registry;
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  auto store = OpenStore("postgresql://c2p:secret@127.0.0.1:1/c2p", {}, registry);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(store.error().message.find("secret"), std::string::npos) << store.error().message;
}

// The store's behaviour on both backends.
class StoreTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUp() override {
    ASSERT_EQ(db_.error(), "");
    // One writer connection (the default, and what SQLite always has): the grouping tests
    // hold that writer and line units up behind it. Several writers on PostgreSQL have
    // their own test below.
    StoreOptions options;
    options.write_connections = 1;
    store_ = Open(options);
    ASSERT_TRUE(store_);
  }

  std::unique_ptr<Store> Open(StoreOptions options = {}) {
    auto store = OpenStore(db_.url(), options, registry_);
    EXPECT_TRUE(store) << store.error().message;
    return store ? std::move(*store) : nullptr;
  }

  std::string Label() const { return testing::BackendLabel(GetParam()); }
  int NewestVersion() const {
    return GetParam() == testing::Backend::kSqlite ? sqlite::NewestMigrationVersion()
                                                   : postgres::NewestMigrationVersion();
  }

  std::future<core::Result<void>> Start(WriteWork work) {
    return StartWrite(io_.io(), *store_, std::move(work));
  }

  core::metrics::Gauge& QueueDepth() {
    return registry_.GetGauge("c2p_store_write_queue_depth", "", {{"store", Label()}});
  }
  core::metrics::Histogram& BatchSizes() {
    return registry_.GetHistogram("c2p_store_commit_batch_size", "", {{"store", Label()}},
                                  core::metrics::SizeBuckets());
  }

  // Starts a unit that keeps the writer busy until `release()` holds. Returns once the
  // writer is inside it, so whatever is written next queues up behind it.
  std::future<core::Result<void>> HoldWriterUntil(std::function<bool()> release) {
    auto entered = std::make_shared<std::atomic<bool>>(false);
    auto hold = Start([entered, release](WriteTx&) -> core::Result<void> {
      entered->store(true);
      if (!WaitUntil(release)) return core::Fail(ErrorCode::kInternal, "never released");
      return {};
    });
    EXPECT_TRUE(WaitUntil([&] { return entered->load(); }));
    return hold;
  }

  // Holds the writer until `depth` units are queued, so those all land in the next batch.
  std::future<core::Result<void>> HoldWriterUntilQueued(std::int64_t depth) {
    auto& queued = QueueDepth();
    return HoldWriterUntil([&queued, depth] { return queued.value() >= depth; });
  }

  testing::TestDatabase db_{GetParam()};
  core::metrics::Registry registry_;
  testing::IoThreads io_{2};
  std::unique_ptr<Store> store_;
};

TEST_P(StoreTest, GetSettingSeesAcknowledgedWrite) {
  auto write = Start(PutSetting("store.id", "abc"));
  ASSERT_TRUE(Await(write));
  auto value = core::BlockOn(store_->GetSetting("store.id"));
  ASSERT_TRUE(value) << value.error().message;
  EXPECT_EQ(*value, "abc");
}

TEST_P(StoreTest, GetSettingOfMissingKeyIsEmpty) {
  auto value = core::BlockOn(store_->GetSetting("nothing.here"));
  ASSERT_TRUE(value) << value.error().message;
  EXPECT_FALSE(value->has_value());
}

TEST_P(StoreTest, PutSettingOverwritesAndKeepsEmptyValues) {
  auto first = Start(PutSetting("k", "one"));
  ASSERT_TRUE(Await(first));
  auto second = Start(PutSetting("k", ""));
  ASSERT_TRUE(Await(second));
  auto value = core::BlockOn(store_->GetSetting("k"));
  ASSERT_TRUE(value) << value.error().message;
  EXPECT_EQ(*value, "");
}

TEST_P(StoreTest, GroupCommitBatchesConcurrentWrites) {
  constexpr int kWrites = 200;
  auto hold = HoldWriterUntilQueued(kWrites);
  std::atomic<int> resumed_elsewhere{0};
  auto write_one = [&](int i) -> asio::awaitable<core::Result<void>> {
    auto written = co_await store_->Write(PutSetting("k" + std::to_string(i), "v"));
    // The caller resumes on its own io_context, never on the writer thread.
    if (!io_.io().get_executor().running_in_this_thread()) ++resumed_elsewhere;
    co_return written;
  };
  std::vector<std::future<core::Result<void>>> writes;
  for (int i = 0; i < kWrites; ++i) {
    writes.push_back(asio::co_spawn(io_.io(), write_one(i), asio::use_future));
  }
  EXPECT_TRUE(Await(hold));
  for (auto& w : writes) ASSERT_TRUE(Await(w));

  EXPECT_EQ(resumed_elsewhere.load(), 0);
  const auto sizes = BatchSizes().Take();
  // cumulative[0] counts batches of one unit; any more were batches of several.
  EXPECT_GT(sizes.count, sizes.cumulative[0]);
  EXPECT_LT(sizes.count, static_cast<std::uint64_t>(kWrites));
  for (int i = 0; i < kWrites; i += 37) {
    auto value = core::BlockOn(store_->GetSetting("k" + std::to_string(i)));
    ASSERT_TRUE(value) << value.error().message;
    EXPECT_EQ(*value, "v");
  }
}

TEST_P(StoreTest, FailingUnitIsRolledBackWhileBatchMatesCommit) {
  auto hold = HoldWriterUntilQueued(3);
  auto before = Start(PutSetting("before", "1"));
  auto failing = Start([](WriteTx& tx) -> core::Result<void> {
    if (auto put = tx.PutSetting("failing", "1"); !put) return put;
    return core::Fail(ErrorCode::kCardIdInUse, "card id in use");
  });
  auto after = Start(PutSetting("after", "1"));
  ASSERT_TRUE(Await(hold));

  EXPECT_TRUE(Await(before));
  auto failed = Await(failing);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kCardIdInUse);
  EXPECT_TRUE(Await(after));

  EXPECT_EQ(core::BlockOn(store_->GetSetting("before")).value(), "1");
  EXPECT_EQ(core::BlockOn(store_->GetSetting("after")).value(), "1");
  EXPECT_FALSE(core::BlockOn(store_->GetSetting("failing")).value().has_value());
  // The three went in one transaction: one batch of 3 besides the holding unit's.
  EXPECT_EQ(BatchSizes().Take().count, 2u);
}

TEST_P(StoreTest, ThrowingUnitFailsAloneAsInternal) {
  auto hold = HoldWriterUntilQueued(2);
  auto throwing = Start([](WriteTx& tx) -> core::Result<void> {
    (void)tx.PutSetting("thrown", "1");
    throw std::runtime_error("bug");
  });
  auto fine = Start(PutSetting("fine", "1"));
  ASSERT_TRUE(Await(hold));

  auto thrown = Await(throwing);
  ASSERT_FALSE(thrown);
  EXPECT_EQ(thrown.error().code, ErrorCode::kInternal);
  EXPECT_TRUE(Await(fine));
  EXPECT_FALSE(core::BlockOn(store_->GetSetting("thrown")).value().has_value());
  EXPECT_EQ(core::BlockOn(store_->GetSetting("fine")).value(), "1");
}

TEST_P(StoreTest, CloseCommitsQueuedUnits) {
  std::atomic<bool> release{false};
  auto hold = HoldWriterUntil([&] { return release.load(); });
  auto first = Start(PutSetting("first", "1"));
  auto second = Start(PutSetting("second", "1"));
  ASSERT_TRUE(WaitUntil([&] { return QueueDepth().value() == 2; }));

  std::thread closer([&] { store_->Close(); });
  // Close() has begun once a new write is turned away: a queued probe stays pending behind
  // the held writer (and commits with the rest), a rejected one completes at once.
  ASSERT_TRUE(WaitUntil([&] {
    auto probe = Start(PutSetting("probe", "1"));
    return probe.wait_for(std::chrono::milliseconds(100)) == std::future_status::ready;
  }));
  release = true;
  closer.join();  // returns once the queue is drained

  EXPECT_TRUE(Await(hold));
  EXPECT_TRUE(Await(first));
  EXPECT_TRUE(Await(second));
  store_ = Open();
  EXPECT_EQ(core::BlockOn(store_->GetSetting("first")).value(), "1");
  EXPECT_EQ(core::BlockOn(store_->GetSetting("second")).value(), "1");
}

TEST_P(StoreTest, WriteAfterCloseIsUnavailable) {
  store_->Close();
  store_->Close();  // idempotent
  auto write = Start(PutSetting("k", "v"));
  auto written = Await(write);
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(core::BlockOn(store_->GetSetting("k")).error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(core::BlockOn(store_->Ping()));
}

TEST_P(StoreTest, AcknowledgedWritesSurviveReopen) {
  auto write = Start(PutSetting("kept", "yes"));
  ASSERT_TRUE(Await(write));
  store_.reset();
  store_ = Open();
  EXPECT_EQ(core::BlockOn(store_->GetSetting("kept")).value(), "yes");
  EXPECT_EQ(store_->SchemaVersion(), NewestVersion());
}

TEST_P(StoreTest, MetricsCountCommits) {
  auto write = Start(PutSetting("k", "v"));
  ASSERT_TRUE(Await(write));
  const std::string text = registry_.Render();
  const std::string label = "{store=\"" + Label() + "\"}";
  EXPECT_NE(text.find("c2p_store_commits_total" + label + " 1"), std::string::npos) << text;
  EXPECT_NE(text.find("c2p_store_commit_failures_total" + label + " 0"), std::string::npos);
  EXPECT_NE(text.find("c2p_store_commit_seconds_count" + label + " 1"), std::string::npos);
}

TEST_P(StoreTest, EmptyAndBinaryBlobsRoundTrip) {
  const Blob binary{0, 255, 0, 10, 13, 92, 39};
  auto write = Start([&](WriteTx& tx) -> core::Result<void> {
    if (auto c = tx.PutConsumer({"ISSUER0001", "c1", "ACTIVE", binary, 1, 1}); !c) return c;
    return tx.PutConsumer({"ISSUER0001", "c2", "ACTIVE", Blob{}, 1, 1});
  });
  ASSERT_TRUE(Await(write));
  EXPECT_EQ(core::BlockOn(store_->GetConsumer("ISSUER0001", "c1")).value()->personal_information,
            binary);
  auto empty = core::BlockOn(store_->GetConsumer("ISSUER0001", "c2")).value();
  ASSERT_TRUE(empty->personal_information);  // empty, not NULL
  EXPECT_TRUE(empty->personal_information->empty());
}

TEST_P(StoreTest, SeveralStoresOpeningTogetherMigrateOnce) {
  store_.reset();
  // A fresh location, opened by several "nodes" at once.
  testing::TestDatabase fresh(GetParam());
  ASSERT_EQ(fresh.error(), "");
  constexpr int kNodes = 4;
  std::vector<std::thread> nodes;
  std::vector<int> versions(kNodes, -1);
  for (int i = 0; i < kNodes; ++i) {
    nodes.emplace_back([&, i] {
      core::metrics::Registry registry;
      auto store = OpenStore(fresh.url(), {}, registry);
      versions[static_cast<std::size_t>(i)] = store ? (*store)->SchemaVersion() : 0;
    });
  }
  for (auto& node : nodes) node.join();
  for (const int version : versions) EXPECT_EQ(version, NewestVersion());
}

C2P_STORE_BACKENDS(StoreTest);

// PostgreSQL only: sessions cut under the store (a server restart, a network cut) fail
// what was in flight as kUnavailable, and the store reconnects by itself.
class PostgresStoreTest : public StoreTest {};

TEST_P(PostgresStoreTest, RecoversByItselfAfterItsConnectionsAreCut) {
  auto first = Start(PutSetting("before", "1"));
  ASSERT_TRUE(Await(first));
  ASSERT_TRUE(db_.CutConnections());
  // The first write and read after the cut may find their session gone (503); the ones
  // after that reconnect.
  auto probe = Start(PutSetting("probe", "1"));
  auto probed = Await(probe);
  if (!probed) {
    EXPECT_EQ(probed.error().code, ErrorCode::kUnavailable);
  }
  auto read = core::BlockOn(store_->GetSetting("before"));
  if (!read) {
    EXPECT_EQ(read.error().code, ErrorCode::kUnavailable);
  }
  for (int i = 0; i < 8; ++i)
    (void)core::BlockOn(store_->GetSetting("before"));  // every reader once

  auto after = Start(PutSetting("after", "1"));
  ASSERT_TRUE(Await(after));
  EXPECT_EQ(core::BlockOn(store_->GetSetting("before")).value(), "1");
  EXPECT_EQ(core::BlockOn(store_->GetSetting("after")).value(), "1");
  EXPECT_TRUE(core::BlockOn(store_->Ping()));
}

// Several writer connections: a unit commits on a second connection while the first is
// held inside its group's transaction (with one writer it would queue behind it).
TEST_P(PostgresStoreTest, ASecondWriterConnectionCommitsWhileTheFirstIsHeld) {
  StoreOptions options;
  options.write_connections = 2;
  store_ = Open(options);
  ASSERT_TRUE(store_);
  std::atomic<bool> release{false};
  auto hold = HoldWriterUntil([&] { return release.load(); });
  auto other = Start(PutSetting("other", "1"));
  const bool committed_beside = other.wait_for(testing::kDeadline) == std::future_status::ready;
  release = true;
  ASSERT_TRUE(Await(hold));
  ASSERT_TRUE(committed_beside);
  EXPECT_TRUE(Await(other));
  EXPECT_EQ(core::BlockOn(store_->GetSetting("other")).value(), "1");
}

// Runs `n` units at once, each holding its own writer connection until all have entered,
// and returns their outcomes.
std::vector<core::Result<void>> OnePerConnection(
    const std::function<std::future<core::Result<void>>(WriteWork)>& start, int n) {
  std::atomic<bool> release{false};
  std::atomic<int> entered{0};
  std::vector<std::future<core::Result<void>>> units;
  for (int i = 0; i < n; ++i) {
    // Started one by one: a unit queued beside another would join its group instead.
    units.push_back(start([&, i](WriteTx& tx) -> core::Result<void> {
      ++entered;
      if (!WaitUntil([&] { return release.load(); })) {
        return core::Fail(ErrorCode::kInternal, "never released");
      }
      return tx.PutSetting("unit" + std::to_string(i), "1");
    }));
    EXPECT_TRUE(WaitUntil([&] { return entered.load() == i + 1; }));
  }
  release = true;
  std::vector<core::Result<void>> out;
  for (auto& unit : units) out.push_back(Await(unit));
  return out;
}

// A read changes nothing, so one that finds its pooled session ended while idle (a
// restart, a cut) is asked again on the session made again: no read fails after a cut,
// whichever reader it gets. (Writes cannot do that: their outcome is unknown.)
TEST_P(PostgresStoreTest, ReadsAfterACutAreAnsweredByReadersMadeAgain) {
  auto first = Start(PutSetting("before", "1"));
  ASSERT_TRUE(Await(first));
  for (int i = 0; i < 8; ++i) ASSERT_TRUE(core::BlockOn(store_->GetSetting("before")));
  ASSERT_TRUE(db_.CutConnections());
  // Four readers at once, so that each pooled session is used.
  std::vector<std::future<core::Result<std::optional<std::string>>>> reads;
  for (int i = 0; i < 4; ++i) {
    reads.push_back(boost::asio::co_spawn(
        io_.io(), [this] { return store_->GetSetting("before"); }, boost::asio::use_future));
  }
  std::vector<core::Result<std::optional<std::string>>> values;
  for (auto& read : reads) values.push_back(read.get());  // all done before any assertion
  for (const auto& value : values) {
    ASSERT_TRUE(value) << value.error().message;
    EXPECT_EQ(*value, "1");
  }
}

// After a server restart (all sessions cut), the first group to notice fails; every
// writer connection is then made again before its next group, so no other group fails.
TEST_P(PostgresStoreTest, OneLostConnectionRemakesEveryWriterConnection) {
  StoreOptions options;
  options.write_connections = 3;
  store_ = Open(options);
  ASSERT_TRUE(store_);
  const auto start = [this](WriteWork work) { return Start(std::move(work)); };
  for (const auto& before : OnePerConnection(start, 3)) ASSERT_TRUE(before);
  ASSERT_TRUE(db_.CutConnections());
  // Every session has ended (CutConnections waits for that): the first group fails.
  auto first = Start(PutSetting("first", "1"));
  auto noticed = Await(first);
  ASSERT_FALSE(noticed);
  EXPECT_EQ(noticed.error().code, ErrorCode::kUnavailable);
  for (const auto& after : OnePerConnection(start, 3)) {
    EXPECT_TRUE(after) << after.error().message;
  }
}

TEST_P(PostgresStoreTest, AUnitThatSwallowsAFailedStatementFailsAlone) {
  auto hold = HoldWriterUntilQueued(2);
  auto swallowing = Start([](WriteTx& tx) -> core::Result<void> {
    // An operation for a card_ref that does not exist: the foreign key refuses it, and the
    // unit goes on as if nothing happened.
    OperationRecord op;
    op.operation_id = "op_1";
    op.issuer_id = "ISSUER0001";
    op.operation = "REGISTER";
    op.status = "PENDING";
    op.requestor_type = "ISSUER";
    op.requestor_id = "x";
    op.card_ref = 424242;
    (void)tx.InsertOperation(op);
    return tx.PutSetting("swallowed", "1");
  });
  auto fine = Start(PutSetting("fine", "1"));
  ASSERT_TRUE(Await(hold));
  auto swallowed = Await(swallowing);
  ASSERT_FALSE(swallowed);
  EXPECT_EQ(swallowed.error().code, ErrorCode::kInternal);
  EXPECT_TRUE(Await(fine));
  EXPECT_FALSE(core::BlockOn(store_->GetSetting("swallowed")).value().has_value());
  EXPECT_EQ(core::BlockOn(store_->GetSetting("fine")).value(), "1");
}

INSTANTIATE_TEST_SUITE_P(Backends, PostgresStoreTest,
                         ::testing::Values(testing::Backend::kPostgres), testing::BackendName);

}  // namespace
}  // namespace c2p::store
