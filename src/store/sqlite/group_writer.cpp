#include "store/sqlite/group_writer.hpp"

#include <utility>

#include "store/sqlite/sql.hpp"
#include "store/sqlite/write_tx.hpp"

namespace c2p::store::sqlite {

GroupWriter::GroupWriter(Connection conn, std::size_t max_batch, WriterMetrics metrics)
    : conn_(std::move(conn)),
      committer_(
          max_batch, std::move(metrics),
          // One writer thread (worker 0): SQLite allows one writing transaction at a time.
          [this](std::size_t /*worker*/, const std::vector<const WriteWork*>& units,
                 std::vector<core::Result<void>>& outcomes) { return RunGroup(units, outcomes); }) {
}

GroupWriter::~GroupWriter() { Close(); }

void GroupWriter::Close() {
  if (committer_.Close()) conn_.reset();
}

core::Result<void> GroupWriter::RunGroup(const std::vector<const WriteWork*>& units,
                                         std::vector<core::Result<void>>& outcomes) {
  auto committed = RunTransaction(units, outcomes);
  if (!committed && conn_->InTransaction()) (void)conn_->Run(sql::kRollback);
  return committed;
}

core::Result<void> GroupWriter::RunTransaction(const std::vector<const WriteWork*>& units,
                                               std::vector<core::Result<void>>& outcomes) {
  if (auto begin = conn_->Run(sql::kBeginImmediate); !begin) return begin;
  SqliteWriteTx tx(*conn_);
  if (units.size() == 1) return RunAlone(tx, *units.front(), outcomes);
  for (const WriteWork* work : units) {
    core::Result<void> outcome;
    if (auto ran = RunUnit(tx, *work, outcome); !ran) return ran;
    outcomes.push_back(std::move(outcome));
  }
  return conn_->Run(sql::kCommit);
}

core::Result<void> GroupWriter::RunAlone(SqliteWriteTx& tx, const WriteWork& work,
                                         std::vector<core::Result<void>>& outcomes) {
  core::Result<void> outcome = RunUnitOfWork(tx, work);
  if (!conn_->InTransaction()) {
    return core::Fail(core::ErrorCode::kUnavailable, "store rolled the transaction back");
  }
  outcomes.push_back(outcome);
  // The transaction is the unit's: it is rolled back whole rather than to a savepoint.
  return conn_->Run(outcome ? sql::kCommit : sql::kRollback);
}

core::Result<void> GroupWriter::RunUnit(SqliteWriteTx& tx, const WriteWork& work,
                                        core::Result<void>& outcome) {
  if (auto savepoint = conn_->Run(sql::kSavepointUnit); !savepoint) return savepoint;
  outcome = RunUnitOfWork(tx, work);
  // After some I/O or disk-full errors SQLite rolls the whole transaction back by itself.
  // Going on would run the next units in autocommit mode, each committing on its own.
  if (!conn_->InTransaction()) {
    return core::Fail(core::ErrorCode::kUnavailable, "store rolled the transaction back");
  }
  if (!outcome) {
    if (auto undo = conn_->Run(sql::kRollbackToUnit); !undo) return undo;
  }
  return conn_->Run(sql::kReleaseUnit);
}

}  // namespace c2p::store::sqlite
