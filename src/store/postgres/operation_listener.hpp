#pragma once
// Tells this node when an operation ended on any node (issue 10): every terminal write
// on PostgreSQL sends NOTIFY c2p_operation_ended '<issuer>/<operationId>' in its own
// transaction (engine_sql.hpp, kFinishOperation), delivered at COMMIT; this listener holds
// one extra connection with LISTEN and hands each payload to `on_ended` (the operation
// getters' wait=, engine/operation_watch.hpp).
//
// A notification sent while the listener is reconnecting is lost, so after each LISTEN
// the listener calls `on_ended("")`: every waiter reads its operation again (and waits on
// if it is still PENDING). The payload is two identifiers, no card or personal data.

#include <functional>
#include <string>

#include "store/postgres/background_thread.hpp"

namespace c2p::store::postgres {

inline constexpr std::string_view kOperationEndedChannel = "c2p_operation_ended";

class OperationListener {
 public:
  using OnEnded = std::function<void(const std::string& key)>;

  // Connects (and reconnects) on a thread of its own.
  OperationListener(std::string url, OnEnded on_ended);
  // Stops the thread; `on_ended` is not called after this returns.
  ~OperationListener() = default;
  OperationListener(const OperationListener&) = delete;
  OperationListener& operator=(const OperationListener&) = delete;

 private:
  void Run();

  const std::string url_;
  const OnEnded on_ended_;
  BackgroundThread thread_;  // last: starts once everything above is built
};

}  // namespace c2p::store::postgres
