// The statistics keeper on the test PostgreSQL: a table that grew from empty is ANALYZEd
// within a few of its intervals; one with a few changed rows is left to autovacuum.
// (last_analyze is set by an ANALYZE statement only: autovacuum sets last_autoanalyze.)

#include "store/postgres/statistics_keeper.hpp"

#include <gtest/gtest.h>

#include <optional>

#include "store/postgres/connection.hpp"
#include "store/store_test_util.hpp"
#include "tests/support/test_postgres.hpp"

namespace c2p::store::postgres {
namespace {

TEST(StatisticsKeeperTest, AnalyzesATableThatGrewAndLeavesOneThatBarelyChanged) {
  c2p::testing::PostgresDatabase db;
  ASSERT_EQ(db.error(), "");
  {
    auto conn = Connection::Open(db.url(), 5);
    ASSERT_TRUE(conn) << conn.error().message;
    ASSERT_TRUE(conn->Exec("CREATE TABLE grown (n int PRIMARY KEY); CREATE TABLE steady (n int)"));
    ASSERT_TRUE(conn->Exec("INSERT INTO grown SELECT generate_series(1, 3000)"));
    ASSERT_TRUE(conn->Exec("INSERT INTO steady SELECT generate_series(1, 10)"));
  }  // a session reports its changes to the statistics at the latest when it ends
  const auto analyzed = [&](const char* table) {
    return db.QueryInt(std::string("SELECT COUNT(*) FROM pg_stat_user_tables WHERE relname = '") +
                       table + "' AND last_analyze IS NOT NULL") == 1;
  };
  {
    StatisticsKeeper keeper(db.url(), std::chrono::milliseconds(50));
    EXPECT_TRUE(testing::WaitUntil([&] { return analyzed("grown"); }, std::chrono::seconds(30)));
  }
  EXPECT_FALSE(analyzed("steady"));
  EXPECT_EQ(db.QueryInt("SELECT n_mod_since_analyze FROM pg_stat_user_tables "
                        "WHERE relname = 'grown'"),
            0);
}

}  // namespace
}  // namespace c2p::store::postgres
