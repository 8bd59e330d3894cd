#include "store/sqlite/connection.hpp"

#include <sqlite3.h>

#include <mutex>
#include <utility>

#include "core/time_format.hpp"
#include "store/sqlite/sql.hpp"

namespace c2p::store::sqlite {

namespace {

// Result codes that describe the environment rather than a bug in c2p: the caller may
// retry later or report the store unavailable.
bool IsEnvironmentFailure(int rc) {
  switch (rc & 0xff) {  // primary code of an extended one
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_NOMEM:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_PROTOCOL:
      return true;
    default:
      return false;
  }
}

}  // namespace

core::Error SqliteError(int rc, std::string_view what) {
  const auto code =
      IsEnvironmentFailure(rc) ? core::ErrorCode::kUnavailable : core::ErrorCode::kInternal;
  return core::Error::Make(code, std::string(what) + ": " + sqlite3_errstr(rc));
}

// --- Statement -------------------------------------------------------------------------

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), bind_rc_(other.bind_rc_) {}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Statement& Statement::Bind(int index, std::string_view text) {
  // A null data pointer would bind SQL NULL; an empty string is still a string.
  const char* data = text.data() != nullptr ? text.data() : "";
  const int rc =
      sqlite3_bind_text64(stmt_, index, data, text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Statement& Statement::Bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

core::Result<bool> Statement::Step() {
  if (bind_rc_ != SQLITE_OK) return tl::unexpected(SqliteError(bind_rc_, "bind"));
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return tl::unexpected(SqliteError(rc, "step"));
}

core::Result<void> Statement::Run() {
  for (;;) {
    auto row = Step();
    if (!row) return tl::unexpected(std::move(row.error()));
    if (!*row) return {};
  }
}

std::string_view Statement::ColumnText(int index) const {
  const auto* text = sqlite3_column_text(stmt_, index);
  if (text == nullptr) return {};
  // Bytes must be read after the text pointer: sqlite3_column_text may convert the value.
  const int size = sqlite3_column_bytes(stmt_, index);
  return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(size)};
}

std::int64_t Statement::ColumnInt64(int index) const { return sqlite3_column_int64(stmt_, index); }

Statement& Statement::BindBlob(int index, std::span<const std::uint8_t> bytes) {
  // A zero-length blob with a non-null pointer stays a blob (a null pointer binds NULL).
  static const std::uint8_t kEmpty = 0;
  const void* data = bytes.empty() ? &kEmpty : bytes.data();
  const int rc = sqlite3_bind_blob64(stmt_, index, data, bytes.size(), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Statement& Statement::BindNull(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

std::vector<std::uint8_t> Statement::ColumnBlob(int index) const {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, index));
  const int size = sqlite3_column_bytes(stmt_, index);
  if (data == nullptr || size <= 0) return {};
  return {data, data + size};
}

bool Statement::ColumnIsNull(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

// --- Connection ------------------------------------------------------------------------

void Connection::CloseDb::operator()(sqlite3* db) const { sqlite3_close_v2(db); }

void Connection::FinalizeStmt::operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }

core::Result<Connection> Connection::Open(const std::string& path, Access access,
                                          std::chrono::milliseconds busy_timeout) {
  // Before the first connection (sqlite3_config must precede SQLite's initialisation; if
  // something initialised it earlier the call is refused and the default stays). A unit's
  // savepoint copies every page it changes into the statement journal, which past 64 KiB
  // (the default) spills to a temporary file: one created, written and deleted per group
  // commit of card registrations. Held in memory up to 1 MiB, it never touches the disk.
  static std::once_flag configured;
  std::call_once(configured, [] { (void)sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 1 << 20); });
  // NOMUTEX: each connection has one user at a time, so SQLite's own locking is waste.
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  flags |= access == Access::kReadWrite ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                        : SQLITE_OPEN_READONLY;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  // sqlite3_open_v2 allocates a handle even on failure; it must be closed either way.
  Connection conn(raw);
  if (rc != SQLITE_OK) {
    return core::Fail(core::ErrorCode::kIo, "cannot open store file " + path + ": " +
                                                (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_busy_timeout(raw, static_cast<int>(busy_timeout.count()));
  if (auto fk = conn.Run(sql::kPragmaForeignKeysOn); !fk) return tl::unexpected(fk.error());
  return conn;
}

core::Result<void> Connection::Exec(std::string_view sql) {
  const std::string text(sql);  // sqlite3_exec wants a terminated string
  char* message = nullptr;
  const int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return {};
  core::Error error = SqliteError(rc, "exec");
  if (message != nullptr) {
    error.message += std::string(" (") + message + ")";
    sqlite3_free(message);
  }
  return tl::unexpected(std::move(error));
}

core::Result<Statement> Connection::Prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(stmt);
      return tl::unexpected(SqliteError(rc, "prepare"));
    }
    it = cache_.emplace(std::string(sql), std::unique_ptr<sqlite3_stmt, FinalizeStmt>(stmt)).first;
  }
  return Statement(it->second.get());
}

core::Result<void> Connection::Run(std::string_view sql) {
  auto stmt = Prepare(sql);
  if (!stmt) return tl::unexpected(std::move(stmt.error()));
  return stmt->Run();
}

bool Connection::InTransaction() const { return sqlite3_get_autocommit(db_.get()) == 0; }

}  // namespace c2p::store::sqlite

namespace c2p::store::sqlite {

std::int64_t Connection::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_.get()); }

int Connection::Changes() const { return sqlite3_changes(db_.get()); }

core::Result<void> Connection::CheckpointPassive() {
  const int rc =
      sqlite3_wal_checkpoint_v2(db_.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  if (rc != SQLITE_OK) return tl::unexpected(SqliteError(rc, "checkpoint"));
  return {};
}

}  // namespace c2p::store::sqlite
