// store_durability_writer: the process store_durability_test kills. Opens the store named
// on the command line and writes settings `<prefix><N>` = `v<N>` from several concurrent
// coroutines, forever; after each write is acknowledged it prints "ACK <prefix><N>".
// Whatever it printed before dying must be found in the store afterwards.
//
//   store_durability_writer sqlite:PATH [KEY_PREFIX=k] [WRITERS=8]

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "core/metrics.hpp"
#include "store/store.hpp"

namespace {

namespace asio = boost::asio;
using c2p::store::Store;
using c2p::store::WriteTx;

// One write(2) per line: lines from concurrent writers never interleave in the pipe, and
// nothing sits in a stdio buffer when SIGKILL arrives.
void PrintLine(const std::string& line) {
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(STDOUT_FILENO, line.data() + done, line.size() - done);
    if (n <= 0) std::_Exit(3);  // the reader has gone: nothing left to prove
    done += static_cast<std::size_t>(n);
  }
}

asio::awaitable<void> WriteForever(Store& store, const std::string& prefix,
                                   std::atomic<long>& next) {
  for (;;) {
    const std::string n = std::to_string(next.fetch_add(1));
    const std::string key = prefix + n;
    const std::string value = "v" + n;
    auto written = co_await store.Write([&](WriteTx& tx) { return tx.PutSetting(key, value); });
    if (!written) {
      std::fprintf(stderr, "write %s failed: %s\n", key.c_str(), written.error().message.c_str());
      std::_Exit(2);
    }
    PrintLine("ACK " + key + "\n");
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 4) {
    std::fprintf(stderr, "usage: %s sqlite:PATH [KEY_PREFIX] [WRITERS]\n", argv[0]);
    return 64;
  }
  const std::string prefix = argc > 2 ? argv[2] : "k";
  const int writers = argc > 3 ? std::atoi(argv[3]) : 8;
  if (writers < 1) {
    std::fprintf(stderr, "WRITERS must be a positive number\n");
    return 64;
  }

  c2p::core::metrics::Registry registry;
  auto store = c2p::store::OpenStore(argv[1], {}, registry);
  if (!store) {
    std::fprintf(stderr, "cannot open store: %s\n", store.error().message.c_str());
    return 1;
  }

  asio::io_context io;
  std::atomic<long> next{0};
  for (int i = 0; i < writers; ++i) {
    asio::co_spawn(io, WriteForever(**store, prefix, next), asio::detached);
  }
  // Two reactor threads, as c2pd runs: completions arrive from the writer thread.
  std::thread second([&io] { io.run(); });
  io.run();
  second.join();
  return 0;
}
