#include "store/postgres/reader_pool.hpp"

#include <utility>

namespace c2p::store::postgres {

ReaderPool::ReaderPool(std::vector<Connection> readers) {
  for (auto& conn : readers) free_.push_back(std::make_unique<Connection>(std::move(conn)));
}

ReaderPool::Lease::~Lease() {
  if (conn_) pool_->Return(std::move(conn_));
}

core::Result<ReaderPool::Lease> ReaderPool::Acquire(std::chrono::milliseconds wait) {
  std::unique_ptr<Connection> conn;
  {
    std::unique_lock lock(mu_);
    const bool ready = freed_.wait_for(lock, wait, [this] { return closed_ || !free_.empty(); });
    if (closed_) return core::Fail(core::ErrorCode::kUnavailable, "store is closed");
    if (!ready) return core::Fail(core::ErrorCode::kUnavailable, "no store reader free in time");
    conn = std::move(free_.back());
    free_.pop_back();
  }
  Lease lease(*this, std::move(conn));
  // Outside the lock: reconnecting waits on the network.
  if (lease->Broken()) {
    if (auto reset = lease->Reset(); !reset) return tl::unexpected(std::move(reset.error()));
  }
  return lease;
}

void ReaderPool::Close() {
  std::vector<std::unique_ptr<Connection>> closing;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    closing.swap(free_);
  }
  freed_.notify_all();
}

void ReaderPool::Return(std::unique_ptr<Connection> conn) {
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    free_.push_back(std::move(conn));
  }
  freed_.notify_one();
}

}  // namespace c2p::store::postgres
