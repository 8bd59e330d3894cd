#include "engine/operation_watch.hpp"

#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_future.hpp>

namespace c2p::engine {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

TEST(OperationWatch, NotifyFromAnotherThreadWakesTheWaiter) {
  OperationWatch watch;
  asio::io_context ioc;
  const std::string key = OperationWatch::Key("ISSUER0001", "op_1");
  auto done = asio::co_spawn(
      ioc,
      [&]() -> asio::awaitable<milliseconds> {
        OperationWatch::Ticket ticket(watch, key, co_await asio::this_coro::executor);
        const auto start = std::chrono::steady_clock::now();
        co_await ticket.Wait(milliseconds(20'000));
        co_return std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() -
                                                           start);
      },
      asio::use_future);
  std::thread runner([&] { ioc.run(); });
  // Notify until the waiter has registered and woken: no sleeping on a guess.
  while (done.wait_for(milliseconds(1)) != std::future_status::ready) {
    if (watch.waiting() > 0) watch.Notify(key);
  }
  runner.join();
  EXPECT_LT(done.get(), milliseconds(20'000));
  EXPECT_EQ(watch.waiting(), 0U);
}

TEST(OperationWatch, NotifyBeforeWaitIsNotMissed) {
  OperationWatch watch;
  asio::io_context ioc;
  const std::string key = OperationWatch::Key("ISSUER0001", "op_2");
  bool woke = false;
  asio::co_spawn(
      ioc,
      [&]() -> asio::awaitable<void> {
        OperationWatch::Ticket ticket(watch, key, co_await asio::this_coro::executor);
        watch.Notify(key);  // lands between "read the operation" and Wait()
        co_await ticket.Wait(milliseconds(20'000));
        woke = true;
      },
      asio::detached);
  const auto start = std::chrono::steady_clock::now();
  ioc.run();
  EXPECT_TRUE(woke);
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(10'000));
}

TEST(OperationWatch, TimesOutWithoutNotify) {
  OperationWatch watch;
  asio::io_context ioc;
  bool woke = false;
  asio::co_spawn(
      ioc,
      [&]() -> asio::awaitable<void> {
        OperationWatch::Ticket ticket(watch, OperationWatch::Key("I", "op_3"),
                                      co_await asio::this_coro::executor);
        watch.Notify(OperationWatch::Key("I", "other"));
        co_await ticket.Wait(milliseconds(30));
        woke = true;
      },
      asio::detached);
  ioc.run();
  EXPECT_TRUE(woke);
}

}  // namespace
}  // namespace c2p::engine
