// PostgreSQL's migrations on a fresh database each: applied once and in one transaction,
// a failing one leaving the schema as it was, a newer database refused.

#include "store/postgres/migrations.hpp"

#include <array>

#include <gtest/gtest.h>

#include "tests/support/test_postgres.hpp"

namespace c2p::store::postgres {
namespace {

using core::ErrorCode;

constexpr std::string_view kCreateExtra = "CREATE TABLE extra (id BIGINT PRIMARY KEY)";
constexpr std::string_view kBroken = "CREATE TABLE broken (id BIGINT PRIMARY KEY,";

class PgMigrationsTest : public ::testing::Test {
 protected:
  Connection OpenConn() {
    EXPECT_EQ(db_.error(), "");
    auto conn = Connection::Open(db_.url(), 5);
    EXPECT_TRUE(conn) << conn.error().message;
    return std::move(*conn);
  }

  c2p::testing::PostgresDatabase db_;
};

TEST_F(PgMigrationsTest, AppliesEveryMigrationOnceAcrossReopens) {
  auto conn = OpenConn();
  ASSERT_EQ(ApplyMigrations(conn).value(), NewestMigrationVersion());
  auto again = OpenConn();
  EXPECT_EQ(ApplyMigrations(again).value(), NewestMigrationVersion());
  EXPECT_EQ(db_.QueryInt("SELECT COUNT(*) FROM schema_migrations"),
            static_cast<std::int64_t>(Migrations().size()));
  EXPECT_FALSE(conn.InTransaction());
}

TEST_F(PgMigrationsTest, FailedMigrationLeavesSchemaUnchanged) {
  auto conn = OpenConn();
  ASSERT_EQ(ApplyMigrations(conn, Migrations().first(1)).value(), 1);
  const std::array more{Migrations()[0], Migration{2, "create_extra", kCreateExtra},
                        Migration{3, "broken", kBroken}};
  auto applied = ApplyMigrations(conn, more);
  ASSERT_FALSE(applied);
  EXPECT_NE(applied.error().message.find("migration 3 (broken)"), std::string::npos)
      << applied.error().message;
  EXPECT_FALSE(conn.InTransaction());
  EXPECT_EQ(ReadSchemaVersion(conn).value(), 1);
  // Migration 2 was rolled back with 3 (DDL is transactional): it applies afresh.
  const std::array two{Migrations()[0], Migration{2, "create_extra", kCreateExtra}};
  EXPECT_EQ(ApplyMigrations(conn, two).value(), 2);
}

TEST_F(PgMigrationsTest, RefusesDatabaseNewerThanTheBinary) {
  auto conn = OpenConn();
  const int newer = NewestMigrationVersion() + 1;
  const std::array more{Migrations()[0], Migration{newer, "create_extra", kCreateExtra}};
  ASSERT_EQ(ApplyMigrations(conn, more).value(), newer);
  auto applied = ApplyMigrations(conn);
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().code, ErrorCode::kConfigInvalid);
  EXPECT_EQ(ReadSchemaVersion(conn).value(), newer);
}

TEST_F(PgMigrationsTest, SameVersionsAsSqlite) {
  std::vector<int> versions;
  for (const auto& m : Migrations()) versions.push_back(m.version);
  EXPECT_EQ(versions, (std::vector<int>{1, 2, 3, 4, 5, 8, 9, 10, 11, 12}));
}

}  // namespace
}  // namespace c2p::store::postgres
