#include "store/postgres/operation_listener.hpp"

#include <poll.h>

#include <array>

#include "store/postgres/connection.hpp"

namespace c2p::store::postgres {

namespace {

constexpr int kConnectTimeoutSeconds = 5;
constexpr std::chrono::milliseconds kReconnectPause{1'000};

}  // namespace

OperationListener::OperationListener(std::string url, OnEnded on_ended)
    : url_(std::move(url)), on_ended_(std::move(on_ended)), thread_([this] { Run(); }) {}

void OperationListener::Run() {
  const std::string listen = "LISTEN " + std::string(kOperationEndedChannel);
  while (!thread_.Stopping()) {
    auto conn = Connection::Open(url_, kConnectTimeoutSeconds);
    if (!conn || !conn->Exec(listen)) {
      if (!thread_.Pause(kReconnectPause)) return;
      continue;
    }
    // Whatever ended while no session listened was not heard: everyone reads again.
    on_ended_(std::string());
    for (;;) {
      std::array<pollfd, 2> fds{{{conn->Socket(), POLLIN, 0}, {thread_.StopFd(), POLLIN, 0}}};
      if (poll(fds.data(), fds.size(), -1) < 0) continue;  // EINTR
      if (thread_.Stopping()) return;
      auto payloads = conn->TakeNotifications(kOperationEndedChannel);
      if (!payloads) break;  // the session is gone: reconnect
      for (const auto& key : *payloads) on_ended_(key);
    }
    // Lost: reconnect at once (the pause is between failed attempts only).
  }
}

}  // namespace c2p::store::postgres
