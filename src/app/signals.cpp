#include "app/signals.hpp"

#include <signal.h>

#include <cerrno>
#include <ctime>

namespace c2p::app {

namespace {
sigset_t TerminationSet() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGCHLD);
  return set;
}
}  // namespace

void BlockTerminationSignals() {
  sigset_t set = TerminationSet();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // A client vanishing mid-write must be an error code, never a process kill.
  signal(SIGPIPE, SIG_IGN);
}

std::optional<int> WaitForSignal(std::optional<std::chrono::milliseconds> timeout) {
  sigset_t set = TerminationSet();
  for (;;) {
    int sig = 0;
    if (timeout) {
      timespec ts{};
      ts.tv_sec = static_cast<time_t>(timeout->count() / 1000);
      ts.tv_nsec = static_cast<long>(timeout->count() % 1000) * 1'000'000;
      sig = sigtimedwait(&set, nullptr, &ts);
      if (sig < 0 && errno == EAGAIN) return std::nullopt;
    } else if (sigwait(&set, &sig) != 0) {
      sig = -1;
    }
    if (sig > 0) return sig;
    if (errno != EINTR) return std::nullopt;
  }
}

}  // namespace c2p::app
