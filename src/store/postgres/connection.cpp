#include "store/postgres/connection.hpp"

#include <libpq-fe.h>

#include <array>
#include <cstring>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace c2p::store::postgres {

namespace {

// SQLSTATE classes that describe the environment rather than a bug in c2p: the caller may
// retry later, and the API answers 503 meanwhile.
//   08 connection exception, 40 transaction rollback (serialization, deadlock),
//   53 insufficient resources (disk full, too many connections), 55 object not in
//   prerequisite state (lock not available), 57 operator intervention (shutdown, cancel),
//   58 system error (I/O).
// And 23505, a unique key that a concurrent transaction committed first. Writers run
// concurrently (several connections per node, several nodes), so a unit that looked for
// the key and did not see it can lose that race; its retry sees the winner and gets the
// domain's answer. Other integrity violations (NOT NULL, CHECK) stay bugs.
bool IsEnvironmentFailure(const char* sqlstate) {
  if (sqlstate == nullptr || std::strlen(sqlstate) != 5) return true;  // no answer: lost
  if (std::string_view(sqlstate) == "23505") return true;
  static constexpr std::array<std::string_view, 6> kClasses{"08", "40", "53", "55", "57", "58"};
  const std::string_view klass(sqlstate, 2);
  for (const auto c : kClasses) {
    if (klass == c) return true;
  }
  return false;
}

// The session's socket, watched by the caller's reactor for one read. The descriptor is
// libpq's: released, never closed, when the read is over.
class SocketWatch {
 public:
  SocketWatch(const boost::asio::any_io_executor& executor, int fd) : socket_(executor, fd) {}
  ~SocketWatch() { (void)socket_.release(); }
  SocketWatch(const SocketWatch&) = delete;
  SocketWatch& operator=(const SocketWatch&) = delete;

  // False when the wait failed (the reactor is shutting down).
  boost::asio::awaitable<bool> Wait(boost::asio::posix::descriptor_base::wait_type type) {
    auto [error] =
        co_await socket_.async_wait(type, boost::asio::as_tuple(boost::asio::use_awaitable));
    co_return !error;
  }

 private:
  boost::asio::posix::stream_descriptor socket_;
};

std::uint64_t BigEndian(const char* data, int size) {
  std::uint64_t value = 0;
  for (int i = 0; i < size; ++i) value = (value << 8U) | static_cast<unsigned char>(data[i]);
  return value;
}

}  // namespace

// --- Params ----------------------------------------------------------------------------

void Params::Text(std::string_view text) {
  values_.emplace_back(std::string(text));
  lengths_.push_back(static_cast<int>(text.size()));
  formats_.push_back(1);  // binary: the bytes as they are, length explicit
}

void Params::Int(std::int64_t value) {
  values_.emplace_back(std::to_string(value));
  lengths_.push_back(0);
  formats_.push_back(0);  // text: the server parses it whatever integer width it inferred
}

void Params::Bytes(std::span<const std::uint8_t> bytes) {
  values_.emplace_back(std::string(bytes.begin(), bytes.end()));
  lengths_.push_back(static_cast<int>(bytes.size()));
  formats_.push_back(1);
}

void Params::Null() {
  values_.emplace_back(std::nullopt);
  lengths_.push_back(0);
  formats_.push_back(0);
}

std::vector<const char*> Params::Values() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (const auto& v : values_) out.push_back(v ? v->c_str() : nullptr);
  return out;
}

// --- Result ----------------------------------------------------------------------------

void Result::Clear::operator()(pg_result* result) const { PQclear(result); }

int Result::Rows() const { return PQntuples(result_.get()); }

std::int64_t Result::Affected() const {
  const char* tuples = PQcmdTuples(result_.get());
  return tuples == nullptr || *tuples == '\0' ? 0 : std::stoll(tuples);
}

bool Result::IsNull(int row, int column) const {
  return PQgetisnull(result_.get(), row, column) != 0;
}

std::string_view Result::Text(int row, int column) const {
  return {PQgetvalue(result_.get(), row, column),
          static_cast<std::size_t>(PQgetlength(result_.get(), row, column))};
}

std::int64_t Result::Int(int row, int column) const {
  if (IsNull(row, column)) return 0;
  const int size = PQgetlength(result_.get(), row, column);
  const std::uint64_t raw = BigEndian(PQgetvalue(result_.get(), row, column), size);
  // Sign-extend the narrower widths (int2, int4).
  switch (size) {
    case 2:
      return static_cast<std::int16_t>(raw);
    case 4:
      return static_cast<std::int32_t>(raw);
    default:
      return static_cast<std::int64_t>(raw);
  }
}

std::vector<std::uint8_t> Result::Bytes(int row, int column) const {
  const auto text = Text(row, column);
  return {text.begin(), text.end()};
}

// --- Connection ------------------------------------------------------------------------

void Connection::Finish::operator()(pg_conn* conn) const { PQfinish(conn); }

core::Result<Connection> Connection::Open(const std::string& url, int connect_timeout_s) {
  const std::string timeout = std::to_string(connect_timeout_s);
  // The URL first (expanded), then settings it cannot override. synchronous_commit is
  // forced on for every session, whatever the role's or database's default: an
  // acknowledged write must be flushed on the primary. Given as a connection option, it
  // holds for the sessions PQreset makes too.
  //
  // Prepared statements keep PostgreSQL's plan cache (a generic plan after five
  // executions, made again whenever a table's statistics change): planning every execution
  // cost a third of the server's CPU. Generic plans made while the tables were nearly
  // empty are what StatisticsKeeper (statistics_keeper.hpp) guards against.
  const std::array<const char*, 5> keys{"dbname", "connect_timeout", "application_name", "options",
                                        nullptr};
  const std::array<const char*, 5> values{url.c_str(), timeout.c_str(), "c2pd",
                                          "-c synchronous_commit=on", nullptr};
  Connection conn(PQconnectdbParams(keys.data(), values.data(), 1));
  if (!conn.conn_) return core::Fail(core::ErrorCode::kUnavailable, "out of memory for libpq");
  if (PQstatus(conn.conn_.get()) != CONNECTION_OK) {
    // libpq's message names the host and port, never the password.
    return core::Fail(core::ErrorCode::kUnavailable, std::string("cannot connect to PostgreSQL: ") +
                                                         PQerrorMessage(conn.conn_.get()));
  }
  return conn;
}

core::Error Connection::ResultError(const pg_result* result, std::string_view what) const {
  const char* sqlstate = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const bool environment = Broken() || IsEnvironmentFailure(sqlstate);
  // Only the SQLSTATE: the server's message and detail may quote the values (a unique
  // violation's DETAIL names the key).
  return core::Error::Make(
      environment ? core::ErrorCode::kUnavailable : core::ErrorCode::kInternal,
      std::string(what) + ": SQLSTATE " + (sqlstate ? sqlstate : "none (connection lost)"));
}

void Connection::Later(std::string_view command) { later_.push_back(command); }

void Connection::DropLater() {
  later_.clear();
  later_failed_ = false;
}

core::Result<void> Connection::Exec(std::string_view sql) {
  // The queued commands first, in the same simple-protocol string: the server runs them
  // in order and stops at the first failure, whose result PQexec then returns.
  std::string text;
  for (const auto command : std::exchange(later_, {})) text.append(command).append("; ");
  text.append(sql);
  Result result(PQexec(conn_.get(), text.c_str()));
  const auto status = PQresultStatus(result.result_.get());
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return {};
  auto error = ResultError(result.result_.get(), "exec");
  if (const char* message = PQresultErrorField(result.result_.get(), PG_DIAG_MESSAGE_PRIMARY)) {
    error.message += std::string(" (") + message + ")";
  }
  return tl::unexpected(std::move(error));
}

core::Result<void> Connection::Commit() {
  std::string text;
  for (const auto command : std::exchange(later_, {})) text.append(command).append("; ");
  if (std::exchange(later_failed_, false)) {
    return core::Fail(core::ErrorCode::kUnavailable,
                      "commit: a transaction command failed, the group is given up");
  }
  text.append("COMMIT");
  // With several statements PQexec returns the last one's result: COMMIT's, or the
  // failure that stopped the string before it.
  Result result(PQexec(conn_.get(), text.c_str()));
  if (PQresultStatus(result.result_.get()) != PGRES_COMMAND_OK) {
    return tl::unexpected(ResultError(result.result_.get(), "commit"));
  }
  if (std::string_view(PQcmdStatus(result.result_.get())) != "COMMIT") {
    return core::Fail(core::ErrorCode::kUnavailable, "commit: the transaction was rolled back");
  }
  return {};
}

core::Result<void> Connection::Prepare(const Sql& sql) {
  if (prepared_.contains(sql.name)) return {};
  const std::string name(sql.name);
  const std::string text(sql.text);
  Result result(PQprepare(conn_.get(), name.c_str(), text.c_str(), 0, nullptr));
  if (PQresultStatus(result.result_.get()) != PGRES_COMMAND_OK) {
    return tl::unexpected(ResultError(result.result_.get(), "prepare " + name));
  }
  prepared_.insert(sql.name);
  return {};
}

core::Result<Result> Connection::Run(const Sql& sql, const Params& params) {
  if (deferred_ != nullptr) return RunDeferred(sql, params);
  if (auto prepared = Prepare(sql); !prepared) return tl::unexpected(prepared.error());
  const std::string name(sql.name);
  if (!later_.empty()) return RunPipelined(name, params);
  const auto values = params.Values();
  Result result(PQexecPrepared(conn_.get(), name.c_str(), params.size(), values.data(),
                               params.Lengths().data(), params.Formats().data(), 1));
  const auto status = PQresultStatus(result.result_.get());
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  return tl::unexpected(ResultError(result.result_.get(), name));
}

core::Result<Result> Connection::RunPipelined(const std::string& name, const Params& params) {
  pg_conn* conn = conn_.get();
  const auto commands = std::exchange(later_, {});
  const auto lost = [] {
    return core::Fail(core::ErrorCode::kUnavailable, "PostgreSQL connection lost");
  };
  if (PQenterPipelineMode(conn) != 1) return lost();
  bool sent = true;
  for (const auto command : commands) {
    const std::string text(command);
    sent = sent &&
           PQsendQueryParams(conn, text.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 1) == 1;
  }
  const auto values = params.Values();
  sent = sent && PQsendQueryPrepared(conn, name.c_str(), params.size(), values.data(),
                                     params.Lengths().data(), params.Formats().data(), 1) == 1;
  sent = sent && PQpipelineSync(conn) == 1;
  // Each command's results end with a nullptr, the pipeline with its sync marker; after
  // a failure the rest of the pipeline answers PGRES_PIPELINE_ABORTED. A lost session
  // answers nullptr from then on: two in a row end the reading.
  std::vector<Result> firsts;
  bool in_command = false;
  int nulls = 0;
  while (sent && nulls < 2) {
    pg_result* next = PQgetResult(conn);
    if (next == nullptr) {
      ++nulls;
      in_command = false;
      continue;
    }
    nulls = 0;
    if (PQresultStatus(next) == PGRES_PIPELINE_SYNC) {
      PQclear(next);
      break;
    }
    if (in_command) {
      PQclear(next);
    } else {
      firsts.emplace_back(Result(next));
      in_command = true;
    }
  }
  (void)PQexitPipelineMode(conn);
  if (firsts.size() != commands.size() + 1) return lost();
  for (std::size_t i = 0; i < commands.size(); ++i) {
    if (PQresultStatus(firsts[i].result_.get()) != PGRES_COMMAND_OK) {
      later_failed_ = true;
      return tl::unexpected(ResultError(firsts[i].result_.get(), commands[i]));
    }
  }
  Result& answer = firsts.back();
  const auto status = PQresultStatus(answer.result_.get());
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return std::move(answer);
  return tl::unexpected(ResultError(answer.result_.get(), name));
}

core::Result<Result> Connection::RunDeferred(const Sql& sql, const Params& params) {
  if (deferred_->answer) {
    if (!deferred_->sql || deferred_->sql->name != sql.name) {
      return core::Fail(core::ErrorCode::kInternal, "a read ran another statement when answered");
    }
    auto answer = std::move(*deferred_->answer);
    deferred_->answer.reset();
    return answer;
  }
  if (deferred_->sql) {
    return core::Fail(core::ErrorCode::kInternal, "a read awaited on a reactor runs one statement");
  }
  deferred_->sql = sql;
  deferred_->params = params;
  return core::Fail(core::ErrorCode::kUnavailable, "read deferred");
}

boost::asio::awaitable<core::Result<Result>> Connection::SendAndWait(const Sql& sql,
                                                                     const Params& params) {
  using Wait = boost::asio::posix::descriptor_base::wait_type;
  pg_conn* conn = conn_.get();
  const auto lost = [] {
    return core::Fail(core::ErrorCode::kUnavailable, "PostgreSQL connection lost");
  };
  if (Broken() || PQsetnonblocking(conn, 1) != 0) co_return lost();
  SocketWatch socket(co_await boost::asio::this_coro::executor, PQsocket(conn));
  // Sends what libpq queued, then reads every result of the command: the first is the
  // answer, the last is libpq's end marker (nullptr).
  const auto exchange = [&](std::string_view what) -> boost::asio::awaitable<core::Result<Result>> {
    for (int flushed = PQflush(conn); flushed != 0; flushed = PQflush(conn)) {
      if (flushed < 0 || !co_await socket.Wait(Wait::wait_write)) co_return lost();
      if (PQconsumeInput(conn) != 1) co_return lost();
    }
    std::optional<Result> first;
    for (;;) {
      while (PQisBusy(conn) == 1) {
        if (!co_await socket.Wait(Wait::wait_read) || PQconsumeInput(conn) != 1) co_return lost();
      }
      pg_result* next = PQgetResult(conn);
      if (next == nullptr) break;
      if (first) {
        PQclear(next);
      } else {
        first.emplace(Result(next));
      }
    }
    stale_ = false;  // every result read: the session is idle again
    if (!first) co_return lost();
    const auto status = PQresultStatus(first->result_.get());
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) co_return std::move(*first);
    co_return tl::unexpected(ResultError(first->result_.get(), what));
  };
  const std::string name(sql.name);
  if (!prepared_.contains(sql.name)) {
    const std::string text(sql.text);
    // Until every result is read, a read abandoned here (its coroutine destroyed) leaves
    // the session mid-command.
    stale_ = true;
    if (PQsendPrepare(conn, name.c_str(), text.c_str(), 0, nullptr) != 1) co_return lost();
    auto prepared = co_await exchange("prepare " + name);
    if (!prepared) co_return tl::unexpected(std::move(prepared.error()));
    prepared_.insert(sql.name);
  }
  const auto values = params.Values();
  stale_ = true;
  if (PQsendQueryPrepared(conn, name.c_str(), params.size(), values.data(), params.Lengths().data(),
                          params.Formats().data(), 1) != 1) {
    co_return lost();
  }
  co_return co_await exchange(name);
}

bool Connection::Broken() const { return stale_ || PQstatus(conn_.get()) != CONNECTION_OK; }

core::Result<void> Connection::Reset() {
  prepared_.clear();
  DropLater();
  stale_ = false;
  PQreset(conn_.get());
  if (Broken()) {
    return core::Fail(core::ErrorCode::kUnavailable, "cannot reconnect to PostgreSQL");
  }
  return {};
}

boost::asio::awaitable<core::Result<void>> Connection::ResetAwaited(
    std::chrono::milliseconds timeout) {
  using boost::asio::experimental::awaitable_operators::operator||;
  using Wait = boost::asio::posix::descriptor_base::wait_type;
  prepared_.clear();
  DropLater();
  stale_ = false;
  const auto refused = [] {
    return core::Fail(core::ErrorCode::kUnavailable, "cannot reconnect to PostgreSQL");
  };
  pg_conn* conn = conn_.get();
  if (PQresetStart(conn) != 1) co_return refused();
  const auto executor = co_await boost::asio::this_coro::executor;
  // PQresetPoll ignores connect_timeout: the deadline is ours.
  boost::asio::steady_timer deadline(executor, timeout);
  for (;;) {
    const auto step = PQresetPoll(conn);
    if (step == PGRES_POLLING_OK) co_return core::Result<void>{};
    if (step == PGRES_POLLING_FAILED) co_return refused();
    // The socket may change from one step to the next (another address tried).
    SocketWatch socket(executor, PQsocket(conn));
    const auto ready =
        co_await (socket.Wait(step == PGRES_POLLING_READING ? Wait::wait_read : Wait::wait_write) ||
                  deadline.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable)));
    if (ready.index() != 0) {
      stale_ = true;  // half-made: made again from the start next time
      co_return refused();
    }
  }
}

int Connection::Socket() const { return PQsocket(conn_.get()); }

core::Result<std::vector<std::string>> Connection::TakeNotifications(std::string_view channel) {
  if (PQconsumeInput(conn_.get()) != 1 || Broken()) {
    return core::Fail(core::ErrorCode::kUnavailable, "PostgreSQL connection lost");
  }
  std::vector<std::string> payloads;
  while (PGnotify* note = PQnotifies(conn_.get())) {
    if (channel == note->relname) payloads.emplace_back(note->extra);
    PQfreemem(note);
  }
  return payloads;
}

bool Connection::InTransaction() const {
  const auto status = PQtransactionStatus(conn_.get());
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

bool Connection::TransactionFailed() const {
  return PQtransactionStatus(conn_.get()) == PQTRANS_INERROR;
}

}  // namespace c2p::store::postgres
