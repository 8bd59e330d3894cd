#include "store/postgres/statistics_keeper.hpp"

#include <cstdint>
#include <optional>
#include <vector>

#include "log/log.hpp"
#include "store/postgres/connection.hpp"

namespace c2p::store::postgres {

namespace {

constexpr int kConnectTimeoutSeconds = 5;

// One node at a time: two ANALYZEs of one table would only do the work twice.
C2P_PG_SQL(kTryLockStatistics, "SELECT pg_try_advisory_lock(7233846093421568002)::int");
C2P_PG_SQL(kUnlockStatistics, "SELECT pg_advisory_unlock(7233846093421568002)::int");
// c2p's tables in the session's schema ($1: their names, comma-separated); the counters
// are PostgreSQL's own, updated within a second or so of each commit.
C2P_PG_SQL(kTablesToAnalyze, R"sql(
SELECT relname FROM pg_stat_user_tables
WHERE schemaname = current_schema() AND relname = ANY (string_to_array($1, ','))
  AND n_mod_since_analyze >= 1000 AND n_mod_since_analyze * 2 >= n_live_tup
ORDER BY relname)sql");

std::string KeptTablesList() {
  std::string out;
  for (const auto name : kKeptTables) {
    if (!out.empty()) out += ',';
    out += name;
  }
  return out;
}

std::string QuotedIdentifier(std::string_view name) {
  std::string out = "\"";
  for (const char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + '"';
}

// The tables that grew or changed enough, ANALYZEd while this session holds the lock.
// An error: the session is unusable (reconnect).
core::Result<void> AnalyzeGrownTables(Connection& conn) {
  auto locked = conn.Run(kTryLockStatistics, Params());
  if (!locked) return tl::unexpected(std::move(locked.error()));
  if (locked->Rows() != 1 || locked->Int(0, 0) != 1) return {};  // another node's turn
  core::Result<void> done;
  Params list;
  list.Text(KeptTablesList());
  if (auto tables = conn.Run(kTablesToAnalyze, list); tables) {
    std::string analyzed;
    for (int row = 0; row < tables->Rows() && done; ++row) {
      const std::string name(tables->Text(row, 0));
      done = conn.Exec("ANALYZE " + QuotedIdentifier(name));
      if (done) analyzed += (analyzed.empty() ? "" : ",") + name;
    }
    if (!analyzed.empty()) log::Info("store.statistics_refreshed", {{"tables", analyzed}});
  } else {
    done = tl::unexpected(std::move(tables.error()));
  }
  // A lost session released the lock with it.
  auto unlocked = conn.Run(kUnlockStatistics, Params());
  if (!done) return done;
  if (!unlocked) return tl::unexpected(std::move(unlocked.error()));
  return {};
}

}  // namespace

StatisticsKeeper::StatisticsKeeper(std::string url, std::chrono::milliseconds interval)
    : url_(std::move(url)), interval_(interval), thread_([this] { Run(); }) {}

void StatisticsKeeper::Run() {
  std::optional<Connection> conn;
  bool failing = false;  // logged once per run of failures
  const auto failed = [&failing](const core::Error& error) {
    if (!failing) log::Warn("store.statistics_failed", {{"error", error.message}});
    failing = true;
  };
  while (thread_.Pause(interval_)) {
    if (!conn) {
      auto opened = Connection::Open(url_, kConnectTimeoutSeconds);
      if (!opened) {
        failed(opened.error());
        continue;
      }
      // An ANALYZE waits for a table's VACUUM or DDL; bounded, it cannot hold up Close().
      if (auto set = opened->Exec("SET lock_timeout = '2s'"); !set) {
        failed(set.error());
        continue;
      }
      conn.emplace(std::move(*opened));
    }
    if (auto done = AnalyzeGrownTables(*conn); !done) {
      failed(done.error());
      conn.reset();
    } else {
      failing = false;
    }
  }
}

}  // namespace c2p::store::postgres
