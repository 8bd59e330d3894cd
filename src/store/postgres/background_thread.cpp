#include "store/postgres/background_thread.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <stdexcept>

namespace c2p::store::postgres {

BackgroundThread::BackgroundThread(std::function<void()> body) : stop_fd_(eventfd(0, EFD_CLOEXEC)) {
  if (stop_fd_ < 0) throw std::runtime_error("eventfd failed");
  thread_ = std::thread(std::move(body));
}

BackgroundThread::~BackgroundThread() {
  stopping_ = true;
  const std::uint64_t one = 1;
  (void)!write(stop_fd_, &one, sizeof one);
  thread_.join();
  close(stop_fd_);
}

bool BackgroundThread::Pause(std::chrono::milliseconds duration) const {
  pollfd stop{stop_fd_, POLLIN, 0};
  (void)poll(&stop, 1, static_cast<int>(duration.count()));
  return !stopping_;
}

}  // namespace c2p::store::postgres
