#pragma once
// A thin RAII layer over one libpq connection. Statements are the named constants of the
// *_sql.hpp files (`Sql`): each is prepared once per connection under its constant's
// name, on first use. Failures are core::Result values: a lost or refused connection and
// the server's resource or shutdown errors are kUnavailable (the API answers 503), any
// other SQLSTATE (a constraint violated, bad SQL) means c2p sent something wrong and is
// kInternal, as with the SQLite backend.
//
// A Connection is used by one thread at a time; the store hands each one to one owner.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

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

  // COMMIT, failing (kUnavailable) unless the server answers that it committed: COMMIT of
  // an aborted transaction "succeeds" with a ROLLBACK, and a lost connection leaves the
  // outcome unknown.
  core::Result<void> Commit();

  // Runs the prepared statement `sql` (prepared now if this session has not yet).
  core::Result<Result> Run(const Sql& sql, const Params& params);

  // The session is gone (server restarted, network cut).
  bool Broken() const;
  // Reconnects in place (a new session: statements are prepared again). kUnavailable
  // when the server still cannot be reached.
  core::Result<void> Reset();

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
  struct Finish {
    void operator()(pg_conn* conn) const;
  };
  explicit Connection(pg_conn* conn) : conn_(conn) {}
  core::Result<void> Prepare(const Sql& sql);
  core::Error ResultError(const pg_result* result, std::string_view what) const;

  std::unique_ptr<pg_conn, Finish> conn_;
  // Names of the statements prepared in this session (they point at static constants).
  std::unordered_set<std::string_view> prepared_;
};

}  // namespace c2p::store::postgres
