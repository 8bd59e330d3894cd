#include "store/sqlite/connection.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "store/sqlite/checkpointer.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sql.hpp"
#include "store/store_test_util.hpp"

namespace c2p::store::sqlite {
namespace {

using core::ErrorCode;
constexpr std::chrono::milliseconds kBusy{100};

class ConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto conn = Connection::Open(path_, Connection::Access::kReadWrite, kBusy);
    ASSERT_TRUE(conn) << conn.error().message;
    conn_.emplace(std::move(*conn));
    ASSERT_TRUE(ApplyMigrations(*conn_));
  }

  core::Result<std::string> Text(Connection& conn, std::string_view sql) {
    auto stmt = conn.Prepare(sql);
    if (!stmt) return tl::unexpected(stmt.error());
    auto row = stmt->Step();
    if (!row) return tl::unexpected(row.error());
    return std::string(stmt->ColumnText(0));
  }

  testing::TempDir dir_;
  std::string path_ = dir_.File("c.db");
  std::optional<Connection> conn_;
};

TEST_F(ConnectionTest, OpenTurnsForeignKeysOn) {
  EXPECT_EQ(Text(*conn_, sql::kPragmaForeignKeys).value(), "1");
}

TEST_F(ConnectionTest, OpenReadOnlyOfMissingFileFails) {
  auto conn = Connection::Open(dir_.File("missing.db"), Connection::Access::kReadOnly, kBusy);
  ASSERT_FALSE(conn);
  EXPECT_EQ(conn.error().code, ErrorCode::kIo);
}

TEST_F(ConnectionTest, ReadOnlyConnectionCannotWrite) {
  auto reader = Connection::Open(path_, Connection::Access::kReadOnly, kBusy);
  ASSERT_TRUE(reader) << reader.error().message;
  auto stmt = reader->Prepare(sql::kUpsertSetting);
  ASSERT_TRUE(stmt) << stmt.error().message;
  auto run = stmt->Bind(1, "k").Bind(2, "v").Bind(3, std::int64_t{1}).Run();
  ASSERT_FALSE(run);
  EXPECT_EQ(run.error().code, ErrorCode::kUnavailable);
}

TEST_F(ConnectionTest, BindsTextExactlyIncludingEmptyAndEmbeddedNul) {
  const std::string with_nul("a\0b", 3);
  for (const std::string& value : {std::string(), with_nul, std::string("plain")}) {
    auto put = conn_->Prepare(sql::kUpsertSetting);
    ASSERT_TRUE(put);
    ASSERT_TRUE(put->Bind(1, "k").Bind(2, value).Bind(3, std::int64_t{7}).Run());
    auto get = conn_->Prepare(sql::kSelectSetting);
    ASSERT_TRUE(get);
    ASSERT_TRUE(get->Bind(1, "k").Step().value());
    EXPECT_EQ(get->ColumnText(0), value);
  }
}

TEST_F(ConnectionTest, BindOutOfRangeIsReportedByStep) {
  auto stmt = conn_->Prepare(sql::kSelectSetting);
  ASSERT_TRUE(stmt);
  auto row = stmt->Bind(5, "x").Step();
  ASSERT_FALSE(row);
  EXPECT_EQ(row.error().code, ErrorCode::kInternal);
}

TEST_F(ConnectionTest, BadSqlIsInternal) {
  auto stmt = conn_->Prepare("SELEKT nothing");
  ASSERT_FALSE(stmt);
  EXPECT_EQ(stmt.error().code, ErrorCode::kInternal);
}

TEST_F(ConnectionTest, InTransactionFollowsBeginAndCommit) {
  EXPECT_FALSE(conn_->InTransaction());
  ASSERT_TRUE(conn_->Run(sql::kBeginImmediate));
  EXPECT_TRUE(conn_->InTransaction());
  ASSERT_TRUE(conn_->Run(sql::kCommit));
  EXPECT_FALSE(conn_->InTransaction());
}

TEST_F(ConnectionTest, ReaderSeesCommitsMadeAfterItsLastRead) {
  auto reader = Connection::Open(path_, Connection::Access::kReadOnly, kBusy);
  ASSERT_TRUE(reader);
  for (const char* value : {"1", "2"}) {
    auto put = conn_->Prepare(sql::kUpsertSetting);
    ASSERT_TRUE(put->Bind(1, "k").Bind(2, value).Bind(3, std::int64_t{1}).Run());
    auto get = reader->Prepare(sql::kSelectSetting);
    ASSERT_TRUE(get->Bind(1, "k").Step().value());
    EXPECT_EQ(get->ColumnText(0), value);
  }
}

// The checkpointer thread, on its own connection, copies what the writer committed to the
// WAL into the database file.
TEST(CheckpointerTest, CopiesCommittedFramesIntoTheDatabaseFile) {
  testing::TempDir dir;
  const std::string path = dir.File("w.db");
  auto writer = Connection::Open(path, Connection::Access::kReadWrite, kBusy);
  ASSERT_TRUE(writer) << writer.error().message;
  ASSERT_TRUE(
      writer->Exec("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; "
                   "CREATE TABLE t (v TEXT) STRICT"));
  const auto before = std::filesystem::file_size(path);
  ASSERT_TRUE(
      writer->Exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                   "WHERE i < 200) INSERT INTO t SELECT printf('%.1000d', i) FROM n"));
  EXPECT_EQ(std::filesystem::file_size(path), before);  // all of it is in the WAL

  auto other = Connection::Open(path, Connection::Access::kReadWrite, kBusy);
  ASSERT_TRUE(other) << other.error().message;
  Checkpointer checkpointer(std::move(*other), std::chrono::milliseconds(10));
  for (int i = 0; i < 500 && std::filesystem::file_size(path) == before; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GT(std::filesystem::file_size(path), before + 200 * 1000);
  checkpointer.Close();
  checkpointer.Close();  // idempotent
}

}  // namespace
}  // namespace c2p::store::sqlite
