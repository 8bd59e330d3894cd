#include "store/sqlite/migrations.hpp"

#include <array>

#include "core/time_format.hpp"
#include "store/sqlite/assertion_sql.hpp"
#include "store/sqlite/batch_sql.hpp"
#include "store/sqlite/engine_sql.hpp"
#include "store/sqlite/notification_sql.hpp"
#include "store/sqlite/registry_sql.hpp"
#include "store/sqlite/sql.hpp"
#include "store/sqlite/token_service_sql.hpp"

namespace c2p::store::sqlite {

namespace {

constexpr std::array kMigrations{
    Migration{1, "create_settings", sql::kMigration0001CreateSettings},
    Migration{2, "create_registry", sql::kMigration0002CreateRegistry},
    Migration{3, "token_service", sql::kMigration0003TokenService},
    Migration{4, "create_engine", sql::kMigration0004CreateEngine},
    Migration{5, "digital_card_status", sql::kMigration0005DigitalCardStatus},
    Migration{8, "create_notifications", sql::kMigration0008CreateNotifications},
    Migration{9, "job_queue_per_consumer", sql::kMigration0009JobQueuePerConsumer},
    Migration{10, "create_batch", sql::kMigration0010CreateBatch},
    Migration{11, "job_lanes", sql::kMigration0011JobLanes},
    Migration{12, "assertion_ids", sql::kMigration0012AssertionIds},
};

constexpr bool StrictlyIncreasing(std::span<const Migration> list) {
  int previous = 0;
  for (const auto& m : list) {
    if (m.version <= previous) return false;
    previous = m.version;
  }
  return true;
}
static_assert(StrictlyIncreasing(kMigrations), "migration versions must increase from 1");

core::Result<bool> IsApplied(Connection& conn, int version) {
  auto stmt = conn.Prepare(sql::kSelectMigrationApplied);
  if (!stmt) return tl::unexpected(std::move(stmt.error()));
  return stmt->Bind(1, std::int64_t{version}).Step();
}

core::Result<void> Apply(Connection& conn, const Migration& m) {
  if (auto done = conn.Exec(m.sql); !done) {
    auto error = done.error();
    error.message = "migration " + std::to_string(m.version) + " (" + std::string(m.name) +
                    ") failed: " + error.message;
    return tl::unexpected(std::move(error));
  }
  auto record = conn.Prepare(sql::kInsertMigration);
  if (!record) return tl::unexpected(std::move(record.error()));
  return record->Bind(1, std::int64_t{m.version})
      .Bind(2, m.name)
      .Bind(3, core::UnixSecondsNow())
      .Run();
}

// The body of ApplyMigrations, run inside its transaction.
core::Result<int> ApplyPending(Connection& conn, std::span<const Migration> migrations) {
  if (auto table = conn.Exec(sql::kCreateSchemaMigrations); !table) {
    return tl::unexpected(table.error());
  }
  auto current = ReadSchemaVersion(conn);
  if (!current) return current;
  const int newest = migrations.empty() ? 0 : migrations.back().version;
  if (*current > newest) {
    return core::Fail(core::ErrorCode::kConfigInvalid,
                      "store schema version " + std::to_string(*current) +
                          " is newer than this binary knows (" + std::to_string(newest) + ")");
  }
  // Checked one by one rather than "everything above the current version", so a
  // migration added below an applied one (a merge mistake) still runs exactly once.
  for (const auto& m : migrations) {
    auto applied = IsApplied(conn, m.version);
    if (!applied) return tl::unexpected(std::move(applied.error()));
    if (*applied) continue;
    if (auto done = Apply(conn, m); !done) return tl::unexpected(std::move(done.error()));
  }
  return ReadSchemaVersion(conn);
}

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

int NewestMigrationVersion() { return kMigrations.back().version; }

core::Result<int> ApplyMigrations(Connection& conn, std::span<const Migration> migrations) {
  if (!StrictlyIncreasing(migrations)) {
    return core::Fail(core::ErrorCode::kInternal, "migration versions must increase from 1");
  }
  if (auto begin = conn.Run(sql::kBeginImmediate); !begin) return tl::unexpected(begin.error());
  auto version = ApplyPending(conn, migrations);
  if (!version) {
    // DDL is transactional in SQLite: the rollback also undoes half-applied migrations.
    if (conn.InTransaction()) (void)conn.Run(sql::kRollback);
    return version;
  }
  if (auto commit = conn.Run(sql::kCommit); !commit) {
    if (conn.InTransaction()) (void)conn.Run(sql::kRollback);
    return tl::unexpected(commit.error());
  }
  return version;
}

core::Result<int> ReadSchemaVersion(Connection& conn) {
  auto stmt = conn.Prepare(sql::kSelectSchemaVersion);
  if (!stmt) return tl::unexpected(std::move(stmt.error()));
  auto row = stmt->Step();
  if (!row) return tl::unexpected(std::move(row.error()));
  if (!*row) return core::Fail(core::ErrorCode::kInternal, "schema version query returned no row");
  return static_cast<int>(stmt->ColumnInt64(0));
}

core::Result<std::vector<AppliedMigration>> ListAppliedMigrations(Connection& conn) {
  auto stmt = conn.Prepare(sql::kSelectAppliedMigrations);
  if (!stmt) return tl::unexpected(std::move(stmt.error()));
  std::vector<AppliedMigration> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row) return tl::unexpected(std::move(row.error()));
    if (!*row) return out;
    out.push_back(AppliedMigration{static_cast<int>(stmt->ColumnInt64(0)),
                                   std::string(stmt->ColumnText(1)), stmt->ColumnInt64(2)});
  }
}

}  // namespace c2p::store::sqlite
