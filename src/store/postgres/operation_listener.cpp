#include "store/postgres/operation_listener.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <stdexcept>

#include "store/postgres/connection.hpp"

namespace c2p::store::postgres {

namespace {

constexpr int kConnectTimeoutSeconds = 5;
constexpr int kReconnectPauseMs = 1'000;

}  // namespace

OperationListener::OperationListener(std::string url, OnEnded on_ended)
    : url_(std::move(url)), on_ended_(std::move(on_ended)), stop_fd_(eventfd(0, EFD_CLOEXEC)) {
  if (stop_fd_ < 0) throw std::runtime_error("eventfd failed");
  thread_ = std::thread([this] { Run(); });
}

OperationListener::~OperationListener() {
  stopping_ = true;
  const std::uint64_t one = 1;
  (void)!write(stop_fd_, &one, sizeof one);
  thread_.join();
  close(stop_fd_);
}

bool OperationListener::Pause(int ms) const {
  pollfd stop{stop_fd_, POLLIN, 0};
  (void)poll(&stop, 1, ms);
  return !stopping_;
}

void OperationListener::Run() {
  const std::string listen = "LISTEN " + std::string(kOperationEndedChannel);
  while (!stopping_) {
    auto conn = Connection::Open(url_, kConnectTimeoutSeconds);
    if (!conn || !conn->Exec(listen)) {
      if (!Pause(kReconnectPauseMs)) return;
      continue;
    }
    // Whatever ended while no session listened was not heard: everyone reads again.
    on_ended_(std::string());
    for (;;) {
      std::array<pollfd, 2> fds{{{conn->Socket(), POLLIN, 0}, {stop_fd_, POLLIN, 0}}};
      if (poll(fds.data(), fds.size(), -1) < 0) continue;  // EINTR
      if (stopping_) return;
      auto payloads = conn->TakeNotifications(kOperationEndedChannel);
      if (!payloads) break;  // the session is gone: reconnect
      for (const auto& key : *payloads) on_ended_(key);
    }
    // Lost: reconnect at once (the pause is between failed attempts only).
  }
}

}  // namespace c2p::store::postgres
