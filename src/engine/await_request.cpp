#include "engine/await_request.hpp"

#include <algorithm>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace c2p::engine {

namespace asio = boost::asio;

asio::awaitable<std::optional<networks::CallResult>> AwaitRequest(
    networks::NetworkConnector& connector, networks::CallResult call,
    const std::string& external_card_id, const PollOptions& options) {
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer timer(executor);
  auto delay = options.first_poll;
  const auto until = std::chrono::steady_clock::now() + options.poll_for;
  while (call && call->pending) {
    if (std::chrono::steady_clock::now() >= until) co_return std::nullopt;
    timer.expires_after(delay);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    delay = std::min(delay * 2, options.max_poll);
    const std::string trace = call->trace_id;
    auto polled = co_await connector.PollRequest(trace, external_card_id);
    if (!polled && polled.error().retryable) continue;
    call = std::move(polled);
  }
  co_return call;
}

RunResult FromFailure(const networks::Failure& failure) {
  if (failure.retryable) {
    return RetryWith(failure.failure_code, failure.message, failure.retry_after);
  }
  return FailedWith(failure.failure_code, failure.message);
}

}  // namespace c2p::engine
