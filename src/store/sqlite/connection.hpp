#pragma once
// A thin RAII layer over one sqlite3 connection and its prepared statements. Failures are
// core::Result values: the environment's failures (busy, I/O, full disk, read-only file)
// are kUnavailable, anything else means c2p sent something wrong and is kInternal.
//
// A Connection is used by one thread at a time (it is opened in SQLite's multi-thread
// mode); the store hands each one to a single owner.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "core/time_format.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace c2p::store::sqlite {

// The error for SQLite result code `rc` while doing `what`. The message carries only the
// generic text of the code, never the statement or the data.
core::Error SqliteError(int rc, std::string_view what);

// A prepared statement borrowed from its connection's cache. Binding errors are kept and
// reported by the next Step()/Run(), so call sites read as one chain. On destruction the
// statement is reset and its bindings cleared: a statement left mid-step would otherwise
// hold its read snapshot open and hide later commits from this connection.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based (?1, ?2...). Text is copied.
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, std::int64_t value);
  // Bytes are copied; an empty span binds an empty blob, not NULL.
  Statement& BindBlob(int index, std::span<const std::uint8_t> bytes);
  Statement& BindNull(int index);

  // Advances one row: true when a row is ready to read, false when done.
  core::Result<bool> Step();
  // Steps to completion, ignoring rows: for statements that change data.
  core::Result<void> Run();

  // Columns of the current row, 0-based. The view is valid until the next Step().
  std::string_view ColumnText(int index) const;
  std::int64_t ColumnInt64(int index) const;
  // A copy of a BLOB column (empty for NULL).
  std::vector<std::uint8_t> ColumnBlob(int index) const;
  bool ColumnIsNull(int index) const;

 private:
  friend class Connection;
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}

  sqlite3_stmt* stmt_;
  int bind_rc_ = 0;  // first failed bind, SQLITE_OK (0) if none
};

class Connection {
 public:
  enum class Access {
    kReadWrite,  // creates the file if missing
    kReadOnly,
  };

  // Opens `path` (a plain file path; URIs are not interpreted), with foreign keys on and
  // `busy_timeout` as the longest wait for another connection's lock. Journal mode and
  // synchronous level are the caller's choice (the writer sets them).
  static core::Result<Connection> Open(const std::string& path, Access access,
                                       std::chrono::milliseconds busy_timeout);

  Connection(Connection&&) = default;
  Connection& operator=(Connection&&) = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() = default;

  // Runs one or more statements without parameters, ignoring rows. Meant for start-up
  // (migrations): the error message includes SQLite's own explanation.
  core::Result<void> Exec(std::string_view sql);

  // The prepared form of `sql`, compiled on first use and cached for the connection's life.
  core::Result<Statement> Prepare(std::string_view sql);

  // Prepares, runs to completion and releases `sql`.
  core::Result<void> Run(std::string_view sql);

  // False in autocommit mode: outside BEGIN...COMMIT, or after SQLite rolled a
  // transaction back on its own (which it does after some I/O and disk-full errors).
  bool InTransaction() const;

  // Copies the WAL's committed frames that no reader still needs into the database file
  // (a PASSIVE checkpoint: it never waits for the writer or a reader).
  core::Result<void> CheckpointPassive();

  // The rowid of the last INSERT on this connection, and the rows the last statement
  // changed.
  std::int64_t LastInsertRowId() const;
  int Changes() const;

 private:
  struct CloseDb {
    void operator()(sqlite3* db) const;
  };
  struct FinalizeStmt {
    void operator()(sqlite3_stmt* stmt) const;
  };

  // Lets the cache be searched with a string_view, so a cache hit allocates nothing.
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const {
      return std::hash<std::string_view>{}(sql);
    }
  };

  explicit Connection(sqlite3* db) : db_(db) {}

  std::unique_ptr<sqlite3, CloseDb> db_;
  // Declared after db_ so statements are finalized before the connection closes.
  std::unordered_map<std::string, std::unique_ptr<sqlite3_stmt, FinalizeStmt>, SqlHash,
                     std::equal_to<>>
      cache_;
};

}  // namespace c2p::store::sqlite
