#include "engine/operation_watch.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace c2p::engine {

namespace asio = boost::asio;

OperationWatch::Ticket::Ticket(OperationWatch& watch, std::string key,
                               const asio::any_io_executor& executor)
    : watch_(watch),
      key_(std::move(key)),
      timer_(std::make_shared<asio::steady_timer>(executor, asio::steady_timer::time_point::max())),
      notified_(std::make_shared<bool>(false)) {
  const std::lock_guard lock(watch_.mutex_);
  watch_.waiters_.emplace(key_, Entry{timer_, notified_});
}

OperationWatch::Ticket::~Ticket() {
  const std::lock_guard lock(watch_.mutex_);
  auto [first, last] = watch_.waiters_.equal_range(key_);
  for (auto it = first; it != last; ++it) {
    if (it->second.timer == timer_) {
      watch_.waiters_.erase(it);
      break;
    }
  }
}

asio::awaitable<void> OperationWatch::Ticket::Wait(std::chrono::milliseconds timeout) {
  if (*notified_) co_return;
  timer_->expires_after(timeout);
  // A Notify() posted before this point has already run on this executor (it set
  // notified_), or runs after the wait started and cancels it.
  if (*notified_) co_return;
  boost::system::error_code ec;
  co_await timer_->async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

std::string OperationWatch::Key(std::string_view issuer, std::string_view operation_id) {
  std::string key;
  key.reserve(issuer.size() + 1 + operation_id.size());
  key.append(issuer).append("/").append(operation_id);
  return key;
}

void OperationWatch::Notify(const std::string& key) {
  const std::lock_guard lock(mutex_);
  auto [first, last] = waiters_.equal_range(key);
  for (auto it = first; it != last; ++it) {
    // The timer is not thread-safe: it is touched only on its own executor.
    asio::post(it->second.timer->get_executor(),
               [timer = it->second.timer, notified = it->second.notified] {
                 *notified = true;
                 timer->cancel();
               });
  }
}

void OperationWatch::NotifyAll() {
  const std::lock_guard lock(mutex_);
  for (const auto& [key, entry] : waiters_) {
    asio::post(entry.timer->get_executor(), [timer = entry.timer, notified = entry.notified] {
      *notified = true;
      timer->cancel();
    });
  }
}

std::size_t OperationWatch::waiting() const {
  const std::lock_guard lock(mutex_);
  return waiters_.size();
}

}  // namespace c2p::engine
