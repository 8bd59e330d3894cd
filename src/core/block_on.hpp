#pragma once
// Runs a coroutine to its end on the calling thread, for code that lives outside any
// reactor: the command-line tools, start-up, tests. It runs a private io_context, so
// whatever the coroutine waits on (a socket, a timer) is served by this thread meanwhile.
// Never call it on a reactor thread: it would stall every other coroutine of that thread.

#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

namespace c2p::core {

template <typename T>
T BlockOn(boost::asio::awaitable<T> work) {
  boost::asio::io_context io;
  auto done = boost::asio::co_spawn(io, std::move(work), boost::asio::use_future);
  io.run();
  return done.get();
}

}  // namespace c2p::core
