#pragma once
// The backends the store's tests run on (gtest parameters), and a fresh, empty store
// location per test case: a file in a scratch directory for SQLite, a new database
// `c2p_t_<random>` on the test PostgreSQL for PostgreSQL, dropped afterwards.
//
// The test PostgreSQL is named by C2P_PG_URL, or by the file C2P_PG_URL_FILE names (the
// ctest fixture writes it: scripts/pg.sh start). When neither leads to a reachable server
// the PostgreSQL cases FAIL: a suite that skips silently would hide a broken backend.

#include <libpq-fe.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "store/store_test_util.hpp"

namespace c2p::store::testing {

enum class Backend { kSqlite, kPostgres };

inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

// The metrics label of a backend's writer.
inline std::string BackendLabel(Backend backend) {
  return backend == Backend::kSqlite ? "sqlite" : "postgresql";
}

// The URL of the test PostgreSQL's maintenance database, or "" when none is configured.
inline std::string TestPostgresUrl() {
  if (const char* url = std::getenv("C2P_PG_URL"); url != nullptr && *url != '\0') return url;
  const char* file = std::getenv("C2P_PG_URL_FILE");
  if (file == nullptr) return {};
  std::ifstream in(file);
  std::string url;
  std::getline(in, url);
  return url;
}

// `url` with its database name replaced by `database` (postgresql://user@host:port/db).
inline std::string WithDatabase(const std::string& url, const std::string& database) {
  const auto query = url.find('?');
  const auto slash = url.rfind('/', query);
  return url.substr(0, slash + 1) + database + (query == std::string::npos ? "" : url.substr(query));
}

class TestDatabase {
 public:
  explicit TestDatabase(Backend backend) : backend_(backend) {
    if (backend == Backend::kSqlite) {
      url_ = "sqlite:" + dir_.File("c2p.db");
      return;
    }
    admin_url_ = TestPostgresUrl();
    if (admin_url_.empty()) {
      error_ = "no test PostgreSQL: set C2P_PG_URL or C2P_PG_URL_FILE (scripts/pg.sh start)";
      return;
    }
    std::random_device random;
    name_ = "c2p_t_" + std::to_string(random()) + std::to_string(random());
    if (!Admin("CREATE DATABASE " + name_)) {
      name_.clear();
      return;
    }
    url_ = WithDatabase(admin_url_, name_);
  }
  ~TestDatabase() {
    if (!name_.empty()) (void)Admin("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // Empty when the location is ready.
  const std::string& error() const { return error_; }
  const std::string& url() const { return url_; }
  Backend backend() const { return backend_; }

  // PostgreSQL only: ends every session on this test's database, as a server restart or a
  // network cut would.
  bool CutConnections() {
    return Admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
                 name_ + "' AND pid <> pg_backend_pid()");
  }

 private:
  bool Admin(const std::string& statement) {
    std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(admin_url_.c_str()), &PQfinish);
    if (PQstatus(conn.get()) != CONNECTION_OK) {
      error_ = std::string("test PostgreSQL unreachable: ") + PQerrorMessage(conn.get());
      return false;
    }
    std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(conn.get(), statement.c_str()),
                                                         &PQclear);
    const auto status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      error_ = std::string("test PostgreSQL: ") + PQerrorMessage(conn.get());
      return false;
    }
    return true;
  }

  Backend backend_;
  TempDir dir_;
  std::string admin_url_;
  std::string name_;
  std::string url_;
  std::string error_;
};

// Instantiates a TEST_P suite over both backends.
#define C2P_STORE_BACKENDS(suite)                                                      \
  INSTANTIATE_TEST_SUITE_P(Backends, suite,                                            \
                           ::testing::Values(::c2p::store::testing::Backend::kSqlite,  \
                                             ::c2p::store::testing::Backend::kPostgres), \
                           ::c2p::store::testing::BackendName)

}  // namespace c2p::store::testing
