#include "store/postgres/group_writer.hpp"

#include <utility>

#include "store/postgres/sql.hpp"
#include "store/postgres/write_tx.hpp"

namespace c2p::store::postgres {

GroupWriter::GroupWriter(Connection conn, std::size_t max_batch, WriterMetrics metrics)
    : conn_(std::move(conn)),
      committer_(
          max_batch, std::move(metrics),
          [this](const std::vector<const WriteWork*>& units,
                 std::vector<core::Result<void>>& outcomes) { return RunGroup(units, outcomes); }) {
}

GroupWriter::~GroupWriter() { Close(); }

void GroupWriter::Close() {
  if (committer_.Close()) conn_.reset();
}

core::Result<void> GroupWriter::RunGroup(const std::vector<const WriteWork*>& units,
                                         std::vector<core::Result<void>>& outcomes) {
  core::Result<void> committed;
  // A connection lost by an earlier group is re-made for this one (a bounded wait: the
  // connect timeout), so the store recovers by itself once PostgreSQL is back.
  if (conn_->Broken()) committed = conn_->Reset();
  if (committed) committed = RunTransaction(units, outcomes);
  if (!committed) {
    conn_->DropLater();
    if (!conn_->Broken() && conn_->InTransaction()) (void)conn_->Exec(sql::kRollback);
  }
  return committed;
}

core::Result<void> GroupWriter::RunTransaction(const std::vector<const WriteWork*>& units,
                                               std::vector<core::Result<void>>& outcomes) {
  // BEGIN, each SAVEPOINT and each RELEASE travel with the statement that follows them
  // (Connection::Later): a group of n units of k statements costs n·k + 1 round trips,
  // not n·(k + 2) + 2.
  conn_->Later(sql::kBegin);
  PgWriteTx tx(*conn_);
  for (const WriteWork* work : units) {
    core::Result<void> outcome;
    if (auto ran = RunUnit(tx, *work, outcome); !ran) return ran;
    outcomes.push_back(std::move(outcome));
  }
  return conn_->Commit();
}

core::Result<void> GroupWriter::RunUnit(PgWriteTx& tx, const WriteWork& work,
                                        core::Result<void>& outcome) {
  conn_->Later(sql::kSavepointUnit);
  outcome = RunUnitOfWork(tx, work);
  if (conn_->Broken()) {
    return core::Fail(core::ErrorCode::kUnavailable, "connection to PostgreSQL lost");
  }
  // Unlike SQLite, a failed statement aborts the transaction: a unit that swallowed one
  // cannot have written what it meant to, so it fails and is rolled back alone.
  if (outcome && conn_->TransactionFailed()) {
    outcome = core::Fail(core::ErrorCode::kInternal, "a statement of the unit failed");
  }
  if (!outcome) {
    if (auto undo = conn_->Exec(sql::kRollbackToUnit); !undo) return undo;
  }
  conn_->Later(sql::kReleaseUnit);
  return {};
}

}  // namespace c2p::store::postgres
