#pragma once
// Whether interactive work (an issuer's API call that started an engine job) ran lately.
// A batch campaign and the interactive traffic share one writer, one engine and the
// networks' connections; while interactive work is about, the bulk side takes smaller
// bites (shorter batch chunks, fewer bulk-lane jobs in flight) so each interactive step
// waits behind less of it (quality.md P8), and returns to full speed once it has stopped.
// Any thread.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>

namespace c2p::core {

class InteractiveActivity {
 public:
  // How long after the last interactive job the bulk side stays polite: long enough to
  // cover the gap between one interactive enrolment and the next in a steady stream.
  static constexpr std::chrono::milliseconds kWindow{2'000};

  void Touch() { last_.store(Now(), std::memory_order_relaxed); }
  bool Recent() const {
    const std::int64_t last = last_.load(std::memory_order_relaxed);
    return last != kNever && Now() - last < kWindow.count();
  }

 private:
  static constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::min();
  static std::int64_t Now() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }

  std::atomic<std::int64_t> last_{kNever};
};

}  // namespace c2p::core
