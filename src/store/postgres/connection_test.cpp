// The libpq layer against the test PostgreSQL: statements prepared under their constant's
// name, durable commits forced on, and failures mapped to the store's codes without
// echoing data.

#include "store/postgres/connection.hpp"

#include <gtest/gtest.h>

#include "store/postgres/binding.hpp"
#include "store/postgres/sql.hpp"
#include "tests/support/test_postgres.hpp"

namespace c2p::store::postgres {
namespace {

using core::ErrorCode;

C2P_PG_SQL(kTestInsertSecret, "INSERT INTO t (k) VALUES ($1)");
C2P_PG_SQL(kTestSelectLength, "SELECT length($1::text)");
C2P_PG_SQL(kTestPrepared, "SELECT name FROM pg_prepared_statements ORDER BY name");
C2P_PG_SQL(kTestCount, "SELECT count(*) FROM t");

class PgConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(db_.error(), "");
    auto conn = Connection::Open(db_.url(), 5);
    ASSERT_TRUE(conn) << conn.error().message;
    conn_.emplace(std::move(*conn));
  }

  c2p::testing::PostgresDatabase db_;
  std::optional<Connection> conn_;
};

TEST_F(PgConnectionTest, StatementsArePreparedOnceUnderTheirConstantsName) {
  ASSERT_TRUE(Done(Query(*conn_, sql::kSelectOne)));
  ASSERT_TRUE(Done(Query(*conn_, sql::kSelectOne)));  // a second PREPARE would fail
  auto names = All<std::string>(Query(*conn_, kTestPrepared),
                                [](const Row& r) { return std::string(r.Text(0)); });
  ASSERT_TRUE(names) << names.error().message;
  EXPECT_EQ(*names, (std::vector<std::string>{"kSelectOne", "kTestPrepared"}));
}

TEST_F(PgConnectionTest, SynchronousCommitIsOnWhateverTheDatabaseSays) {
  ASSERT_TRUE(
      conn_->Exec("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET "
                  "synchronous_commit = off', current_database()); END $$"));
  auto fresh = Connection::Open(db_.url(), 5);
  ASSERT_TRUE(fresh) << fresh.error().message;
  auto value = One<std::string>(Query(*fresh, sql::kShowSynchronousCommit),
                                [](const Row& r) { return std::string(r.Text(0)); });
  ASSERT_TRUE(value && *value) << (value ? "no row" : value.error().message);
  EXPECT_EQ(**value, "on");
}

// A duplicate key is a race lost to a concurrent writer (retry: 503); a failed CHECK is a
// bug (500). Neither error quotes the value.
TEST_F(PgConnectionTest, ADuplicateKeyIsUnavailableAnotherViolationInternalNeitherQuotesAValue) {
  ASSERT_TRUE(conn_->Exec("CREATE TABLE t (k TEXT PRIMARY KEY CHECK (k <> '4111111111111112'))"));
  ASSERT_TRUE(Done(Query(*conn_, kTestInsertSecret, std::string_view("4111111111111111"))));
  auto dup = Done(Query(*conn_, kTestInsertSecret, std::string_view("4111111111111111")));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(dup.error().message.find("4111"), std::string::npos) << dup.error().message;
  EXPECT_NE(dup.error().message.find("23505"), std::string::npos) << dup.error().message;
  auto check = Done(Query(*conn_, kTestInsertSecret, std::string_view("4111111111111112")));
  ASSERT_FALSE(check);
  EXPECT_EQ(check.error().code, ErrorCode::kInternal);
  EXPECT_EQ(check.error().message.find("4111"), std::string::npos) << check.error().message;
  EXPECT_NE(check.error().message.find("23514"), std::string::npos) << check.error().message;
}

TEST_F(PgConnectionTest, TextIsBoundExactlyAndANulIsRefusedNotCut) {
  auto length = FirstInt(Query(*conn_, kTestSelectLength, std::string_view("")));
  ASSERT_TRUE(length) << length.error().message;
  EXPECT_EQ(*length, 0);
  const std::string with_nul("ab\0cd", 5);
  auto cut = FirstInt(Query(*conn_, kTestSelectLength, std::string_view(with_nul)));
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().code, ErrorCode::kInternal);
}

TEST_F(PgConnectionTest, ALostSessionIsUnavailableAndResetReconnects) {
  ASSERT_TRUE(db_.CutConnections());
  auto lost = Done(Query(*conn_, sql::kSelectOne));
  ASSERT_FALSE(lost);
  EXPECT_EQ(lost.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(conn_->Broken());
  ASSERT_TRUE(conn_->Reset());
  EXPECT_TRUE(Done(Query(*conn_, sql::kSelectOne)));  // prepared again in the new session
}

TEST_F(PgConnectionTest, QueuedCommandsTravelWithTheNextStatement) {
  ASSERT_TRUE(conn_->Exec("CREATE TABLE t (k TEXT PRIMARY KEY)"));
  conn_->Later("BEGIN");
  conn_->Later("SAVEPOINT u");
  ASSERT_TRUE(Done(Query(*conn_, kTestInsertSecret, std::string_view("a"))));
  EXPECT_TRUE(conn_->InTransaction());  // the BEGIN went first
  conn_->Later("RELEASE SAVEPOINT u");
  conn_->Later("SAVEPOINT u");
  ASSERT_TRUE(Done(Query(*conn_, kTestInsertSecret, std::string_view("b"))));
  ASSERT_TRUE(conn_->Exec("ROLLBACK TO SAVEPOINT u"));  // undoes "b" only
  conn_->Later("RELEASE SAVEPOINT u");
  ASSERT_TRUE(conn_->Commit());
  EXPECT_FALSE(conn_->InTransaction());
  EXPECT_EQ(FirstInt(Query(*conn_, kTestCount)).value(), 1);
}

TEST_F(PgConnectionTest, AQueuedCommandThatFailsFailsTheStatementAndTheCommit) {
  ASSERT_TRUE(conn_->Exec("CREATE TABLE t (k TEXT PRIMARY KEY)"));
  conn_->Later("BEGIN");
  conn_->Later("SAVEPOINT u");
  ASSERT_TRUE(Done(Query(*conn_, kTestInsertSecret, std::string_view("a"))));
  conn_->Later("RELEASE SAVEPOINT not_there");
  auto next = Done(Query(*conn_, kTestInsertSecret, std::string_view("b")));
  ASSERT_FALSE(next);
  // Rolling back to the earlier savepoint would make the transaction usable again, but
  // it may no longer commit: what was reported done before the failure is not all there.
  ASSERT_TRUE(conn_->Exec("ROLLBACK TO SAVEPOINT u"));
  auto commit = conn_->Commit();
  ASSERT_FALSE(commit);
  EXPECT_EQ(commit.error().code, ErrorCode::kUnavailable);
  ASSERT_TRUE(conn_->Exec("ROLLBACK"));
  EXPECT_EQ(FirstInt(Query(*conn_, kTestCount)).value(), 0);
}

TEST(PgConnection, RefusedConnectionIsUnavailable) {
  auto conn = Connection::Open("postgresql://c2p:secret@127.0.0.1:1/c2p", 5);
  ASSERT_FALSE(conn);
  EXPECT_EQ(conn.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(conn.error().message.find("secret"), std::string::npos);
}

}  // namespace
}  // namespace c2p::store::postgres
