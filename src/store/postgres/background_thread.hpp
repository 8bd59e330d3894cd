#pragma once
// A thread of its own for a store session that lives beside the writers and readers (the
// LISTEN session, the statistics keeper): its body sleeps with Pause or polls StopFd()
// beside its socket, and the destructor wakes it and waits for it to return.
//
// Declare it as the owner's last member: it starts once everything above it is built and
// stops before any of it is destroyed.

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

namespace c2p::store::postgres {

class BackgroundThread {
 public:
  explicit BackgroundThread(std::function<void()> body);
  ~BackgroundThread();
  BackgroundThread(const BackgroundThread&) = delete;
  BackgroundThread& operator=(const BackgroundThread&) = delete;

  // Sleeps up to `duration`, waking early when stopping; false once stopping.
  bool Pause(std::chrono::milliseconds duration) const;
  bool Stopping() const { return stopping_; }
  // Readable once stopping: poll it beside a socket.
  int StopFd() const { return stop_fd_; }

 private:
  int stop_fd_ = -1;  // an eventfd: written once by the destructor
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace c2p::store::postgres
