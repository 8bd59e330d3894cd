#pragma once
// Keeps the planner's statistics up with tables that grow fast (issue 10, P1 on
// PostgreSQL). Sessions keep a prepared statement's generic plan after its first
// executions, until the statistics of a table it reads change. A new deployment (or a
// bench) fills its tables from empty within a minute, before autovacuum's first ANALYZE:
// plans made for empty tables then stay — a card lookup walking a whole index — and the
// rate fell to a fifth. Planning every execution instead (plan_cache_mode =
// force_custom_plan) cost a third of PostgreSQL's CPU.
//
// So every `interval` one node (an advisory lock elects it) ANALYZEs each of c2p's tables
// that changed by at least half of its rows (and 1,000 rows) since it was last analysed.
// ANALYZE makes every session plan the statements on that table again. Runs on a thread of
// its own with its own connection; failures are retried at the next interval. Each round
// that analysed something is logged (store.statistics_refreshed, the tables' names); a
// round that failed is logged once until one succeeds again.

#include <array>
#include <chrono>
#include <string>
#include <string_view>

#include "store/postgres/background_thread.hpp"

namespace c2p::store::postgres {

// c2p's tables, the only ones the keeper ANALYZEs: the schema may hold others that are
// not c2p's to look after. statistics_keeper_test checks the list against the tables the
// migrations create.
inline constexpr std::array<std::string_view, 16> kKeptTables = {"assertion_ids",
                                                                 "batch_files",
                                                                 "batch_results",
                                                                 "cards",
                                                                 "consumers",
                                                                 "deleted_cards",
                                                                 "idempotency_keys",
                                                                 "jobs",
                                                                 "network_profiles",
                                                                 "notification_messages",
                                                                 "notification_suspensions",
                                                                 "notifications",
                                                                 "operations",
                                                                 "retired_pans",
                                                                 "settings",
                                                                 "token_events"};

class StatisticsKeeper {
 public:
  StatisticsKeeper(std::string url, std::chrono::milliseconds interval);
  // Stops the thread (an ANALYZE under way is waited for).
  ~StatisticsKeeper() = default;
  StatisticsKeeper(const StatisticsKeeper&) = delete;
  StatisticsKeeper& operator=(const StatisticsKeeper&) = delete;

 private:
  void Run();

  const std::string url_;
  const std::chrono::milliseconds interval_;
  BackgroundThread thread_;  // last: starts once everything above is built
};

}  // namespace c2p::store::postgres
