#include "store/postgres/connection.hpp"

#include <libpq-fe.h>

#include <array>
#include <cstring>
#include <utility>

namespace c2p::store::postgres {

namespace {

// SQLSTATE classes that describe the environment rather than a bug in c2p: the caller may
// retry later, and the API answers 503 meanwhile.
//   08 connection exception, 40 transaction rollback (serialization, deadlock),
//   53 insufficient resources (disk full, too many connections), 55 object not in
//   prerequisite state (lock not available), 57 operator intervention (shutdown, cancel),
//   58 system error (I/O).
bool IsEnvironmentFailure(const char* sqlstate) {
  if (sqlstate == nullptr || std::strlen(sqlstate) != 5) return true;  // no answer: lost
  static constexpr std::array<std::string_view, 6> kClasses{"08", "40", "53", "55", "57", "58"};
  const std::string_view klass(sqlstate, 2);
  for (const auto c : kClasses) {
    if (klass == c) return true;
  }
  return false;
}

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
  // Every execution of a prepared statement is planned for its parameters and the
  // tables' current size (force_custom_plan). PostgreSQL would otherwise settle on a
  // generic plan after five executions and keep it until the next ANALYZE: a node that
  // starts on small tables (a new deployment, the benches) kept plans made for empty
  // tables — a lookup by card id walking one issuer's whole PAN index, the notifier's
  // claim turned into a nested loop — while the tables grew by thousands of rows a minute.
  // Planning these short statements costs less than one such plan (docs/performance.md).
  const std::array<const char*, 5> keys{"dbname", "connect_timeout", "application_name", "options",
                                        nullptr};
  const std::array<const char*, 5> values{
      url.c_str(), timeout.c_str(), "c2pd",
      "-c synchronous_commit=on -c plan_cache_mode=force_custom_plan", nullptr};
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

core::Result<void> Connection::Exec(std::string_view sql) {
  const std::string text(sql);
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
  Result result(PQexec(conn_.get(), "COMMIT"));
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
  if (auto prepared = Prepare(sql); !prepared) return tl::unexpected(prepared.error());
  const std::string name(sql.name);
  const auto values = params.Values();
  Result result(PQexecPrepared(conn_.get(), name.c_str(), params.size(), values.data(),
                               params.Lengths().data(), params.Formats().data(), 1));
  const auto status = PQresultStatus(result.result_.get());
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  return tl::unexpected(ResultError(result.result_.get(), name));
}

bool Connection::Broken() const { return PQstatus(conn_.get()) != CONNECTION_OK; }

core::Result<void> Connection::Reset() {
  prepared_.clear();
  PQreset(conn_.get());
  if (Broken()) {
    return core::Fail(core::ErrorCode::kUnavailable, "cannot reconnect to PostgreSQL");
  }
  return {};
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
