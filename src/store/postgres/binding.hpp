#pragma once
// Binding and reading helpers shared by the query files of the PostgreSQL backend, the
// mirror of sqlite/binding.hpp: one call binds every parameter in order ($1, $2…),
// optionals as NULL, and one member list reads a row into its record.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/postgres/connection.hpp"
#include "store/registry_records.hpp"

namespace c2p::store::postgres {

inline void BindOne(Params& p, std::string_view v) { p.Text(v); }
inline void BindOne(Params& p, const std::string& v) { p.Text(v); }
inline void BindOne(Params& p, const char* v) { p.Text(v); }
inline void BindOne(Params& p, std::int64_t v) { p.Int(v); }
inline void BindOne(Params& p, int v) { p.Int(v); }
inline void BindOne(Params& p, const Blob& v) { p.Bytes(v); }
template <typename T>
inline void BindOne(Params& p, const std::optional<T>& v) {
  if (v) {
    BindOne(p, *v);
  } else {
    p.Null();
  }
}

// Runs `sql` with `args` as its parameters.
template <typename... Args>
core::Result<Result> Query(Connection& conn, const Sql& sql, const Args&... args) {
  Params params;
  (BindOne(params, args), ...);
  return conn.Run(sql, params);
}

// One row of a Result.
struct Row {
  const Result& result;
  int index;
  bool IsNull(int column) const { return result.IsNull(index, column); }
  std::string_view Text(int column) const { return result.Text(index, column); }
  std::int64_t Int(int column) const { return result.Int(index, column); }
  Blob Bytes(int column) const { return result.Bytes(index, column); }
};

inline void ReadOne(const Row& r, int i, std::string& out) { out = r.Text(i); }
inline void ReadOne(const Row& r, int i, std::int64_t& out) { out = r.Int(i); }
inline void ReadOne(const Row& r, int i, int& out) { out = static_cast<int>(r.Int(i)); }
inline void ReadOne(const Row& r, int i, Blob& out) { out = r.Bytes(i); }
template <typename T>
inline void ReadOne(const Row& r, int i, std::optional<T>& out) {
  if (r.IsNull(i)) {
    out.reset();
    return;
  }
  ReadOne(r, i, out.emplace());
}

template <typename Record, auto... Members>
Record ReadRow(const Row& r) {
  Record record{};
  int column = 0;
  (ReadOne(r, column++, record.*Members), ...);
  return record;
}

// A query expected to give at most one row.
template <typename Record, typename Reader>
core::Result<std::optional<Record>> One(core::Result<Result> result, Reader read) {
  if (!result) return tl::unexpected(std::move(result.error()));
  if (result->Rows() == 0) return std::optional<Record>();
  return std::optional<Record>(read(Row{*result, 0}));
}

template <typename Record, typename Reader>
core::Result<std::vector<Record>> All(core::Result<Result> result, Reader read) {
  if (!result) return tl::unexpected(std::move(result.error()));
  std::vector<Record> out;
  out.reserve(static_cast<std::size_t>(result->Rows()));
  for (int i = 0; i < result->Rows(); ++i) out.push_back(read(Row{*result, i}));
  return out;
}

// Runs a statement for its effect only.
inline core::Result<void> Done(core::Result<Result> result) {
  if (!result) return tl::unexpected(std::move(result.error()));
  return {};
}

// Whether the statement returned (or, for a change, touched) at least one row.
inline core::Result<bool> Any(core::Result<Result> result) {
  if (!result) return tl::unexpected(std::move(result.error()));
  return result->Rows() > 0 || result->Affected() > 0;
}

// The first column of the first row, an integer (RETURNING id, COUNT(*)).
inline core::Result<std::int64_t> FirstInt(core::Result<Result> result) {
  if (!result) return tl::unexpected(std::move(result.error()));
  if (result->Rows() == 0) return core::Fail(core::ErrorCode::kInternal, "query returned no row");
  return result->Int(0, 0);
}

}  // namespace c2p::store::postgres
