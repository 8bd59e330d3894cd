#include "store/postgres/migrations.hpp"

#include <array>
#include <chrono>

#include "core/time_format.hpp"
#include "store/postgres/assertion_sql.hpp"
#include "store/postgres/batch_sql.hpp"
#include "store/postgres/binding.hpp"
#include "store/postgres/engine_sql.hpp"
#include "store/postgres/notification_sql.hpp"
#include "store/postgres/registry_sql.hpp"
#include "store/postgres/sql.hpp"
#include "store/postgres/token_service_sql.hpp"

namespace c2p::store::postgres {

namespace {

// The same versions as sqlite/migrations.cpp (6 and 7 were never shipped there either).
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

core::Result<void> Apply(Connection& conn, const Migration& m) {
  if (auto done = conn.Exec(m.sql); !done) {
    auto error = done.error();
    error.message = "migration " + std::to_string(m.version) + " (" + std::string(m.name) +
                    ") failed: " + error.message;
    return tl::unexpected(std::move(error));
  }
  return Done(Query(conn, sql::kInsertMigration, m.version, m.name, core::UnixSecondsNow()));
}

// The body of ApplyMigrations, run inside its transaction.
core::Result<int> ApplyPending(Connection& conn, std::span<const Migration> migrations) {
  if (auto locked = Done(Query(conn, sql::kLockMigrations)); !locked) {
    return tl::unexpected(locked.error());
  }
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
  // One by one rather than "everything above the current version", as in SQLite.
  for (const auto& m : migrations) {
    auto applied = Any(Query(conn, sql::kSelectMigrationApplied, m.version));
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
  if (auto begin = conn.Exec(sql::kBegin); !begin) return tl::unexpected(begin.error());
  auto version = ApplyPending(conn, migrations);
  if (version) {
    if (auto commit = conn.Commit(); !commit) version = tl::unexpected(commit.error());
  }
  // The rollback also undoes half-applied migrations and releases the lock.
  if (!version && conn.InTransaction()) (void)conn.Exec(sql::kRollback);
  return version;
}

core::Result<int> ReadSchemaVersion(Connection& conn) {
  auto version = FirstInt(Query(conn, sql::kSelectSchemaVersion));
  if (!version) return tl::unexpected(std::move(version.error()));
  return static_cast<int>(*version);
}

}  // namespace c2p::store::postgres
