#include "tools/c2pctl/operation_watch.hpp"

#include <algorithm>
#include <thread>

#include <boost/json/parse.hpp>

#include "tools/c2pctl/cli.hpp"
#include "tools/c2pctl/human_output.hpp"
#include "tools/c2pctl/issuer_api.hpp"

namespace c2p::ctl {

namespace {

using Clock = std::chrono::steady_clock;

// The operation's status, empty when the body is not an operation.
std::string StatusOf(const std::string& body) {
  boost::system::error_code ec;
  const boost::json::value value = boost::json::parse(body, ec);
  if (ec || !value.is_object()) return {};
  const boost::json::value* status = value.as_object().if_contains("status");
  return status != nullptr && status->is_string() ? std::string(status->as_string())
                                                  : std::string();
}

}  // namespace

int WatchOperation(const PollOperation& poll, const RenewToken& renew, const WatchOptions& options,
                   std::string_view command, const std::string& url, std::ostream& out,
                   std::ostream& err) {
  const Clock::time_point deadline = Clock::now() + options.timeout;
  std::chrono::milliseconds pause = options.first_pause;
  std::string status;   // the last status printed
  std::string problem;  // the last problem shown on stderr
  bool renewed = false;
  bool first = true;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline - Clock::now());
    // The first poll shows where the operation is now; the next ones wait for a change.
    const std::chrono::seconds wait =
        first ? std::chrono::seconds{0}
              : std::clamp(left, std::chrono::seconds{0}, options.max_wait);
    first = false;
    const Clock::time_point asked = Clock::now();
    const http::ClientResult answer = poll(wait);
    bool changed = false;
    if (!answer) {
      const std::string now = "c2p unreachable (" + answer.error().message + ")";
      if (now != problem) err << command << ": " << url << ": " << now << ", retrying\n";
      problem = now;
    } else if (answer->status == 401 && !renewed) {
      // The access token expired during a long watch: a new one, then ask again.
      renewed = true;
      if (auto ok = renew(); !ok) return ReportError(command, ok.error(), err);
      continue;
    } else if (answer->status >= 400 && answer->status < 500) {
      return ReportFailedCall(command, url, answer, options.json, out, err);
    } else if (answer->status != 200) {
      const std::string now = "c2p answered " + std::to_string(answer->status);
      if (now != problem) err << command << ": " << now << ", retrying\n";
      problem = now;
    } else {
      renewed = false;
      problem.clear();
      const std::string current = StatusOf(answer->body);
      if (current.empty()) {
        err << command
            << ": c2p answered 200 with a body that is not an operation; --json "
               "prints it as received\n";
        return kExitFailure;
      }
      if (current != status) {
        changed = true;
        status = current;
        out << (options.json ? answer->body + "\n" : DescribeOperation(answer->body)) << std::flush;
      }
      if (status == "SUCCESSFUL") return kExitOk;
      if (status == "FAILED") return kExitFailure;
    }
    const Clock::time_point now = Clock::now();
    if (now >= deadline) {
      err << command << ": still " << (status.empty() ? std::string("unknown") : status)
          << " after " << options.timeout.count() / 1000 << " s; follow it again with "
          << options.again << "\n";
      return kExitFailure;
    }
    if (changed) {
      pause = options.first_pause;
    } else if (now - asked < std::max<Clock::duration>(wait, std::chrono::seconds{1})) {
      // Back before the wait with nothing new: do not spin on a c2p that cannot hold it.
      const auto nap = std::min<Clock::duration>(pause, deadline - now);
      std::this_thread::sleep_for(nap);  // the poll interval, not a wait for the work
      pause = std::min(pause * 2, options.max_pause);
    }
  }
}

}  // namespace c2p::ctl
