#include "store/postgres/group_writer.hpp"

#include <utility>

#include "store/postgres/sql.hpp"
#include "store/postgres/write_tx.hpp"

namespace c2p::store::postgres {

GroupWriter::GroupWriter(std::vector<Connection> conns, std::size_t max_batch,
                         WriterMetrics metrics)
    : conns_(std::move(conns)),
      made_at_(conns_.size(), 0),
      committer_(
          max_batch, std::move(metrics),
          [this](std::size_t worker, const std::vector<const WriteWork*>& units,
                 std::vector<core::Result<void>>& outcomes) {
            return RunGroup(worker, units, outcomes);
          },
          conns_.size()) {}

GroupWriter::~GroupWriter() { Close(); }

void GroupWriter::Close() {
  if (committer_.Close()) conns_.clear();
}

core::Result<void> GroupWriter::RunGroup(std::size_t worker,
                                         const std::vector<const WriteWork*>& units,
                                         std::vector<core::Result<void>>& outcomes) {
  Connection& conn = conns_[worker];
  core::Result<void> committed;
  // A connection lost by an earlier group, or made before another thread found its own
  // lost, is made again for this one (a bounded wait: the connect timeout), so the store
  // recovers by itself once PostgreSQL is back.
  const std::uint64_t losses = losses_.load();
  if (conn.Broken() || made_at_[worker] < losses) {
    made_at_[worker] = losses;
    committed = conn.Reset();
    // A reconnection that failed is no news: the others meet the same outage themselves.
    if (!committed) return committed;
  }
  committed = RunTransaction(conn, units, outcomes);
  if (!committed) {
    conn.DropLater();
    if (conn.Broken()) {
      // One restart counts once: the first thread to find its session gone moves the
      // count on from what it was when that session was made; the others, finding theirs
      // gone too, see it moved already.
      std::uint64_t expected = made_at_[worker];
      losses_.compare_exchange_strong(expected, expected + 1);
    } else if (conn.InTransaction()) {
      (void)conn.Exec(sql::kRollback);
    }
  }
  return committed;
}

core::Result<void> GroupWriter::RunTransaction(Connection& conn,
                                               const std::vector<const WriteWork*>& units,
                                               std::vector<core::Result<void>>& outcomes) {
  // BEGIN, each SAVEPOINT and each RELEASE travel with the statement that follows them
  // (Connection::Later): a group of n units of k statements costs n·k + 1 round trips,
  // not n·(k + 2) + 2.
  conn.Later(sql::kBegin);
  PgWriteTx tx(conn);
  for (const WriteWork* work : units) {
    core::Result<void> outcome;
    if (auto ran = RunUnit(conn, tx, *work, outcome); !ran) return ran;
    outcomes.push_back(std::move(outcome));
  }
  return conn.Commit();
}

core::Result<void> GroupWriter::RunUnit(Connection& conn, PgWriteTx& tx, const WriteWork& work,
                                        core::Result<void>& outcome) {
  conn.Later(sql::kSavepointUnit);
  outcome = RunUnitOfWork(tx, work);
  if (conn.Broken()) {
    return core::Fail(core::ErrorCode::kUnavailable, "connection to PostgreSQL lost");
  }
  // Unlike SQLite, a failed statement aborts the transaction: a unit that swallowed one
  // cannot have written what it meant to, so it fails and is rolled back alone.
  if (outcome && conn.TransactionFailed()) {
    outcome = core::Fail(core::ErrorCode::kInternal, "a statement of the unit failed");
  }
  if (!outcome) {
    if (auto undo = conn.Exec(sql::kRollbackToUnit); !undo) return undo;
  }
  conn.Later(sql::kReleaseUnit);
  return {};
}

}  // namespace c2p::store::postgres
