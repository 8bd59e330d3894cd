#pragma once
// The single writer behind Store::Write on SQLite: store/group_commit.hpp's queue and
// thread, with a group run as one BEGIN IMMEDIATE transaction (each unit under its own
// savepoint, so a failing unit is rolled back alone) made durable by one COMMIT, i.e. one
// fsync. A group of one unit has no savepoint: SQLite copies every page a savepoint
// changes into its statement journal, which for a batch chunk (most often alone in its
// group) was about a third of what the writer wrote. Its failure rolls the transaction
// back instead.

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/error.hpp"
#include "store/group_commit.hpp"
#include "store/sqlite/connection.hpp"
#include "store/store.hpp"
#include "store/writer_metrics.hpp"

namespace c2p::store::sqlite {

class SqliteWriteTx;

using WriterMetrics = store::WriterMetrics;

class GroupWriter {
 public:
  // Takes ownership of `conn` (read-write, WAL, migrated) and starts the writer thread.
  GroupWriter(Connection conn, std::size_t max_batch, WriterMetrics metrics);
  // Closes.
  ~GroupWriter();
  GroupWriter(const GroupWriter&) = delete;
  GroupWriter& operator=(const GroupWriter&) = delete;

  // See Store::Write. The writer must outlive the returned awaitable.
  boost::asio::awaitable<core::Result<void>> Write(WriteWork work, WritePriority priority) {
    return committer_.Write(std::move(work), priority);
  }

  // Commits what is queued, then stops the thread and closes the connection; later writes
  // fail with kUnavailable. Idempotent. Not from inside a unit of work.
  void Close();

 private:
  core::Result<void> RunGroup(const std::vector<const WriteWork*>& units,
                              std::vector<core::Result<void>>& outcomes);
  core::Result<void> RunTransaction(const std::vector<const WriteWork*>& units,
                                    std::vector<core::Result<void>>& outcomes);
  core::Result<void> RunUnit(SqliteWriteTx& tx, const WriteWork& work, core::Result<void>& outcome);
  // The group's only unit: its outcome, then COMMIT or ROLLBACK.
  core::Result<void> RunAlone(SqliteWriteTx& tx, const WriteWork& work,
                              std::vector<core::Result<void>>& outcomes);

  std::optional<Connection> conn_;  // the writer thread's alone; reset by Close()
  GroupCommitter committer_;        // last: its thread starts once conn_ is in place
};

}  // namespace c2p::store::sqlite
