#pragma once
// A thin RAII layer over one libpq connection. Statements are the named constants of the
// *_sql.hpp files (`Sql`): each is prepared once per connection under its constant's
// name, on first use. Failures are core::Result values: a lost or refused connection and
// the server's resource or shutdown errors are kUnavailable (the API answers 503), any
// other SQLSTATE (a constraint violated, bad SQL) means c2p sent something wrong and is
// kInternal, as with the SQLite backend.
//
// A Connection is used by one thread at a time; the store hands each one to one owner.
// The writer runs its statements synchronously (Run) on its own thread; readers answer on
// the caller's reactor without blocking it (AwaitRead).

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/error.hpp"

struct pg_conn;
struct pg_result;

namespace c2p::store::postgres {

// One statement: `name` is the constant's own name (the prepared statement's name on the
// server), `text` its SQL with $1, $2… parameters.
struct Sql {
  std::string_view name;
  std::string_view text;
};

// Declares `inline constexpr Sql id{"id", text}`, so a statement cannot be named apart
// from its constant.
#define C2P_PG_SQL(id, text) \
  inline constexpr ::c2p::store::postgres::Sql id { #id, text }

// The parameters of one statement, in order ($1, $2…). Text and integers travel in text
// format, blobs in binary; a string's length is explicit, so an embedded NUL is refused by
// the server instead of silently cutting the value short.
class Params {
 public:
  void Text(std::string_view text);
  void Int(std::int64_t value);
  void Bytes(std::span<const std::uint8_t> bytes);
  void Null();

  int size() const { return static_cast<int>(values_.size()); }
  std::vector<const char*> Values() const;
  const std::vector<int>& Lengths() const { return lengths_; }
  const std::vector<int>& Formats() const { return formats_; }

 private:
  std::vector<std::optional<std::string>> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

// A statement's result rows, read in binary format. Views stay valid while the Result
// lives.
class Result {
 public:
  Result() = default;
  Result(Result&&) noexcept = default;
  Result& operator=(Result&&) noexcept = default;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  ~Result() = default;

  int Rows() const;
  // Rows an INSERT, UPDATE or DELETE changed.
  std::int64_t Affected() const;
  bool IsNull(int row, int column) const;
  std::string_view Text(int row, int column) const;
  // An integer column of any width (SELECT 1 is int4, COUNT(*) int8).
  std::int64_t Int(int row, int column) const;
  std::vector<std::uint8_t> Bytes(int row, int column) const;

 private:
  friend class Connection;
  struct Clear {
    void operator()(pg_result* result) const;
  };
  explicit Result(pg_result* result) : result_(result) {}
  std::unique_ptr<pg_result, Clear> result_;
};

class Connection {
 public:
  // Connects to `url` (postgresql://…), waiting at most `connect_timeout_s` seconds.
  static core::Result<Connection> Open(const std::string& url, int connect_timeout_s);

  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() = default;

  // Runs `sql` (one or more statements, no parameters) with the simple protocol: for
  // transactions and migrations. The error message includes the server's explanation,
  // which for these statements holds no data.
  core::Result<void> Exec(std::string_view sql);

  // Queues `command` (BEGIN, SAVEPOINT, RELEASE: no parameters, no rows, a static
  // constant) to travel with the next Run, Exec or Commit, in the same round trip: with
  // Run in pipeline mode, with Exec and Commit in the same query string. The writer
  // queues its transaction and savepoint commands so that a unit costs only its own
  // statements' round trips. A queued command that fails is the next call's failure,
  // and the transaction can then no longer commit: a RELEASE that failed would otherwise
  // let the next unit's ROLLBACK TO undo a unit already reported done.
  void Later(std::string_view command);
  // Forgets the queued commands (a group given up before sending them).
  void DropLater();

  // COMMIT, failing (kUnavailable) unless the server answers that it committed: COMMIT of
  // an aborted transaction "succeeds" with a ROLLBACK, and a lost connection leaves the
  // outcome unknown.
  core::Result<void> Commit();

  // Runs the prepared statement `sql` (prepared now if this session has not yet).
  core::Result<Result> Run(const Sql& sql, const Params& params);

  // Runs `query` — a read written against Run that runs one statement, as every query
  // function of this backend is — without blocking the calling thread: the statement is
  // sent in non-blocking mode and the caller's coroutine waits for the socket on its own
  // executor's reactor. `query` runs twice: once to learn its statement and parameters
  // (Run answers "deferred" and the result is dropped), and once the server's answer is
  // in, which Run then hands back. So reactors and the writer share one set of query
  // functions. A query that asks for a second statement fails with kInternal.
  template <typename Query>
  boost::asio::awaitable<std::invoke_result_t<Query&, Connection&>> AwaitRead(Query query);

  // The session is gone (server restarted, network cut).
  bool Broken() const;
  // Reconnects in place (a new session: statements are prepared again). kUnavailable
  // when the server still cannot be reached.
  core::Result<void> Reset();
  // The same without blocking the calling thread, for a reader about to serve a reactor:
  // the connection is re-made step by step while the caller's coroutine waits for the
  // socket, within `timeout`.
  boost::asio::awaitable<core::Result<void>> ResetAwaited(std::chrono::milliseconds timeout);

  // For LISTEN: the session's socket, to wait on with poll(); -1 when there is none.
  int Socket() const;
  // Reads what the server sent (without blocking) and returns the payloads of the
  // notifications received on `channel` since the last call. kUnavailable when the
  // session is gone.
  core::Result<std::vector<std::string>> TakeNotifications(std::string_view channel);

  // Inside BEGIN…COMMIT (or a failed transaction waiting for ROLLBACK).
  bool InTransaction() const;
  // Inside a transaction that a failed statement has aborted.
  bool TransactionFailed() const;

 private:
  // The statement a read asked for on its first pass, then the answer for its second.
  struct Deferred {
    std::optional<Sql> sql;
    Params params;
    std::optional<core::Result<Result>> answer;
  };
  // Points the connection's Run at `deferred` for a scope.
  class DeferTo {
   public:
    DeferTo(Connection& conn, Deferred& deferred) : conn_(conn) { conn_.deferred_ = &deferred; }
    ~DeferTo() { conn_.deferred_ = nullptr; }
    DeferTo(const DeferTo&) = delete;
    DeferTo& operator=(const DeferTo&) = delete;

   private:
    Connection& conn_;
  };
  core::Result<Result> RunDeferred(const Sql& sql, const Params& params);
  // Run with the queued commands ahead of it, in one pipeline.
  core::Result<Result> RunPipelined(const std::string& name, const Params& params);
  // Sends `sql` (preparing it first if needed) and waits for its answer without blocking.
  boost::asio::awaitable<core::Result<Result>> SendAndWait(const Sql& sql, const Params& params);

  struct Finish {
    void operator()(pg_conn* conn) const;
  };
  explicit Connection(pg_conn* conn) : conn_(conn) {}
  core::Result<void> Prepare(const Sql& sql);
  core::Error ResultError(const pg_result* result, std::string_view what) const;

  std::unique_ptr<pg_conn, Finish> conn_;
  // Names of the statements prepared in this session (they point at static constants).
  std::unordered_set<std::string_view> prepared_;
  Deferred* deferred_ = nullptr;
  std::vector<std::string_view> later_;  // static constants
  bool later_failed_ = false;            // until the transaction ends
  // A read was abandoned with its statement in flight (its coroutine destroyed): the
  // session's state is unknown, so it counts as broken and is re-made when next leased.
  bool stale_ = false;
};

template <typename Query>
boost::asio::awaitable<std::invoke_result_t<Query&, Connection&>> Connection::AwaitRead(
    Query query) {
  Deferred deferred;
  {
    const DeferTo learn(*this, deferred);
    (void)query(*this);
  }
  if (!deferred.sql) co_return query(*this);  // it asked for nothing: nothing to wait for
  deferred.answer = co_await SendAndWait(*deferred.sql, deferred.params);
  const DeferTo answer(*this, deferred);
  co_return query(*this);
}

}  // namespace c2p::store::postgres
