// The statistics keeper on the test PostgreSQL, on a migrated schema: a c2p table that grew
// from empty is ANALYZEd within a few of its intervals; one with a few changed rows is
// left to autovacuum, and so is a table that is not c2p's however much it grew.
// (last_analyze is set by an ANALYZE statement only: autovacuum sets last_autoanalyze.)

#include "store/postgres/statistics_keeper.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "store/postgres/connection.hpp"
#include "store/postgres/migrations.hpp"
#include "store/store_test_util.hpp"
#include "tests/support/test_postgres.hpp"

namespace c2p::store::postgres {
namespace {

// A migration that adds a table must add it to kKeptTables (QueryInt answers numbers:
// how many tables are not in the list, and how many there are). schema_migrations, a row
// per migration, is the migrations' own bookkeeping and needs no statistics.
// A fresh test database with c2p's schema, and `sql` run in it (in a session that has
// ended when this returns, so its changes are in the statistics).
void Migrate(const c2p::testing::PostgresDatabase& db, const std::vector<std::string>& sql = {}) {
  ASSERT_EQ(db.error(), "");
  auto conn = Connection::Open(db.url(), 5);
  ASSERT_TRUE(conn) << conn.error().message;
  ASSERT_TRUE(ApplyMigrations(*conn));
  for (const auto& statement : sql) ASSERT_TRUE(conn->Exec(statement)) << statement;
}

TEST(StatisticsKeeperTest, KeepsExactlyTheTablesTheMigrationsCreate) {
  c2p::testing::PostgresDatabase db;
  ASSERT_NO_FATAL_FAILURE(Migrate(db));
  std::string list;
  for (const auto name : kKeptTables) list += (list.empty() ? "" : ",") + std::string(name);
  EXPECT_EQ(
      db.QueryInt("SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() "
                  "AND tablename <> 'schema_migrations' AND tablename <> ALL (string_to_array('" +
                  list + "', ','))"),
      0)
      << "a migration created a table kKeptTables does not name";
  EXPECT_EQ(db.QueryInt("SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()"),
            static_cast<std::int64_t>(kKeptTables.size()) + 1)
      << "kKeptTables names a table no migration creates";
}

TEST(StatisticsKeeperTest, AnalyzesAC2pTableThatGrewAndLeavesTheOthers) {
  c2p::testing::PostgresDatabase db;
  ASSERT_NO_FATAL_FAILURE(
      Migrate(db, {"CREATE TABLE not_ours (n int PRIMARY KEY)",
                   "INSERT INTO not_ours SELECT generate_series(1, 3000)",
                   "INSERT INTO assertion_ids SELECT 'ISSUER0001', 'jti-' || n, "
                   "n FROM generate_series(1, 3000) AS n",
                   "INSERT INTO retired_pans SELECT 'ISSUER0001', 'pan-' || n, "
                   "n FROM generate_series(1, 10) AS n"}));
  const auto analyzed = [&](const char* table) {
    return db.QueryInt(std::string("SELECT COUNT(*) FROM pg_stat_user_tables WHERE relname = '") +
                       table + "' AND last_analyze IS NOT NULL") == 1;
  };
  {
    StatisticsKeeper keeper(db.url(), std::chrono::milliseconds(50));
    EXPECT_TRUE(
        testing::WaitUntil([&] { return analyzed("assertion_ids"); }, std::chrono::seconds(30)));
  }
  EXPECT_FALSE(analyzed("retired_pans"));
  EXPECT_FALSE(analyzed("not_ours"));
  EXPECT_EQ(db.QueryInt("SELECT n_mod_since_analyze FROM pg_stat_user_tables "
                        "WHERE relname = 'assertion_ids'"),
            0);
}

}  // namespace
}  // namespace c2p::store::postgres
