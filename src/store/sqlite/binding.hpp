#pragma once
// Binding and reading helpers shared by the query files of the SQLite backend: one call
// binds every parameter of a statement in order (?1, ?2…), optionals as NULL, and the
// Opt* readers turn NULL columns into nullopt.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/registry_records.hpp"
#include "store/sqlite/connection.hpp"

namespace c2p::store::sqlite {

inline void BindOne(Statement& s, int i, std::string_view v) { s.Bind(i, v); }
inline void BindOne(Statement& s, int i, std::int64_t v) { s.Bind(i, v); }
inline void BindOne(Statement& s, int i, const Blob& v) { s.BindBlob(i, v); }
template <typename T>
inline void BindOne(Statement& s, int i, const std::optional<T>& v) {
  if (v) {
    BindOne(s, i, *v);
  } else {
    s.BindNull(i);
  }
}

template <typename... Args>
core::Result<Statement> Prepared(Connection& conn, std::string_view sql, const Args&... args) {
  auto stmt = conn.Prepare(sql);
  if (!stmt) return stmt;
  int index = 0;
  (BindOne(*stmt, ++index, args), ...);
  return stmt;
}

inline std::optional<std::string> OptText(const Statement& s, int i) {
  if (s.ColumnIsNull(i)) return std::nullopt;
  return std::string(s.ColumnText(i));
}
inline std::optional<std::int64_t> OptInt(const Statement& s, int i) {
  if (s.ColumnIsNull(i)) return std::nullopt;
  return s.ColumnInt64(i);
}
inline std::optional<Blob> OptBlob(const Statement& s, int i) {
  if (s.ColumnIsNull(i)) return std::nullopt;
  return s.ColumnBlob(i);
}

// --- Reading rows: one reader per record, listing its members in the order of the
// SELECT's columns (the mirror of Prepared); NULL reads as an empty optional.

inline void ReadOne(const Statement& s, int i, std::string& out) { out = s.ColumnText(i); }
inline void ReadOne(const Statement& s, int i, std::int64_t& out) { out = s.ColumnInt64(i); }
inline void ReadOne(const Statement& s, int i, int& out) {
  out = static_cast<int>(s.ColumnInt64(i));
}
inline void ReadOne(const Statement& s, int i, Blob& out) { out = s.ColumnBlob(i); }
template <typename T>
inline void ReadOne(const Statement& s, int i, std::optional<T>& out) {
  if (s.ColumnIsNull(i)) {
    out.reset();
    return;
  }
  ReadOne(s, i, out.emplace());
}

template <typename Record, auto... Members>
Record ReadRow(const Statement& s) {
  Record record{};
  int column = 0;
  (ReadOne(s, column++, record.*Members), ...);
  return record;
}

// Runs a prepared query expected to give at most one row.
template <typename Record, typename Reader>
core::Result<std::optional<Record>> One(core::Result<Statement> stmt, Reader read) {
  if (!stmt) return tl::unexpected(std::move(stmt.error()));
  auto row = stmt->Step();
  if (!row) return tl::unexpected(std::move(row.error()));
  if (!*row) return std::optional<Record>();
  return std::optional<Record>(read(*stmt));
}

template <typename Record, typename Reader>
core::Result<std::vector<Record>> All(core::Result<Statement> stmt, Reader read) {
  if (!stmt) return tl::unexpected(std::move(stmt.error()));
  std::vector<Record> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row) return tl::unexpected(std::move(row.error()));
    if (!*row) return out;
    out.push_back(read(*stmt));
  }
}

inline core::Result<void> Run(core::Result<Statement> stmt) {
  if (!stmt) return tl::unexpected(std::move(stmt.error()));
  return stmt->Run();
}

}  // namespace c2p::store::sqlite
