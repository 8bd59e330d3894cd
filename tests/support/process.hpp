#pragma once
// Child processes for end-to-end tests: started with fork/exec, output captured to a log
// file, stopped with a signal, always reaped. A Process left running is killed by its
// destructor, so a failing test never leaks servers.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace c2p::testing {

class Process {
 public:
  Process() = default;
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  Process(Process&& other) noexcept;
  Process& operator=(Process&& other) noexcept;

  // Starts `argv[0]` with `argv`, stdout and stderr appended to `log_path`, in `cwd` if set.
  static std::optional<Process> Start(const std::vector<std::string>& argv,
                                      const std::string& log_path, const std::string& cwd = {});

  pid_t pid() const { return pid_; }
  bool running();
  void Signal(int sig);
  // Waits for exit up to `timeout`; the exit status (WEXITSTATUS or 128+signal) or nullopt.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  // SIGTERM, then SIGKILL after `grace`.
  std::optional<int> Stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  const std::string& log_path() const { return log_path_; }

 private:
  void Kill();  // SIGKILL and reap, if still running
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::string log_path_;
};

// Directory holding the built binaries (C2P_BIN_DIR, set by ctest).
std::string BinDir();
// A fresh empty directory under the build tree for one test's files.
std::string NamedTestDir(const std::string& name);
std::string ReadFile(const std::string& path);
// Runs `c2pctl keys generate --kind KIND --out DIR/OUT --force` (with `--kid` and
// `--public-out DIR/PUBLIC_OUT` when given); empty on success, else c2pctl's output.
std::string GenerateKeyFile(const std::string& dir, const std::string& kind, const std::string& out,
                            const std::string& kid = {}, const std::string& public_out = {});
// Polls GET /readyz on `port` until it answers 200 or the deadline passes.
bool WaitReady(std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace c2p::testing
