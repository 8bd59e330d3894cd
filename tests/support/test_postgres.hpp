#pragma once
// The throwaway PostgreSQL of the tests (scripts/pg.sh, started by the c2p_pg ctest
// fixture): where it is, and a fresh database `c2p_t_<random>` on it per test case or
// suite, dropped afterwards.
//
// The server is named by C2P_PG_URL, or by the file C2P_PG_URL_FILE names (the fixture
// writes it). When neither leads to a reachable server, error() says so and the test must
// FAIL: a suite that skips silently would hide a broken backend.

#include <libpq-fe.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace c2p::testing {

// The URL of the test PostgreSQL's own database, or "" when none is configured.
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
  return url.substr(0, slash + 1) + database +
         (query == std::string::npos ? "" : url.substr(query));
}

class PostgresDatabase {
 public:
  PostgresDatabase() : admin_url_(TestPostgresUrl()) {
    if (admin_url_.empty()) {
      error_ = "no test PostgreSQL: set C2P_PG_URL or C2P_PG_URL_FILE (scripts/pg.sh start)";
      return;
    }
    std::random_device random;
    name_ = "c2p_t_" + std::to_string(random()) + "_" + std::to_string(random());
    if (!Run(admin_url_, "CREATE DATABASE " + name_)) {
      name_.clear();
      return;
    }
    url_ = WithDatabase(admin_url_, name_);
  }
  ~PostgresDatabase() {
    if (!name_.empty()) (void)Run(admin_url_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  }
  PostgresDatabase(const PostgresDatabase&) = delete;
  PostgresDatabase& operator=(const PostgresDatabase&) = delete;

  // Empty when the database is ready.
  const std::string& error() const { return error_; }
  // postgresql://… of the new database.
  const std::string& url() const { return url_; }

  // Ends every session on the database, as a server restart or a network cut would.
  // Returns once they have ended (up to 10 s each), so the test's next statement meets
  // the cut.
  bool CutConnections() {
    return Run(admin_url_,
               "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = '" +
                   name_ + "' AND pid <> pg_backend_pid()");
  }

  // The first column of the first row of `sql` on the database, as an integer; -1 on
  // failure or no row.
  std::int64_t QueryInt(const std::string& sql) {
    std::int64_t out = -1;
    (void)Run(url_, sql, &out);
    return out;
  }

  // The first column of every row of `sql`, as text (NULL as ""); empty on failure.
  std::vector<std::string> QueryStrings(const std::string& sql) {
    std::vector<std::string> out;
    (void)Run(url_, sql, nullptr, &out);
    return out;
  }

  // Runs one statement on the database; false (error() says why) when it fails.
  bool Execute(const std::string& sql) { return Run(url_, sql); }

 private:
  bool Run(const std::string& url, const std::string& statement, std::int64_t* first = nullptr,
           std::vector<std::string>* column = nullptr) {
    std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(url.c_str()), &PQfinish);
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
    if (first != nullptr && PQntuples(result.get()) > 0 && PQgetisnull(result.get(), 0, 0) == 0) {
      *first = std::stoll(PQgetvalue(result.get(), 0, 0));
    }
    for (int row = 0; column != nullptr && row < PQntuples(result.get()); ++row) {
      column->emplace_back(PQgetvalue(result.get(), row, 0));
    }
    return true;
  }

  std::string admin_url_;
  std::string name_;
  std::string url_;
  std::string error_;
};

}  // namespace c2p::testing
