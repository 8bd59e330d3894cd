#include "tests/support/process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/support/raw_client.hpp"

namespace c2p::testing {

Process::~Process() { Kill(); }

void Process::Kill() {
  if (pid_ > 0 && !status_) {
    ::kill(pid_, SIGKILL);
    int st = 0;
    ::waitpid(pid_, &st, 0);
  }
}

Process::Process(Process&& other) noexcept
    : pid_(other.pid_), status_(other.status_), log_path_(std::move(other.log_path_)) {
  other.pid_ = -1;
}

Process& Process::operator=(Process&& other) noexcept {
  if (this != &other) {
    Kill();
    pid_ = other.pid_;
    status_ = other.status_;
    log_path_ = std::move(other.log_path_);
    other.pid_ = -1;
  }
  return *this;
}

std::optional<Process> Process::Start(const std::vector<std::string>& argv,
                                      const std::string& log_path, const std::string& cwd) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return std::nullopt;
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(log_fd);
    return std::nullopt;
  }
  if (pid == 0) {
    // The child dies with the test runner, so a crashed test leaves no server behind.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(126);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(log_fd);
  Process p;
  p.pid_ = pid;
  p.log_path_ = log_path;
  return p;
}

bool Process::running() {
  if (pid_ <= 0 || status_) return false;
  int st = 0;
  const pid_t r = ::waitpid(pid_, &st, WNOHANG);
  if (r == pid_) {
    status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return false;
  }
  return true;
}

void Process::Signal(int sig) {
  if (pid_ > 0 && !status_) ::kill(pid_, sig);
}

std::optional<int> Process::Wait(std::chrono::milliseconds timeout) {
  Eventually([this] { return !running(); }, timeout);
  return status_;
}

std::optional<int> Process::Stop(std::chrono::milliseconds grace) {
  Signal(SIGTERM);
  if (auto st = Wait(grace)) return st;
  Signal(SIGKILL);
  return Wait(std::chrono::seconds(10));
}

std::string BinDir() {
  const char* dir = std::getenv("C2P_BIN_DIR");
  return dir ? dir : "bin";
}

std::string NamedTestDir(const std::string& name) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(BinDir()) / ".." / "test-tmp" / name;
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir);
  return fs::canonical(dir).string();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string GenerateKeyFile(const std::string& dir, const std::string& kind, const std::string& out,
                            const std::string& kid, const std::string& public_out) {
  std::vector<std::string> argv{BinDir() + "/c2pctl", "keys",   "generate", "--kind", kind, "--out",
                                dir + "/" + out,      "--force"};
  if (!kid.empty()) argv.insert(argv.end(), {"--kid", kid});
  if (!public_out.empty()) argv.insert(argv.end(), {"--public-out", dir + "/" + public_out});
  const std::string log = dir + "/keys.out";
  auto p = Process::Start(argv, log);
  if (!p) return "c2pctl did not start";
  if (p->Wait(std::chrono::seconds(20)) != 0)
    return "c2pctl keys generate failed: " + ReadFile(log);
  return {};
}

bool WaitReady(std::uint16_t port, std::chrono::milliseconds timeout) {
  return Eventually(
      [port] {
        auto r = Fetch(port, "GET", "/readyz", {}, {}, std::chrono::seconds(2));
        return r && r->status == 200;
      },
      timeout);
}

}  // namespace c2p::testing
