#include "store/sqlite/migrations.hpp"

#include <gtest/gtest.h>

#include <array>

#include "store/sqlite/registry_queries.hpp"
#include "store/sqlite/sql.hpp"
#include "store/store_test_util.hpp"

namespace c2p::store::sqlite {
namespace {

using core::ErrorCode;

// Test-only migrations, on top of the real first one.
constexpr std::string_view kCreateExtra = "CREATE TABLE extra (id INTEGER PRIMARY KEY) STRICT";
constexpr std::string_view kBroken = "CREATE TABLE half (id INTEGER) STRICT; SELEKT 1";

class MigrationsTest : public ::testing::Test {
 protected:
  Connection OpenConn() {
    auto conn = Connection::Open(dir_.File("m.db"), Connection::Access::kReadWrite,
                                 std::chrono::milliseconds(100));
    EXPECT_TRUE(conn) << conn.error().message;
    return std::move(*conn);
  }

  testing::TempDir dir_;
};

TEST_F(MigrationsTest, BuiltInListStartsAtOneAndIncreases) {
  ASSERT_FALSE(Migrations().empty());
  EXPECT_EQ(Migrations().front().version, 1);
  EXPECT_EQ(NewestMigrationVersion(), Migrations().back().version);
}

TEST_F(MigrationsTest, AppliesEachMigrationOnceAcrossReopens) {
  std::vector<AppliedMigration> first;
  {
    auto conn = OpenConn();
    ASSERT_EQ(ApplyMigrations(conn).value(), NewestMigrationVersion());
    first = ListAppliedMigrations(conn).value();
  }
  auto conn = OpenConn();
  ASSERT_EQ(ApplyMigrations(conn).value(), NewestMigrationVersion());
  ASSERT_EQ(ApplyMigrations(conn).value(), NewestMigrationVersion());
  const auto again = ListAppliedMigrations(conn).value();
  ASSERT_EQ(again.size(), Migrations().size());
  ASSERT_EQ(again.size(), first.size());
  for (std::size_t i = 0; i < again.size(); ++i) {
    EXPECT_EQ(again[i].version, Migrations()[i].version);
    EXPECT_EQ(again[i].name, Migrations()[i].name);
    EXPECT_EQ(again[i].applied_at, first[i].applied_at);  // not re-recorded
  }
}

TEST_F(MigrationsTest, AppliesOnlyTheNewOnes) {
  auto conn = OpenConn();
  ASSERT_EQ(ApplyMigrations(conn, Migrations().first(1)).value(), 1);
  const std::array more{Migrations()[0], Migration{2, "create_extra", kCreateExtra}};
  // Migration 1 would fail if run again: its CREATE TABLE has no IF NOT EXISTS.
  ASSERT_EQ(ApplyMigrations(conn, more).value(), 2);
  EXPECT_EQ(ReadSchemaVersion(conn).value(), 2);
  EXPECT_EQ(ListAppliedMigrations(conn).value().size(), 2u);
}

// Migration 3 (token_service) on a registry that already holds cards: they keep
// everything and have no digital card id yet.
TEST_F(MigrationsTest, TokenServiceMigrationKeepsExistingCards) {
  auto conn = OpenConn();
  ASSERT_EQ(ApplyMigrations(conn, Migrations().first(2)).value(), 2);
  ASSERT_TRUE(conn.Exec(
      "INSERT INTO consumers VALUES ('ISSUER0001', 'c1', 'ACTIVE', NULL, 1, 1);"
      "INSERT INTO cards (issuer_id, card_id, consumer_id, card_product_id, network, state, "
      "pan_index, pan, exp, name, pan_last4, click_to_pay_status, created_ms, updated_ms) "
      "VALUES ('ISSUER0001', 'card1', 'c1', 'VISA_CLASSIC', 'VISA', 'ACTIVE', 'idx', x'01', "
      "x'02', NULL, '1111', 'ENROLLED', 1, 1)"));
  ASSERT_GE(ApplyMigrations(conn).value(), 3);
  auto card = QueryNewestCard(conn, "ISSUER0001", "card1").value();
  ASSERT_TRUE(card);
  EXPECT_EQ(card->click_to_pay_status, "ENROLLED");
  EXPECT_EQ(card->pan, (Blob{1}));
  EXPECT_FALSE(card->digital_card_id);
  EXPECT_EQ(Migrations()[2].version, 3);
  EXPECT_EQ(Migrations()[2].name, "token_service");
}

// Migration 5 (digital_card_status) on cards holding tokens: none of them is suspended.
TEST_F(MigrationsTest, DigitalCardStatusMigrationLeavesTokensActive) {
  auto conn = OpenConn();
  ASSERT_EQ(ApplyMigrations(conn, Migrations().first(4)).value(), 4);
  ASSERT_TRUE(conn.Exec(
      "INSERT INTO consumers VALUES ('ISSUER0001', 'c1', 'ACTIVE', NULL, 1, 1);"
      "INSERT INTO cards (issuer_id, card_id, consumer_id, card_product_id, network, state, "
      "pan_index, pan, exp, name, pan_last4, click_to_pay_status, created_ms, updated_ms, "
      "digital_card_id) VALUES ('ISSUER0001', 'card1', 'c1', 'VISA_CLASSIC', 'VISA', 'ACTIVE', "
      "'idx', x'01', x'02', NULL, '1111', 'ENROLLED', 1, 1, 'vdc_1')"));
  ASSERT_GE(ApplyMigrations(conn).value(), 5);
  auto card = QueryNewestCard(conn, "ISSUER0001", "card1").value();
  ASSERT_TRUE(card);
  EXPECT_EQ(card->digital_card_id, "vdc_1");
  EXPECT_FALSE(card->suspended_digital_card_id);
  EXPECT_EQ(Migrations()[4].version, 5);
  EXPECT_EQ(Migrations()[4].name, "digital_card_status");
}

TEST_F(MigrationsTest, FailedMigrationLeavesSchemaUnchanged) {
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
  // Migration 2 was rolled back with 3, so applying 1..2 now creates its table afresh.
  const std::array two{Migrations()[0], Migration{2, "create_extra", kCreateExtra}};
  EXPECT_EQ(ApplyMigrations(conn, two).value(), 2);
}

TEST_F(MigrationsTest, RefusesDatabaseNewerThanTheBinary) {
  auto conn = OpenConn();
  const int newer = NewestMigrationVersion() + 1;
  const std::array more{Migrations()[0], Migration{newer, "create_extra", kCreateExtra}};
  ASSERT_EQ(ApplyMigrations(conn, more).value(), newer);
  auto applied = ApplyMigrations(conn);
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().code, ErrorCode::kConfigInvalid);
  EXPECT_EQ(ReadSchemaVersion(conn).value(), newer);
}

TEST_F(MigrationsTest, RejectsListOutOfOrder) {
  auto conn = OpenConn();
  const std::array wrong{Migration{2, "b", kCreateExtra}, Migration{1, "a", kCreateExtra}};
  auto applied = ApplyMigrations(conn, wrong);
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().code, ErrorCode::kInternal);
}

}  // namespace
}  // namespace c2p::store::sqlite
