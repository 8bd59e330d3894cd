#include "store/postgres/statistics_keeper.hpp"

#include <cstdint>
#include <optional>
#include <vector>

#include "store/postgres/connection.hpp"

namespace c2p::store::postgres {

namespace {

constexpr int kConnectTimeoutSeconds = 5;

// One node at a time: two ANALYZEs of one table would only do the work twice.
C2P_PG_SQL(kTryLockStatistics, "SELECT pg_try_advisory_lock(7233846093421568002)::int");
C2P_PG_SQL(kUnlockStatistics, "SELECT pg_advisory_unlock(7233846093421568002)::int");
// The session's schema only (c2p's tables); the counters are PostgreSQL's own, updated
// within a second or so of each commit.
C2P_PG_SQL(kTablesToAnalyze, R"sql(
SELECT relname FROM pg_stat_user_tables
WHERE schemaname = current_schema()
  AND n_mod_since_analyze >= 1000 AND n_mod_since_analyze * 2 >= n_live_tup
ORDER BY relname)sql");

std::string QuotedIdentifier(std::string_view name) {
  std::string out = "\"";
  for (const char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + '"';
}

// The tables that grew or changed enough, ANALYZEd while this session holds the lock.
// false: the session is unusable (reconnect).
bool AnalyzeGrownTables(Connection& conn) {
  auto locked = conn.Run(kTryLockStatistics, Params());
  if (!locked) return false;
  if (locked->Rows() != 1 || locked->Int(0, 0) != 1) return true;  // another node's turn
  bool healthy = true;
  if (auto tables = conn.Run(kTablesToAnalyze, Params()); tables) {
    std::vector<std::string> names;
    names.reserve(static_cast<std::size_t>(tables->Rows()));
    for (int row = 0; row < tables->Rows(); ++row) names.emplace_back(tables->Text(row, 0));
    for (const auto& name : names) {
      if (!conn.Exec("ANALYZE " + QuotedIdentifier(name))) {
        healthy = false;
        break;
      }
    }
  } else {
    healthy = false;
  }
  // A lost session released the lock with it.
  return conn.Run(kUnlockStatistics, Params()).has_value() && healthy;
}

}  // namespace

StatisticsKeeper::StatisticsKeeper(std::string url, std::chrono::milliseconds interval)
    : url_(std::move(url)), interval_(interval), thread_([this] { Run(); }) {}

void StatisticsKeeper::Run() {
  std::optional<Connection> conn;
  while (thread_.Pause(interval_)) {
    if (!conn) {
      auto opened = Connection::Open(url_, kConnectTimeoutSeconds);
      // An ANALYZE waits for a table's VACUUM or DDL; bounded, it cannot hold up Close().
      if (!opened || !opened->Exec("SET lock_timeout = '2s'")) continue;
      conn.emplace(std::move(*opened));
    }
    if (!AnalyzeGrownTables(*conn)) conn.reset();
  }
}

}  // namespace c2p::store::postgres
