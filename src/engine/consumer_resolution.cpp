#include "engine/consumer_resolution.hpp"

#include "vault/sealed_fields.hpp"

namespace c2p::engine {

namespace {

std::string JoinFields(const std::vector<std::string>& fields) {
  std::string out;
  for (const auto& f : fields) {
    if (!out.empty()) out += ", ";
    out += f;
  }
  return out;
}

}  // namespace

boost::asio::awaitable<tl::expected<ResolvedConsumer, RunResult>> ResolveConsumer(
    store::Store& store, const vault::KeyRing& keys, ConsumerInfoSource* consumer_info,
    const store::JobRecord& job, const std::string& card_id, const ConsumerData& body) {
  ResolvedConsumer out;
  auto consumer = co_await store.GetConsumer(job.issuer_id, job.consumer_id);
  if (!consumer) {
    co_return tl::unexpected(RunResult(InternalRetry("store: " + consumer.error().message)));
  }
  if (*consumer && (*consumer)->personal_information) {
    auto info = vault::OpenPersonalInformation(keys, job.issuer_id, job.consumer_id,
                                               *(*consumer)->personal_information);
    if (!info) {
      co_return tl::unexpected(
          RunResult(InternalRetry("stored personal information does not open")));
    }
    out.stored.info = info->consumer;
    out.stored.billing = info->billing_address;
  }
  out.known = FirstKnown(body, out.stored);
  if (NeedsFetch(out.known) && consumer_info != nullptr && consumer_info->Serves(job.issuer_id)) {
    auto fetched =
        co_await consumer_info->Fetch(job.issuer_id, job.consumer_id, card_id, job.correlation_id);
    if (!fetched) {
      const FetchProblem& p = fetched.error();
      if (p.retryable) {
        co_return tl::unexpected(RunResult(RetryWith(p.failure_code, p.message, p.retry_after)));
      }
      co_return tl::unexpected(RunResult(FailedWith(p.failure_code, p.message)));
    }
    out.known = Complete(std::move(out.known), *fetched);
  }
  if (auto missing = MissingFields(out.known); !missing.empty()) {
    co_return tl::unexpected(RunResult(
        FailedWith("CONSUMER_DATA_INCOMPLETE", "missing consumer data: " + JoinFields(missing))));
  }
  co_return out;
}

}  // namespace c2p::engine
