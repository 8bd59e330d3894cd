#include "store/postgres/reader_pool.hpp"

#include <algorithm>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace c2p::store::postgres {

ReaderPool::ReaderPool(std::vector<Connection> readers, std::chrono::milliseconds reconnect_timeout)
    : reconnect_timeout_(reconnect_timeout) {
  for (auto& conn : readers) free_.push_back(std::make_unique<Connection>(std::move(conn)));
}

ReaderPool::Lease::~Lease() {
  if (conn_) pool_->Return(std::move(conn_));
}

boost::asio::awaitable<core::Result<ReaderPool::Lease>> ReaderPool::Acquire(
    std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  const auto executor = co_await boost::asio::this_coro::executor;
  std::unique_ptr<Connection> conn;
  while (!conn) {
    Waiter waiter;
    {
      const std::lock_guard lock(mu_);
      if (closed_) co_return core::Fail(core::ErrorCode::kUnavailable, "store is closed");
      if (!free_.empty()) {
        conn = std::move(free_.back());
        free_.pop_back();
        break;
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        co_return core::Fail(core::ErrorCode::kUnavailable, "no store reader free in time");
      }
      waiter = std::make_shared<boost::asio::steady_timer>(executor, deadline);
      waiters_.push_back(waiter);
    }
    // Leaves the queue (if a lease has not taken it out already) however the wait ends,
    // also when this coroutine is destroyed with its io_context: no lease ever wakes a
    // waiter whose executor is gone.
    const WaiterGone gone{*this, waiter};
    // Ends at the deadline, or earlier when a lease comes back (or the pool closes).
    (void)co_await waiter->async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  }
  Lease lease(*this, std::move(conn));
  if (lease->Broken()) {
    auto reset = co_await lease->ResetAwaited(reconnect_timeout_);
    if (!reset) co_return tl::unexpected(std::move(reset.error()));
  }
  co_return lease;
}

ReaderPool::WaiterGone::~WaiterGone() {
  const std::lock_guard lock(pool.mu_);
  std::erase(pool.waiters_, waiter);
}

void ReaderPool::Close() {
  std::vector<std::unique_ptr<Connection>> closing;
  const std::lock_guard lock(mu_);
  closed_ = true;
  closing.swap(free_);
  for (const auto& waiter : waiters_) Wake(waiter);
  waiters_.clear();
}

void ReaderPool::Return(std::unique_ptr<Connection> conn) {
  const std::lock_guard lock(mu_);
  if (closed_) return;
  free_.push_back(std::move(conn));
  // The oldest waiter leaves the queue now (the next return wakes the next one), woken
  // under the lock: its coroutine cannot move on before the wake-up is posted, so the
  // posted handler keeps its executor's run() going until it has run.
  if (!waiters_.empty()) {
    Wake(waiters_.front());
    waiters_.pop_front();
  }
}

void ReaderPool::Wake(const Waiter& waiter) {
  boost::asio::post(waiter->get_executor(),
                    [waiter] { waiter->expires_at(std::chrono::steady_clock::time_point::min()); });
}

}  // namespace c2p::store::postgres
