// "Acknowledged means durable": a writer process is killed with SIGKILL while it writes;
// every write it acknowledged before dying must be in the store when it is reopened.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "core/block_on.hpp"
#include "core/metrics.hpp"
#include "store/store.hpp"
#include "store/store_test_util.hpp"

extern char** environ;

namespace c2p::store {
namespace {

using Clock = std::chrono::steady_clock;

std::string WriterPath() {
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read before the test starts any thread.
  if (const char* bin = std::getenv("C2P_BIN_DIR"); bin != nullptr && *bin != '\0') {
    return (std::filesystem::path(bin) / "store_durability_writer").string();
  }
  // Tests are built into build/<preset>/tests, programs into build/<preset>/bin.
  const auto self = std::filesystem::read_symlink("/proc/self/exe");
  return (self.parent_path().parent_path() / "bin" / "store_durability_writer").string();
}

// A running store_durability_writer whose stdout we read.
class WriterProcess {
 public:
  WriterProcess(const std::string& url, const std::string& prefix) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    const std::string program = WriterPath();
    std::vector<std::string> args{program, url, prefix, "8"};
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), environ) != 0) {
      pid_ = -1;
    }
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);  // the child holds the only write end: EOF once it dies
    out_ = fds[0];
  }
  ~WriterProcess() {
    Kill();
    if (out_ >= 0) ::close(out_);
  }
  WriterProcess(const WriterProcess&) = delete;
  WriterProcess& operator=(const WriterProcess&) = delete;

  bool started() const { return pid_ > 0 && out_ >= 0; }

  // Reads "ACK <key>" lines into `acked` until it holds `count` keys, EOF, or `deadline`.
  void ReadAcks(std::vector<std::string>& acked, std::size_t count, Clock::time_point deadline) {
    std::array<char, 4096> buf;
    while (acked.size() < count) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return;
      pollfd p{out_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      const ssize_t n = ::read(out_, buf.data(), buf.size());
      if (n <= 0) return;  // EOF: the writer is gone
      pending_.append(buf.data(), static_cast<std::size_t>(n));
      for (std::size_t end; (end = pending_.find('\n')) != std::string::npos;) {
        const std::string line = pending_.substr(0, end);
        pending_.erase(0, end + 1);
        if (line.starts_with("ACK ")) acked.push_back(line.substr(4));
      }
    }
  }

  // SIGKILL and reap; true if the process died of that signal (not of its own error).
  bool Kill() {
    if (pid_ <= 0) return false;
    ::kill(pid_, SIGKILL);
    int status = 0;
    const bool reaped = ::waitpid(pid_, &status, 0) == pid_;
    pid_ = -1;
    return reaped && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::string pending_;
};

TEST(StoreDurability, AcknowledgedWritesSurviveSigkill) {
  ASSERT_TRUE(std::filesystem::exists(WriterPath())) << WriterPath();
  testing::TempDir dir;
  const std::string url = "sqlite:" + dir.File("durable.db");
  const auto deadline = Clock::now() + std::chrono::seconds(180);

  // The same file across the runs: each run also starts from a store killed mid-write.
  std::vector<std::string> acked;
  const std::array<std::size_t, 3> kill_after{200, 350, 275};
  for (std::size_t run = 0; run < kill_after.size(); ++run) {
    SCOPED_TRACE("run " + std::to_string(run));
    WriterProcess writer(url, "r" + std::to_string(run) + "k");
    ASSERT_TRUE(writer.started());
    std::vector<std::string> this_run;
    writer.ReadAcks(this_run, kill_after[run], deadline);
    ASSERT_GE(this_run.size(), kill_after[run]) << "the writer stalled or died";
    ASSERT_TRUE(writer.Kill()) << "the writer exited before it was killed";
    // Acknowledgements already in the pipe when it died count too.
    writer.ReadAcks(this_run, SIZE_MAX, deadline);
    acked.insert(acked.end(), this_run.begin(), this_run.end());

    core::metrics::Registry registry;
    auto store = OpenStore(url, {}, registry);
    ASSERT_TRUE(store) << store.error().message;
    std::size_t missing = 0;
    for (const auto& key : acked) {
      auto value = core::BlockOn((*store)->GetSetting(key));
      ASSERT_TRUE(value) << value.error().message;
      const auto n = key.substr(key.find('k') + 1);
      if (*value != "v" + n) ++missing;
    }
    EXPECT_EQ(missing, 0u) << "of " << acked.size() << " acknowledged writes";
  }
}

}  // namespace
}  // namespace c2p::store
