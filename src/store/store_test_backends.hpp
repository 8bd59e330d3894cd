#pragma once
// The backends the store's tests run on (gtest parameters), and a fresh, empty store
// location per test case: a file in a scratch directory for SQLite, a new database
// `c2p_t_<random>` on the test PostgreSQL for PostgreSQL, dropped afterwards.
//
// The PostgreSQL cases FAIL when the test PostgreSQL (tests/support/test_postgres.hpp)
// cannot be reached.

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "store/store_test_util.hpp"
#include "tests/support/test_postgres.hpp"

namespace c2p::store::testing {

enum class Backend { kSqlite, kPostgres };

inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

// The metrics label of a backend's writer.
inline std::string BackendLabel(Backend backend) {
  return backend == Backend::kSqlite ? "sqlite" : "postgresql";
}

class TestDatabase {
 public:
  explicit TestDatabase(Backend backend) : backend_(backend) {
    if (backend == Backend::kSqlite) {
      url_ = "sqlite:" + dir_.File("c2p.db");
    } else {
      postgres_ = std::make_unique<c2p::testing::PostgresDatabase>();
      url_ = postgres_->url();
    }
  }

  // Empty when the location is ready.
  std::string error() const { return postgres_ ? postgres_->error() : std::string(); }
  const std::string& url() const { return url_; }
  Backend backend() const { return backend_; }

  // PostgreSQL only: ends every session on this test's database.
  bool CutConnections() { return postgres_ && postgres_->CutConnections(); }
  // PostgreSQL only: the first column of the first row of `sql`; -1 on failure or SQLite.
  std::int64_t QueryInt(const std::string& sql) {
    return postgres_ ? postgres_->QueryInt(sql) : -1;
  }

 private:
  Backend backend_;
  TempDir dir_;
  std::unique_ptr<c2p::testing::PostgresDatabase> postgres_;
  std::string url_;
};

// Instantiates a TEST_P suite over both backends.
#define C2P_STORE_BACKENDS(suite)                                                        \
  INSTANTIATE_TEST_SUITE_P(Backends, suite,                                              \
                           ::testing::Values(::c2p::store::testing::Backend::kSqlite,    \
                                             ::c2p::store::testing::Backend::kPostgres), \
                           ::c2p::store::testing::BackendName)

}  // namespace c2p::store::testing
