#include "engine/consumer_optout_driver.hpp"

#include "engine/consumer_optout_plan.hpp"
#include "engine/external_ids.hpp"

namespace c2p::engine {

namespace asio = boost::asio;
using networks::FailureReason;

namespace {

RetryLater Later(RetryLater later, const OptOutPlan& plan) {
  later.progress = ToProgress(plan);
  return later;
}

}  // namespace

ConsumerOptOutDriver::ConsumerOptOutDriver(
    std::map<std::string, networks::NetworkConnector*, std::less<>> connectors, PollOptions options)
    : connectors_(std::move(connectors)), options_(options) {}

Finished ConsumerOptOutDriver::GiveUp(const store::JobRecord& job, std::string code,
                                      std::string message) {
  auto plan = ReadOptOutPlan(job.progress);
  if (!plan) return FailedWith(std::move(code), std::move(message));
  return EndOptOut(*plan, false, std::move(code), std::move(message));
}

asio::awaitable<RunResult> ConsumerOptOutDriver::Run(const store::JobRecord& job) {
  auto plan = ReadOptOutPlan(job.progress);
  if (!plan) co_return FailedWith("NETWORK_REJECTED", "internal: the opt-out job has no plan");
  const std::string consumer = ExternalConsumerId(job.issuer_id, job.consumer_id);
  for (const auto& network : plan->networks) {
    if (plan->Done(network)) continue;
    auto connector = connectors_.find(network);
    if (connector == connectors_.end()) {
      co_return EndOptOut(*plan, false, "NETWORK_UNAVAILABLE",
                          "the " + network + " directory is not configured");
    }
    const auto directory = connector->second->ForCall({job.correlation_id, job.lease_until_ms});
    auto call = co_await directory->DeleteConsumer(consumer);
    auto ended = co_await AwaitRequest(*directory, std::move(call), "", options_);
    if (!ended) {
      co_return Later(RetryWith("NETWORK_UNAVAILABLE", "the directory is still deleting"), *plan);
    }
    if (!*ended && ended->error().reason != FailureReason::kNotEnrolled) {
      const networks::Failure& f = ended->error();
      if (f.retryable) co_return Later(RetryWith(f.failure_code, f.message, f.retry_after), *plan);
      co_return EndOptOut(*plan, false, f.failure_code, f.message);
    }
    // Deleted now, or already gone (an earlier attempt's deletion whose answer was lost):
    // either way the network holds no profile.
    plan->done.push_back(network);
  }
  co_return EndOptOut(*plan, true);
}

}  // namespace c2p::engine
