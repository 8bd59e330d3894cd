#pragma once
// Copies the WAL back into the database file on a thread of its own, with a connection of
// its own, so the group writer does not pay for checkpoints between its commits.
//
// Checkpoints are PASSIVE: they copy what no reader still needs and never block the
// writer or a reader. The writer keeps a much larger auto-checkpoint threshold as a
// backstop (sql::kPragmaWriterWalAutocheckpoint): its checkpoint then finds nearly
// everything copied already, and completing it lets the next commit restart the WAL from
// its beginning, which a checkpoint racing the writer's commits seldom achieves.
// Durability does not depend on it: a commit is durable once its WAL frames are synced.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "store/sqlite/connection.hpp"

namespace c2p::store::sqlite {

class Checkpointer {
 public:
  // Takes `conn` (read-write, on the writer's file, WAL) and starts the thread, which
  // checkpoints every `interval`.
  Checkpointer(Connection conn, std::chrono::milliseconds interval);
  // Closes.
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Stops the thread (after the checkpoint in progress, if any) and closes the
  // connection. Idempotent.
  void Close();

 private:
  void Run();

  std::optional<Connection> conn_;  // the thread's alone; reset by Close()
  const std::chrono::milliseconds interval_;

  std::mutex mu_;
  std::condition_variable wake_;
  bool closing_ = false;  // guarded by mu_

  std::mutex close_mu_;  // serialises Close() callers around the join
  std::thread thread_;   // last: starts once everything above is built
};

}  // namespace c2p::store::sqlite
