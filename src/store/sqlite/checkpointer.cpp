#include "store/sqlite/checkpointer.hpp"

#include <utility>

#include "store/sqlite/sql.hpp"

namespace c2p::store::sqlite {

Checkpointer::Checkpointer(Connection conn, std::chrono::milliseconds interval)
    : conn_(std::move(conn)), interval_(interval) {
  thread_ = std::thread([this] { Run(); });
}

Checkpointer::~Checkpointer() { Close(); }

void Checkpointer::Close() {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  wake_.notify_all();
  std::lock_guard join_lock(close_mu_);
  if (thread_.joinable()) thread_.join();
  conn_.reset();
}

void Checkpointer::Run() {
  for (;;) {
    {
      std::unique_lock lock(mu_);
      if (wake_.wait_for(lock, interval_, [this] { return closing_; })) return;
    }
    // A failure (busy: the writer's backstop checkpoint is running; I/O) is not fatal:
    // the frames stay in the WAL, which readers and recovery use, and the next pass or
    // the writer's own checkpoint copies them.
    // A connection that has not read the file yet does not know it is in WAL mode, and
    // its checkpoint would do nothing: reading the journal mode opens the WAL.
    (void)conn_->Run(sql::kPragmaJournalMode);
    (void)conn_->CheckpointPassive();
  }
}

}  // namespace c2p::store::sqlite
